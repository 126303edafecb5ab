/*
 * The software DTMF receiver's arithmetic in C (dtmf-native.c): `nativeDtmfFilters`
 * is a `DtmfFilters` (src/dsp/dtmf-filters.ts) for `new DtmfDetector({ filters })`. It gives the
 * TypeScript reference's numbers bit for bit (test/dtmf-native.test.ts). The C side takes
 * ArrayBuffers (xsmcGetBuffer takes only byte-sized typed arrays): the samples' buffer and offset,
 * and the buffers of the receiver's own arrays, which start at offset 0 of theirs.
 */
function energy(samples, byteOffset, count) @ "xs_ringdown_dtmf_energy";
function goertzel(samples, byteOffset, count, coef, cos, sin, re, im, stride, slot) @ "xs_ringdown_dtmf_goertzel";
function taper(re, im, tapRe, tapIm, taps, first, scale, power, lastRe, lastIm, rotRe, rotIm, advRe, advIm, advanced) @ "xs_ringdown_dtmf_taper";

/* A view's buffer: the receiver's Float32Arrays and Float64Arrays each fill theirs (dtmf-native.c
 * checks every buffer is large enough, so a view that does not reads wrong numbers, never outside
 * its buffer). Not checked here: that would cost about half the native call on XS. */
function whole(view) {
	return view.buffer;
}

const nativeDtmfFilters = Object.freeze({
	energy(src, at, count) {
		return energy(src.buffer, src.byteOffset + at * 2, count);
	},
	goertzel(src, at, count, coef, cos, sin, re, im, stride, slot) {
		goertzel(src.buffer, src.byteOffset + at * 2, count, whole(coef), whole(cos), whole(sin), whole(re), whole(im), stride, slot);
	},
	taper(work, first) {
		taper(whole(work.re), whole(work.im), whole(work.tapRe), whole(work.tapIm), work.taps, first, work.scale, whole(work.power), whole(work.lastRe), whole(work.lastIm), whole(work.rotRe), whole(work.rotIm), whole(work.advRe), whole(work.advIm), work.advanced);
	},
});

export { nativeDtmfFilters };
