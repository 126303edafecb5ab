/**
 * A ByteStore in RAM with the rules of NOR flash (writes clear bits, erase sets a sector to 0xFF):
 * the simulated board's flash, and how the host reads a dump of the device's log region.
 */
import type { ByteStore } from '../../hal/storage.js';

export class MemoryStore implements ByteStore {
  readonly bytes: Uint8Array;

  /** A blank (erased) region of `sectors` sectors, or a copy of a dump. */
  constructor(
    readonly sectorSize: number,
    contents: number | Uint8Array,
  ) {
    if (!Number.isInteger(sectorSize) || sectorSize <= 0)
      throw new RangeError(`sector size ${sectorSize} is not a positive integer`);
    this.bytes = typeof contents === 'number' ? new Uint8Array(contents * sectorSize).fill(0xff) : contents.slice();
    if (this.bytes.length % sectorSize !== 0)
      throw new RangeError(`${this.bytes.length} bytes is not a whole number of ${sectorSize}-byte sectors`);
  }

  get byteLength(): number {
    return this.bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    this.check(offset, length);
    return this.bytes.slice(offset, offset + length);
  }

  write(offset: number, bytes: Uint8Array): void {
    this.check(offset, bytes.length);
    for (let i = 0; i < bytes.length; i++) this.program(offset + i, bytes[i]!);
  }

  erase(index: number): void {
    this.check(index * this.sectorSize, this.sectorSize);
    for (let i = 0; i < this.sectorSize; i++) this.clear(index * this.sectorSize + i);
  }

  /** Programs one byte (NOR: bits only go from 1 to 0). A subclass may cut power here. */
  protected program(at: number, value: number): void {
    this.bytes[at] = this.bytes[at]! & value;
  }

  /** Erases one byte. A subclass may cut power here. */
  protected clear(at: number): void {
    this.bytes[at] = 0xff;
  }

  private check(offset: number, length: number): void {
    if (!Number.isInteger(offset) || offset < 0 || length < 0 || offset + length > this.bytes.length) {
      throw new RangeError(`flash access ${offset}+${length} outside ${this.bytes.length} bytes`);
    }
  }
}
