import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a whole file or nothing: the text goes to a hidden temporary file beside it, is synced,
 * then renamed over the file, so a reader never sees half of it and a failed write leaves the old
 * file as it was.
 */
export function writeFileAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, new TextEncoder().encode(text));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(temp, { force: true });
    throw e;
  }
}
