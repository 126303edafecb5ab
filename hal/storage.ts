/**
 * A fixed-size region of flash, as Moddable's `flash` module gives one partition: reads anywhere;
 * writes that can only clear bits (NOR flash programs 1s to 0s); erase of a whole sector back to
 * 0xFF. The call log is written for exactly these rules, so a power cut mid-write or mid-erase
 * loses at most the record being written (see src/calllog/ring-log.ts).
 */
export interface ByteStore {
  /** Size of the region in bytes: a whole number of sectors. */
  readonly byteLength: number;
  /** Erase unit in bytes (4096 on an ESP32's SPI flash). */
  readonly sectorSize: number;
  /** Copies `length` bytes from `offset`. */
  read(offset: number, length: number): Uint8Array;
  /** Programs bytes at `offset`: each stored bit becomes stored AND written. */
  write(offset: number, bytes: Uint8Array): void;
  /** Sets every byte of sector `index` (0-based within the region) to 0xFF. */
  erase(index: number): void;
}
