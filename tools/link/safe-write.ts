/**
 * Writing the files `ringdown pull` makes without ever replacing one, through the output policy
 * (tools/output.ts: no symlink followed, atomic, nothing but a regular file replaced): a file of
 * the name that already holds the same bytes is left as it is; one that holds other bytes is kept,
 * and the new file takes the next free name (NAME-1.wav, NAME-2.wav...).
 */
import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { extname, join } from 'node:path';
import { reason, writeOutput } from '../output.js';

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

/**
 * A recording fetched in pieces goes to a part file in DIR (`.NAME.ID.part`) so an interrupted pull
 * resumes. It is this tool's own file: opened without following a symlink and used only when it is
 * a regular file, so a link or FIFO put there is never written through or waited on.
 */
function openPart(path: string, flags: number): number | string {
  let fd: number | undefined;
  try {
    fd = openSync(path, flags | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0), 0o600);
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      return `${path}: not a regular file; not used (hint: move it away and pull again)`;
    }
    return fd;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    return `${path}: ${reason(e)}; not used (hint: move it away and pull again)`;
  }
}

/**
 * Makes the part file ready to resume: created when missing, cut to whole samples, emptied when it
 * holds more than `maxBytes`. Returns the bytes it holds, or the problem.
 */
export function resumePart(path: string, maxBytes: number): number | string {
  const fd = openPart(path, constants.O_RDWR | constants.O_CREAT);
  if (typeof fd === 'string') return fd;
  try {
    const size = fstatSync(fd).size;
    const whole = size > maxBytes ? 0 : size - (size % 2);
    if (whole !== size) ftruncateSync(fd, whole);
    return whole;
  } catch (e) {
    return `${path}: ${reason(e)}`;
  } finally {
    closeSync(fd);
  }
}

/** Appends `bytes` to the part file; the problem, or undefined. */
export function appendPart(path: string, bytes: Uint8Array): string | undefined {
  const fd = openPart(path, constants.O_WRONLY | constants.O_APPEND);
  if (typeof fd === 'string') return fd;
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    return undefined;
  } catch (e) {
    return `${path}: ${reason(e)}`;
  } finally {
    closeSync(fd);
  }
}

/** The part file's bytes, or the problem. */
export function readPart(path: string): Uint8Array | string {
  const fd = openPart(path, constants.O_RDONLY);
  if (typeof fd === 'string') return fd;
  try {
    return new Uint8Array(readFileSync(fd));
  } catch (e) {
    return `${path}: ${reason(e)}`;
  } finally {
    closeSync(fd);
  }
}

/** Removes the part file once its recording is written (a symlink there is removed, not followed). */
export function removePart(path: string): void {
  rmSync(path, { force: true });
}
