/**
 * A ByteStore in a file, through Moddable's `file` module: a flash region's image of a fixed size
 * with the NOR rules kept (a write only clears bits, erase sets a sector to 0xFF), so the call log
 * and the recordings (src/calllog) run on it exactly as on a flash partition, and a dump of it is
 * what `ringdown recordings DUMP` reads. The desktop (`lin`) board keeps its recordings in one
 * (a host file named by `RINGDOWN_RECORDINGS`); an SD card board keeps one on the card's FAT.
 *
 * A file shorter than `byteLength` (a new one) is extended with erased sectors. The `File` class
 * is injected (Moddable's `file` module on the device, a fake in tests).
 */
import type { ByteStore } from '../../hal/storage.js';

/** The part of a Moddable `File` the store uses. */
export interface StorageFile {
  read(type: typeof ArrayBuffer, count: number): ArrayBuffer;
  write(bytes: ArrayBuffer): void;
  position: number;
  readonly length: number;
  close(): void;
}

export interface FileStorageOptions {
  /** Moddable's `File` class (`import { File } from 'file'`). */
  io: new (
    path: string,
    write?: boolean,
  ) => StorageFile;
  /** The file (absolute: the lin `file` module opens the path as given). */
  path: string;
  /** The region's size in bytes; rounded down to whole sectors. */
  byteLength: number;
  /** Erase unit in bytes (default 4096, an ESP32 flash sector). */
  sectorSize?: number;
}

export class FileStorage implements ByteStore {
  readonly #file: StorageFile;
  readonly byteLength: number;
  readonly sectorSize: number;

  constructor(options: FileStorageOptions) {
    this.sectorSize = options.sectorSize ?? 4096;
    this.byteLength = options.byteLength - (options.byteLength % this.sectorSize);
    if (this.byteLength < 2 * this.sectorSize)
      throw new RangeError(`${options.path}: a region of ${options.byteLength} bytes holds fewer than two sectors`);
    this.#file = new options.io(options.path, true);
    const erased = new Uint8Array(this.sectorSize).fill(0xff);
    const length = this.#file.length;
    for (let at = length - (length % this.sectorSize); at < this.byteLength; at += this.sectorSize) {
      // A sector the file ends inside is completed from the file's end.
      this.#file.position = Math.max(at, length);
      this.#file.write(at < length ? erased.buffer.slice(length - at) : erased.buffer);
    }
  }

  read(offset: number, length: number): Uint8Array {
    this.#check(offset, length);
    if (length === 0) return new Uint8Array(0);
    this.#file.position = offset;
    return new Uint8Array(this.#file.read(ArrayBuffer, length));
  }

  write(offset: number, bytes: Uint8Array): void {
    const stored = this.read(offset, bytes.byteLength);
    for (let i = 0; i < stored.length; i++) stored[i] = stored[i]! & bytes[i]!;
    this.#file.position = offset;
    this.#file.write(stored.buffer as ArrayBuffer);
  }

  erase(index: number): void {
    this.#check(index * this.sectorSize, this.sectorSize);
    this.#file.position = index * this.sectorSize;
    this.#file.write(new Uint8Array(this.sectorSize).fill(0xff).buffer);
  }

  close(): void {
    this.#file.close();
  }

  #check(offset: number, length: number): void {
    if (!(offset >= 0 && length >= 0 && offset + length <= this.byteLength))
      throw new RangeError(`bytes ${offset}-${offset + length} are outside the region of ${this.byteLength}`);
  }
}
