/**
 * An audio input on the ESP32's built-in ADC at 8 kHz, 16-bit with the bias removed, read as
 * Moddable's `embedded:io/audio/in` is (adc-in.c).
 */
export default class AdcIn {
  constructor(options: {
    sampleRate?: 8000;
    bitsPerSample?: 16;
    channels?: 1;
    onReadable: (this: AdcIn, byteLength: number) => void;
  });
  /** Copies the samples that have arrived into `buffer` (16-bit little-endian); returns the bytes copied. */
  read(buffer: ArrayBufferView): number;
  start(): void;
  stop(): void;
  close(): void;
}
