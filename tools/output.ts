/**
 * Every file a `ringdown` command writes goes through this module, under one policy:
 *
 * - A symbolic link at the destination is never followed: it is refused (the only exception is a
 *   streaming output named as an open descriptor, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`).
 * - Something that is not a regular file (a directory, a FIFO, a device, a socket) is never
 *   replaced. A command whose point is a stream (`sim --wav`, `tui --wav`, `tui --trace`,
 *   `dtmf encode --out`) writes into a FIFO or a character device given as its output
 *   (`stream: true`); every other command refuses them.
 * - An existing regular file is replaced only where the command's documented behaviour is to
 *   replace that one named file (`existing: 'replace'`: `graph --out`, `mod --out`, Studio Save,
 *   `--wav`, `--trace`). A file in a folder of outputs (`existing: 'keep'`: recordings) is never
 *   replaced: one with identical bytes counts as already written (a run can be repeated), a
 *   different one is refused and named.
 * - Writes are atomic: a temporary file beside the destination (same folder, so a rename moves it
 *   in), created exclusively (O_EXCL, O_NOFOLLOW), written, fsynced, then renamed over the
 *   destination (or linked to it, for a new file that must not replace anything). A reader never
 *   sees half a file.
 * - A replaced file keeps its mode (a menu kept `chmod 600` stays so); a new one gets the usual
 *   0666 less the umask.
 * - On any refusal or failure the destination is exactly as it was and the temporary file is gone.
 *   The one exception is a live log (`live: true`, `tui --trace`), followed while it grows: it
 *   moves into place when opened, and a write that fails later leaves it as far as it got.
 *
 * Errors are one line naming the user's path, never the temporary file:
 * `ringdown graph: cannot write out.svg: it is a directory`.
 *
 * A folder of outputs (`--recordings DIR`, `recordings --out DIR`, `clips --out DIR`) is checked
 * before the command does its work (`prepareFolder`): it is made when missing, and must be a
 * directory the user may write into. A symlink naming the folder itself is followed (the user
 * named it, as `/tmp` is a symlink on some systems); the files inside are never followed.
 */
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

import { fileKind } from './read-file.js';
export interface OutputOptions {
  /** The command, for messages: `ringdown COMMAND: cannot write PATH: why`. */
  command: string;
  /**
   * An existing regular file at the destination: `replace` it (the command's job is to replace
   * this one named file), or `keep` it (identical bytes count as written, other bytes are refused).
   */
  existing: 'replace' | 'keep';
  /** Write straight into a FIFO or character device named as the output (the command's point is a stream). */
  stream?: boolean;
  /**
   * A log followed while it grows (`tui --trace`): the new, empty file moves into place when opened
   * (atomically, through the same checks) and is appended to; a failed write leaves it as far as it got.
   */
  live?: boolean;
}

/** What is at a path, without following a symlink there. */
function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** What a thing at a destination is, for messages: `fileKind`'s words, and a symlink named as one. */
export function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return stats.isFile() ? 'a regular file' : fileKind(stats);
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a directory',
  ELOOP: 'it is a symbolic link (not followed)',
  EEXIST: 'something else appeared there while writing (not replaced)',
  EFBIG: 'the file is too large for the file system',
  EIO: 'an input/output error',
  EPIPE: 'the reading end of the pipe was closed',
  ENAMETOOLONG: 'the name is too long',
  EXDEV: 'the temporary file and the destination are on different file systems',
};

/** A system error as words, without the paths Node puts in its messages (the temporary file's among them). */
export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string') return REASONS[err.code] ?? err.code;
  return e instanceof Error ? e.message : String(e);
}

/** A message for a refusal or failure at `path`. */
function problem(options: OutputOptions, path: string, why: string): string {
  return `ringdown ${options.command}: cannot write ${path}: ${why}`;
}

/** Names of already-open descriptors: a stream given as one is written as it is. */
const DESCRIPTOR = /^\/(dev\/(stdout|stderr|fd\/\d+)|proc\/self\/fd\/\d+)$/;

/**
 * Why `path` cannot be written under the policy, or undefined when it can (nothing is written).
 * Commands call it before a long run, so a bad destination is reported before the work.
 */
export function outputProblem(path: string, options: OutputOptions): string | undefined {
  if (path === '') return problem(options, path, 'the name is empty');
  let stats: Stats | undefined;
  try {
    stats = lstatOrUndefined(path);
  } catch (e) {
    return problem(options, path, reason(e));
  }
  if (options.stream === true && DESCRIPTOR.test(path)) return undefined;
  if (stats !== undefined && !stats.isFile()) {
    if (options.stream === true && (stats.isFIFO() || stats.isCharacterDevice())) return undefined;
    const hint = stats.isSymbolicLink()
      ? ' (not followed; remove it or choose another name)'
      : stats.isDirectory()
        ? ''
        : ', not a regular file (not replaced)';
    return problem(options, path, `it is ${kindOf(stats)}${hint}`);
  }
  const dir = dirname(path);
  try {
    const folder = statSync(dir);
    if (!folder.isDirectory()) return problem(options, path, 'a part of its path is not a folder');
    const why = folderProblem(dir, folder);
    return why === undefined ? undefined : problem(options, path, why.replace('the folder', `its folder ${dir}`));
  } catch (e) {
    return problem(options, path, reason(e));
  }
}

/**
 * Checks a folder of outputs before a command runs: made when missing (with its parents; with
 * `make` false only checked that it can be), else it must be a directory (a symlink to one is
 * followed: the user named it) that may be written into. Undefined when it is ready, else the
 * one-line message.
 */
export function prepareFolder(dir: string, command: string, make = true): string | undefined {
  const fail = (why: string): string => `ringdown ${command}: cannot write to ${dir}: ${why}`;
  if (dir === '') return fail('the name is empty');
  let stats: Stats | undefined;
  try {
    stats = statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return fail(reason(e));
    if (lstatOrUndefined(dir)?.isSymbolicLink() === true)
      return fail('it is a symbolic link to nothing (not followed)');
    if (!make) {
      // Made later by the command: the nearest folder that exists must let it be made.
      const parent = dirname(dir);
      return parent === dir
        ? fail('its folder does not exist')
        : prepareFolder(parent, command, false)?.replace(`to ${parent}:`, `to ${dir}: its folder ${parent}`);
    }
    try {
      mkdirSync(dir, { recursive: true });
      return undefined;
    } catch (e2) {
      return fail(`cannot make the folder: ${reason(e2)}`);
    }
  }
  if (!stats.isDirectory()) return fail(`it is ${kindOf(stats)}, not a folder`);
  const why = folderProblem(dir, stats);
  return why === undefined ? undefined : fail(why);
}

/**
 * Root passes the system's permission check on any folder, so a folder made read-only on purpose
 * (no write bit for anyone) would still be written into: for root, such a folder is refused here.
 * Other users get the system's own check (which also knows ACLs and read-only mounts).
 */
export function folderWritable(mode: number, uid: number | undefined): string | undefined {
  return uid === 0 && (mode & 0o222) === 0 ? 'the folder is read-only (no write permission for anyone)' : undefined;
}

/** Why files cannot be made in the folder `dir` (an existing directory), or undefined. */
function folderProblem(dir: string, stats: Stats): string | undefined {
  const own = folderWritable(stats.mode, process.getuid?.());
  if (own !== undefined) return own;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (e) {
    return `the folder is not writable (${reason(e)})`;
  }
}

/** An output being written: `write` as often as needed, then `close` (or `abort`). */
export interface Output {
  /** Appends bytes. A failure is remembered (later writes do nothing) and reported by `close`. */
  write(bytes: Uint8Array | string): void;
  /** Finishes: the file moves into place. Undefined when written, else the message (nothing changed). */
  close(): string | undefined;
  /** Gives up: the destination stays as it was. */
  abort(): void;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** Writes to `fd` unless it is closed or a failure is already kept; a new failure goes to `fail`. */
function writeKept(
  fd: number | undefined,
  failed: boolean,
  bytes: Uint8Array | string,
  fail: (e: unknown) => void,
): void {
  if (fd === undefined || failed) return;
  try {
    writeAll(fd, toBytes(bytes));
  } catch (e) {
    fail(e);
  }
}

const encoder = new TextEncoder();
const toBytes = (data: Uint8Array | string): Uint8Array => (typeof data === 'string' ? encoder.encode(data) : data);

/** A mode for a new file: 0666 less the umask. */
function newFileMode(): number {
  const mask = process.umask();
  return 0o666 & ~mask;
}

/** A temporary file beside `path`, made exclusively; its name and descriptor. */
function makeTemp(path: string): { temp: string; fd: number } {
  for (let tries = 0; ; tries++) {
    const temp = join(
      dirname(path),
      `.${basename(path)}.ringdown-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      const fd = openSync(
        temp,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
        0o600,
      );
      return { temp, fd };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 5) throw e;
    }
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/** Whether the regular file at `path` holds exactly `bytes` (read without following a symlink). */
function sameBytes(path: string, bytes: Uint8Array): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return false;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size !== bytes.length) return false;
    const chunk = new Uint8Array(1 << 16);
    for (let at = 0; at < bytes.length; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, bytes.length - at), at);
      if (n === 0) return false;
      for (let i = 0; i < n; i++) if (chunk[i] !== bytes[at + i]) return false;
      at += n;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Writes into an already-existing stream (a FIFO, a device, a descriptor), as the command's point. */
function openStream(path: string, options: OutputOptions): Output {
  let fd: number | undefined;
  let failure: string | undefined;
  try {
    const follow = DESCRIPTOR.test(path) ? 0 : (constants.O_NOFOLLOW ?? 0);
    fd = openSync(path, constants.O_WRONLY | follow);
    const stats = fstatSync(fd);
    if (!DESCRIPTOR.test(path) && !(stats.isFIFO() || stats.isCharacterDevice()))
      throw Object.assign(new Error('changed'), { code: 'EEXIST' });
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    failure = problem(options, path, reason(e));
  }
  return {
    write(bytes) {
      writeKept(fd, failure !== undefined, bytes, (e) => (failure = problem(options, path, reason(e))));
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      return failure;
    },
    abort() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * Gives a new temporary file its mode before any byte is written, so the content is never more
 * readable than the result: the replaced file's mode (and owner, as root), else a new file's.
 */
function keepMode(fd: number, now: Stats | undefined, options: OutputOptions): void {
  if (now !== undefined && options.existing === 'replace') {
    fchmodSync(fd, now.mode & 0o7777);
    if (process.getuid?.() === 0) fchownSync(fd, now.uid, now.gid);
  } else fchmodSync(fd, newFileMode());
}

/**
 * Moves a finished temporary file to `path`, looking at what is there just before the move: a new
 * file is linked (which fails rather than replace anything that appeared meanwhile), a regular file
 * is replaced only when the policy says so, anything else is refused. `renamed` says the temporary
 * name is gone.
 */
function placeTemp(temp: string, path: string, options: OutputOptions): { failure?: string; renamed: boolean } {
  try {
    const there = lstatOrUndefined(path);
    if (there === undefined) {
      try {
        linkSync(temp, path);
        return { renamed: false };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
        renameSync(temp, path); // A file system without hard links.
        return { renamed: true };
      }
    }
    if (!there.isFile())
      return {
        failure: problem(options, path, `it is ${kindOf(there)}, not a regular file (not replaced)`),
        renamed: false,
      };
    if (options.existing === 'keep')
      return { failure: problem(options, path, 'a different file is already there (not replaced)'), renamed: false };
    renameSync(temp, path);
    return { renamed: true };
  } catch (e) {
    return { failure: problem(options, path, reason(e)), renamed: false };
  }
}

/**
 * Opens `path` for writing under the policy. Bytes go to a temporary file beside it until `close`
 * moves it into place (or, with `stream` and a FIFO or device there, straight into it). A refused
 * destination gives an Output whose `close` returns the refusal and which writes nothing.
 */
export function openOutput(path: string, options: OutputOptions): Output {
  const refused = outputProblem(path, options);
  if (refused !== undefined) return { write() {}, close: () => refused, abort() {} };
  const now = lstatOrUndefined(path);
  if (options.stream === true && (DESCRIPTOR.test(path) || (now !== undefined && !now.isFile())))
    return openStream(path, options);
  let temp: string | undefined;
  let fd: number | undefined;
  let failure: string | undefined;
  const fail = (e: unknown): void => {
    failure ??= problem(options, path, reason(e));
  };
  const cleanUp = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    if (temp !== undefined) removeQuietly(temp);
    temp = undefined;
  };
  try {
    const made = makeTemp(path);
    temp = made.temp;
    fd = made.fd;
    keepMode(fd, now, options);
  } catch (e) {
    fail(e);
    cleanUp();
  }
  if (options.live === true && fd !== undefined && temp !== undefined) {
    try {
      renameSync(temp, path);
      temp = undefined;
    } catch (e) {
      fail(e);
      cleanUp();
    }
    const logFd = fd;
    return {
      write(bytes) {
        writeKept(logFd, failure !== undefined, bytes, fail);
      },
      close() {
        try {
          fsyncSync(logFd);
        } catch (e) {
          fail(e);
        }
        cleanUp();
        return failure;
      },
      abort: cleanUp,
    };
  }
  return {
    write(bytes) {
      writeKept(fd, failure !== undefined, bytes, fail);
    },
    close() {
      if (failure !== undefined || fd === undefined || temp === undefined) {
        cleanUp();
        return failure ?? problem(options, path, 'closed twice');
      }
      try {
        fsyncSync(fd);
        closeSync(fd);
        fd = undefined;
        const placed = placeTemp(temp, path, options);
        if (placed.renamed) temp = undefined;
        failure = placed.failure;
      } catch (e) {
        fail(e);
      }
      cleanUp();
      return failure;
    },
    abort: cleanUp,
  };
}

/**
 * Writes `data` (bytes, text, or blocks written as they come: a block may reuse its buffer) to
 * `path` under the policy. Undefined when written (or, for `existing: 'keep'`, already there with
 * the same bytes), else the one-line message; the destination is then as it was.
 */
export function writeOutput(
  path: string,
  data: Uint8Array | string | Iterable<Uint8Array>,
  options: OutputOptions,
): string | undefined {
  if (options.existing === 'keep' && (typeof data === 'string' || data instanceof Uint8Array)) {
    const bytes = toBytes(data);
    const there = (() => {
      try {
        return lstatOrUndefined(path);
      } catch {
        return undefined;
      }
    })();
    if (there?.isFile() === true)
      return sameBytes(path, bytes)
        ? undefined
        : problem(options, path, 'a different file is already there (not replaced)');
  }
  const output = openOutput(path, options);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) output.write(data);
    else for (const block of data) output.write(block);
  } catch (e) {
    output.abort();
    throw e;
  }
  return output.close();
}
