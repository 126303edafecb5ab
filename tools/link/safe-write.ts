/**
 * Writing the files `ringdown pull` makes without ever replacing one: a file of the name that
 * already holds the same bytes is left as it is; one that holds other bytes is kept, and the new
 * file takes the next free name (NAME-1.wav, NAME-2.wav...). Exclusive creation (`wx`), so a file
 * made meanwhile by someone else is not replaced either.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { extname, join } from 'node:path';

export type SafeWrite = { kind: 'written' | 'same'; path: string } | { kind: 'failed'; path: string; message: string };

/** Writes `bytes` as DIR/NAME (or the next free name); never replaces a file. */
export function writeNewFile(dir: string, name: string, bytes: Uint8Array): SafeWrite {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; n < 1000; n++) {
    const path = join(dir, n === 0 ? name : `${stem}-${n}${ext}`);
    try {
      if (existsSync(path)) {
        if (statSync(path).isFile() && statSync(path).size === bytes.length && Buffer.compare(readFileSync(path), bytes) === 0) return { kind: 'same', path };
        continue;
      }
      const fd = openSync(path, 'wx');
      try {
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      } finally {
        closeSync(fd);
      }
      return { kind: 'written', path };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      return { kind: 'failed', path, message: e instanceof Error ? e.message : String(e) };
    }
  }
  return { kind: 'failed', path: join(dir, name), message: 'a thousand files of that name already exist' };
}
