/*
 * An I2S audio input with 32-bit slots (i2s-in.c), with the read interface of Moddable's
 * `embedded:io/audio/in`: `new I2sIn({ sampleRate, bitsPerSample: 16, channels: 1, onReadable })`,
 * `onReadable(bytes)` called as samples arrive, `read(view)` copying them into a byte view and
 * returning how many bytes it copied, `start()`, `stop()`, `close()`. ESP32 only.
 */
class I2sIn @ "xs_ringdown_i2sin_destructor" {
	constructor(options) {
		if (options.bitsPerSample !== undefined && options.bitsPerSample !== 16) throw new RangeError("16 bits per sample only");
		if (options.channels !== undefined && options.channels !== 1) throw new RangeError("mono only");
		this.onReadable = options.onReadable;
		this.open(options.sampleRate ?? 8000);
	}
	open(sampleRate) @ "xs_ringdown_i2sin_open";
	read(buffer) @ "xs_ringdown_i2sin_read";
	start() @ "xs_ringdown_i2sin_start";
	stop() @ "xs_ringdown_i2sin_stop";
	close() @ "xs_ringdown_i2sin_close";
}

export default I2sIn;
