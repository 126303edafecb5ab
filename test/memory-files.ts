/** An in-memory stand-in for Moddable's `file` module, for the SD card's recordings store. */
import type { FileModule, WavFile } from '../drivers/wav-file-recordings/wav-file-recordings.js';

/**
 * Files by path, as bytes; every write lands at once (Moddable's write flushes). With `fat`, as
 * a FAT card without long file names: paths are the same file whatever their case (the map keys
 * them in lower case) and a folder lists its names in capitals. With `capacity`, a card of that
 * many bytes: `freeBytes()` is what the files leave, and a write past it throws as a full card's
 * does, writing nothing.
 */
export function memoryFiles(
  fat = false,
  capacity = Infinity,
): { files: Map<string, Uint8Array>; module: FileModule; freeBytes: () => number } {
  const files = new Map<string, Uint8Array>();
  const key = (path: string): string => (fat ? path.toLowerCase() : path);
  const freeBytes = (): number => capacity - [...files.values()].reduce((n, f) => n + f.length, 0);
  class MemoryFile implements WavFile {
    position = 0;
    private readonly path: string;
    constructor(path: string, write?: boolean) {
      this.path = key(path);
      if (!files.has(this.path)) {
        if (write !== true) throw new Error('file not found');
        files.set(this.path, new Uint8Array(0));
      }
    }
    write(bytes: ArrayBuffer): void {
      const old = files.get(this.path)!;
      const end = Math.max(old.length, this.position + bytes.byteLength);
      if (end - old.length > freeBytes()) throw new Error('card full');
      const next = new Uint8Array(end);
      next.set(old);
      next.set(new Uint8Array(bytes), this.position);
      files.set(this.path, next);
      this.position += bytes.byteLength;
    }
    read(_type: typeof ArrayBuffer, count: number): ArrayBuffer {
      const bytes = files.get(this.path)!;
      const end = Math.min(bytes.length, this.position + count);
      const out = bytes.slice(this.position, end);
      this.position = end;
      return out.buffer;
    }
    get length(): number {
      return files.get(this.path)!.length;
    }
    close(): void {}
    static delete(path: string): boolean {
      return files.delete(key(path));
    }
    static exists(path: string): boolean {
      return files.has(key(path));
    }
    static rename(from: string, to: string): boolean {
      const bytes = files.get(key(from));
      if (bytes === undefined || to.includes('/')) return false;
      files.delete(key(from));
      files.set(key(`${from.slice(0, from.lastIndexOf('/') + 1)}${to}`), bytes);
      return true;
    }
  }
  class MemoryIterator {
    private readonly names: string[];
    constructor(dir: string) {
      const prefix = `${key(dir)}/`;
      this.names = [...files.keys()]
        .filter((p) => p.startsWith(prefix))
        .map((p) => (fat ? p.slice(prefix.length).toUpperCase() : p.slice(prefix.length)))
        .sort();
    }
    next(): { name: string } | undefined {
      const name = this.names.shift();
      return name === undefined ? undefined : { name };
    }
  }
  return { files, module: { File: MemoryFile, Iterator: MemoryIterator }, freeBytes };
}
