/** An I2S input with 32-bit slots, read as Moddable's `embedded:io/audio/in` is (i2s-in.c). */
export default class I2sIn {
  constructor(options: {
    sampleRate?: number;
    bitsPerSample?: 16;
    channels?: 1;
    onReadable: (this: I2sIn, byteLength: number) => void;
  });
  /** Copies the samples that have arrived into `buffer` (16-bit little-endian); returns the bytes copied. */
  read(buffer: ArrayBufferView): number;
  start(): void;
  stop(): void;
  close(): void;
}
