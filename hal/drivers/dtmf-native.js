/*
 * The software DTMF receiver's per-sample arithmetic in C (dtmf-native.c): `nativeDtmfFilters`
 * is a `DtmfFilters` (src/dsp/dtmf-receiver.ts) for `new DtmfDetector({ filters })`. It gives the
 * TypeScript reference's numbers bit for bit (test/dtmf-native.test.ts). The C side takes
 * ArrayBuffers (xsmcGetBuffer takes only byte-sized typed arrays): each view's buffer and offset
 * are passed; the receiver's own Float32Arrays start at offset 0 of theirs.
 */
function energy(samples, byteOffset, count) @ "xs_ringdown_dtmf_energy";
function goertzel(samples, byteOffset, count, coef, cos, sin, re, im, stride, slot) @ "xs_ringdown_dtmf_goertzel";

const nativeDtmfFilters = Object.freeze({
	energy(src, at, count) {
		return energy(src.buffer, src.byteOffset + at * 2, count);
	},
	goertzel(src, at, count, coef, cos, sin, re, im, stride, slot) {
		if ((coef.byteOffset | cos.byteOffset | sin.byteOffset | re.byteOffset | im.byteOffset) !== 0 || coef.length * 4 !== coef.buffer.byteLength)
			throw new RangeError("DTMF filters: the constants and results must be whole Float32Arrays");
		goertzel(src.buffer, src.byteOffset + at * 2, count, coef.buffer, cos.buffer, sin.buffer, re.buffer, im.buffer, stride, slot);
	},
});

export { nativeDtmfFilters };
