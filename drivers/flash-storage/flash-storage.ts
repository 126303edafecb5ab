/**
 * The call log's ByteStore on the device: one partition of the SPI flash through Moddable's
 * `flash` module (`new Flash("partition")`: read, write, erase by sector, `blockSize` = the erase
 * unit, 4096 bytes on ESP32). The partition is declared in the board's partitions.csv; the log
 * owns it whole. NOR rules hold: erase sets 0xFF, a write only clears bits.
 */
import Flash from 'flash';
import type { ByteStore } from '../../hal/storage.js';

export interface FlashStorageOptions {
  /** The partition's name (default `calllog`). */
  partition?: string;
}

export class FlashStorage implements ByteStore {
  readonly #flash: Flash;
  readonly byteLength: number;
  readonly sectorSize: number;

  constructor(options: FlashStorageOptions = {}) {
    this.#flash = new Flash(options.partition ?? 'calllog');
    this.sectorSize = this.#flash.blockSize;
    // A whole number of sectors: a partial one at the end could not be erased on its own.
    this.byteLength = this.#flash.byteLength - (this.#flash.byteLength % this.sectorSize);
  }

  read(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.#flash.read(offset, length) as ArrayBuffer);
  }

  write(offset: number, bytes: Uint8Array): void {
    this.#flash.write(offset, bytes.byteLength, bytes);
  }

  erase(index: number): void {
    this.#flash.erase(index);
  }
}
