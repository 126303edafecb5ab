/*
 * An audio input on the ESP32's built-in ADC (adc-in.c), with the read interface of Moddable's
 * `embedded:io/audio/in`: `new AdcIn({ sampleRate: 8000, bitsPerSample: 16, channels: 1, onReadable })`,
 * `onReadable(bytes)` called as samples arrive, `read(view)` copying them into a byte view and
 * returning how many bytes it copied, `start()`, `stop()`, `close()`. The samples are 16-bit with
 * the bias removed. ESP32 only.
 */
class AdcIn @ "xs_ringdown_adcin_destructor" {
	constructor(options) {
		if (options.bitsPerSample !== undefined && options.bitsPerSample !== 16) throw new RangeError("16 bits per sample only");
		if (options.channels !== undefined && options.channels !== 1) throw new RangeError("mono only");
		this.onReadable = options.onReadable;
		this.open(options.sampleRate ?? 8000);
	}
	open(sampleRate) @ "xs_ringdown_adcin_open";
	read(buffer) @ "xs_ringdown_adcin_read";
	start() @ "xs_ringdown_adcin_start";
	stop() @ "xs_ringdown_adcin_stop";
	close() @ "xs_ringdown_adcin_close";
}

export default AdcIn;
