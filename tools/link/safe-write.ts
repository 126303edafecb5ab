/**
 * Writing the files `ringdown pull` makes without ever replacing one, through the output policy
 * (tools/output.ts: no symlink followed, atomic, nothing but a regular file replaced): a file of
 * the name that already holds the same bytes is left as it is; one that holds other bytes is kept,
 * and the new file takes the next free name (NAME-1.wav, NAME-2.wav...).
 */
import { lstatSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { writeOutput } from '../output.js';

export type SafeWrite = { kind: 'written' | 'same'; path: string } | { kind: 'failed'; path: string; message: string };

/** Whether PATH is a regular file holding other bytes than `bytes` (the name is taken). */
function holdsOther(path: string, bytes: Uint8Array): boolean {
  try {
    const stats = lstatSync(path);
    return stats.isFile() && (stats.size !== bytes.length || Buffer.compare(readFileSync(path), bytes) !== 0);
  } catch {
    return false;
  }
}

/** Whether PATH holds exactly `bytes` already. */
function holdsSame(path: string, bytes: Uint8Array): boolean {
  try {
    const stats = lstatSync(path);
    return stats.isFile() && stats.size === bytes.length && Buffer.compare(readFileSync(path), bytes) === 0;
  } catch {
    return false;
  }
}

/** Writes `bytes` as DIR/NAME (or the next free name); never replaces a file. */
export function writeNewFile(dir: string, name: string, bytes: Uint8Array): SafeWrite {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; n < 1000; n++) {
    const path = join(dir, n === 0 ? name : `${stem}-${n}${ext}`);
    if (holdsOther(path, bytes)) continue;
    const already = holdsSame(path, bytes);
    const problem = writeOutput(path, bytes, { command: 'pull', existing: 'keep' });
    if (problem !== undefined) return { kind: 'failed', path, message: problem };
    return { kind: already ? 'same' : 'written', path };
  }
  return { kind: 'failed', path: join(dir, name), message: 'a thousand files of that name already exist' };
}
