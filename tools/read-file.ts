/**
 * Reading a file the user named, safely: only a regular file (a FIFO, a device, a directory or a
 * symlink to one is refused without reading a byte, so `/dev/zero` or a pipe can never hang a
 * command), and never more than `maxBytes` (a larger file is refused, whatever it claims).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** What a non-regular file is, for messages. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function human(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Why a file was not read: `problem` is a message without the path (callers put the file's name in front). */
export interface ReadProblem {
  problem: string;
  /** It is not a regular file (or a symlink to nothing): nothing there can be a clip or a menu. */
  notRegular: boolean;
  /** It was refused for its size: it was readable, its content is the problem. */
  tooLarge?: true;
}

/**
 * The bytes of a regular file of at most `maxBytes`, or why not. `what` names the limit in the
 * message ("a menu", "a clip").
 */
export function readRegularFile(path: string, maxBytes: number, what: string): Uint8Array | ReadProblem {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return { problem: `cannot read the file (${code})`, notRegular: code === 'ENOENT' };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      return { problem: `cannot read the file: it is ${fileKind(stats)}, not a regular file`, notRegular: true };
    const tooBig: ReadProblem = {
      problem: `the file is larger than ${human(maxBytes)}, the limit for ${what}`,
      notRegular: false,
      tooLarge: true,
    };
    if (stats.size > maxBytes) return tooBig;
    // Read up to one byte past the limit: a file that grows while it is read is caught too.
    let buffer = new Uint8Array(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const grown = new Uint8Array(Math.min(buffer.length * 2, maxBytes + 1));
        grown.set(buffer);
        buffer = grown;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) return tooBig;
    }
    return buffer.subarray(0, length);
  } catch (e) {
    return { problem: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, notRegular: false };
  } finally {
    closeSync(fd);
  }
}
