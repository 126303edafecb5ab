/**
 * Drives Moddable's XS engine as built by `@agoric/xsnap` (the `xsnap-worker` binary) directly
 * from Node, without the package's SES-based wrapper.
 *
 * Protocol (from the package's src/xsnap.js and xsnap-native/xsnap/sources/xsnap-worker.c):
 * netstrings `LEN:PAYLOAD,` travel to the worker on fd 3 and back on fd 4. We send `e<code>`
 * (evaluate a script with the global `eval`); the worker answers `.<meters-json>\x01<reply>` on
 * success or `!<message>` for an uncaught throw. While a script runs, `issueCommand(buffer)`
 * reaches us as `?<bytes>` and must be answered with `/<bytes>`. `print` writes lines to stdout;
 * the engine's own reports (e.g. `unhandled rejection: ...`) go to stderr.
 *
 * Meters are per evaluation ("crank"): `compute` is XS's deterministic metering count,
 * `allocate` the bytes of chunk space the machine holds, and `currentHeapCount` the slots in use
 * when the crank ended (the live count at the last collection plus every slot allocated since, so
 * after a `gc()` at the start of a crank it is the crank's high-water mark unless it collected).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export interface XsMeters {
  compute: number;
  allocate: number;
  currentHeapCount: number;
}

export interface XsResult {
  ok: boolean;
  error?: string;
  prints: string[];
  meters: XsMeters;
}

export interface XsOptions {
  /** Answers the script's `issueCommand(buffer)`; without it a command gets an empty reply. */
  onCommand?: (bytes: Uint8Array) => Uint8Array;
  /** Compute limit per evaluation (XS aborts the crank beyond it); default 1e9. */
  meteringLimit?: number;
}

/**
 * Where `npm install` builds the `xsnap-worker` binary for this machine, or undefined when the
 * package is not installed. `@agoric/xsnap` is an optional dependency: its install script compiles
 * XS with a C compiler and make, and without them npm leaves it out and the install still succeeds.
 */
function findWorker(): string | undefined {
  try {
    return join(
      dirname(createRequire(import.meta.url).resolve('@agoric/xsnap/package.json')),
      `xsnap-native/xsnap/build/bin/${process.platform === 'darwin' ? 'mac' : 'lin'}/release/xsnap-worker`,
    );
  } catch {
    return undefined;
  }
}

export const XSNAP_WORKER = findWorker();

/**
 * Why XS cannot run here (the optional package or its built worker is missing), or undefined when
 * it can. Tests skip with it (`t.test(name, { skip: xsnapMissing() }, ...)`), the XS lane prints it.
 */
export function xsnapMissing(): string | undefined {
  if (XSNAP_WORKER === undefined)
    return '@agoric/xsnap is not installed (an optional dependency: its install compiles XS and needs a C compiler and make)';
  if (!existsSync(XSNAP_WORKER))
    return `${XSNAP_WORKER} was not built (@agoric/xsnap's install script needs a C compiler and make)`;
  return undefined;
}

/** The worker's exit codes (the package's api.js `ExitCode`). */
const EXIT_REASONS: Readonly<Record<number, string>> = {
  1: 'bad argument usage',
  2: 'I/O error',
  11: 'not enough memory',
  12: 'stack overflow',
  15: 'unhandled exception',
  16: 'property (key) name space exhausted',
  17: 'too much computation (metering limit)',
  255: 'unhandled exception',
};

function describeExit(status: number | string): string {
  const reason = typeof status === 'number' ? EXIT_REASONS[status] : undefined;
  return `xsnap-worker exited (${status}${reason !== undefined ? `: ${reason}` : ''})`;
}

const NO_METERS: XsMeters = { compute: 0, allocate: 0, currentHeapCount: 0 };
const OK = 0x2e; // '.'
const ERROR = 0x21; // '!'
const QUERY = 0x3f; // '?'
const METER_SEPARATOR = 0x01;

/** Incremental netstring decoder: feed bytes, get whole payloads. */
export class NetstringReader {
  private buffer = new Uint8Array(0);

  constructor(private readonly onMessage: (payload: Uint8Array) => void) {}

  push(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    this.buffer = joined;
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(new TextDecoder().decode(this.buffer.subarray(0, colon)));
      if (!Number.isInteger(length) || length < 0) throw new Error('xsnap protocol error: bad netstring length');
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) return;
      if (this.buffer[end] !== 0x2c) throw new Error('xsnap protocol error: netstring without trailing comma');
      const payload = this.buffer.slice(colon + 1, end);
      this.buffer = this.buffer.slice(end + 1);
      this.onMessage(payload);
    }
  }
}

/** One netstring holding `prefix` then `body`. */
export function netstring(prefix: string, body: Uint8Array | string): Buffer {
  const payload = Buffer.concat([Buffer.from(prefix), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
  return Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.from(',')]);
}

interface Pending {
  resolve: (result: XsResult) => void;
  prints: string[];
}

/**
 * A running XS machine: evaluate scripts one after another in the same realm (globals persist),
 * each giving its own meters. Close it when done.
 */
export class XsWorker {
  private readonly child: ChildProcess;
  private readonly toWorker: Writable;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private stdoutRest = '';
  private stderrText = '';
  private readonly exited: Promise<number | string>;
  private exitStatus: number | string | undefined;
  /** Lines the engine printed that no evaluation has claimed yet. */
  private readonly printed: string[] = [];

  constructor(private readonly options: XsOptions = {}) {
    const missing = xsnapMissing();
    if (missing !== undefined) throw new Error(`cannot run XS: ${missing}`);
    this.child = spawn(XSNAP_WORKER!, ['ringdown', '-l', String(options.meteringLimit ?? 1e9)], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'ignore', 'ignore', 'ignore', 'ignore'],
    });
    const stdio = this.child.stdio;
    this.toWorker = stdio[3] as Writable;
    this.toWorker.on('error', () => undefined); // EPIPE after the worker died is reported via exit
    const reader = new NetstringReader((payload) => this.onMessage(payload));
    (stdio[4] as Readable).on('data', (chunk: Buffer) => reader.push(chunk));
    (stdio[1] as Readable).setEncoding('utf8').on('data', (text: string) => this.onStdout(text));
    (stdio[2] as Readable).setEncoding('utf8').on('data', (text: string) => {
      this.stderrText += text;
    });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        // Spawning failed (no binary): there will be no 'close' with an exit status.
        this.exitStatus = 'not started';
        this.stderrText += `cannot run ${XSNAP_WORKER}: ${error.message} (npm ci builds it: @agoric/xsnap's install script)`;
        this.failPending(this.stderrText);
        resolve(this.exitStatus);
      });
      this.child.once('close', (code, signal) => {
        if (this.exitStatus !== undefined) return;
        this.exitStatus = signal ?? code ?? 'unknown';
        this.flushStdout();
        this.failPending(`${describeExit(this.exitStatus)}${this.stderrSuffix()}`);
        resolve(this.exitStatus);
      });
    });
  }

  /** Evaluates `code` as a script; resolves when the crank (including its promise jobs) ends. */
  evaluate(code: string): Promise<XsResult> {
    const run = this.queue.then(
      () =>
        new Promise<XsResult>((resolve) => {
          if (this.exitStatus !== undefined) {
            resolve({ ok: false, error: describeExit(this.exitStatus), prints: [], meters: NO_METERS });
            return;
          }
          this.printed.length = 0;
          this.pending = { resolve, prints: [] };
          this.toWorker.write(netstring('e', code));
        }),
    );
    this.queue = run;
    return run;
  }

  /** Ends the worker; resolves with everything it still printed and its stderr. */
  async close(): Promise<{ status: number | string; prints: string[]; stderr: string }> {
    await this.queue;
    this.toWorker.end();
    const status = await this.exited;
    return { status, prints: this.printed.splice(0), stderr: this.stderrText };
  }

  /** The engine's own reports on stderr so far (unhandled rejections, aborts). */
  get stderr(): string {
    return this.stderrText;
  }

  private onMessage(payload: Uint8Array): void {
    const kind = payload[0];
    if (kind === QUERY) {
      const reply = this.options.onCommand?.(payload.subarray(1)) ?? new Uint8Array(0);
      this.toWorker.write(netstring('/', reply));
      return;
    }
    const pending = this.pending;
    if (pending === undefined)
      throw new Error(`xsnap protocol error: unexpected message ${String.fromCharCode(kind ?? 0)}`);
    this.pending = undefined;
    if (kind === OK) {
      const separator = payload.indexOf(METER_SEPARATOR, 1);
      const meters = separator < 0 ? NO_METERS : parseMeters(new TextDecoder().decode(payload.subarray(1, separator)));
      pending.resolve({ ok: true, prints: this.takePrints(), meters });
    } else if (kind === ERROR) {
      const message = new TextDecoder().decode(payload.subarray(1));
      pending.resolve({
        ok: false,
        error: `uncaught exception: ${message}`,
        prints: this.takePrints(),
        meters: NO_METERS,
      });
    } else {
      pending.resolve({
        ok: false,
        error: 'xsnap protocol error: unknown reply',
        prints: this.takePrints(),
        meters: NO_METERS,
      });
    }
  }

  private takePrints(): string[] {
    return this.printed.splice(0);
  }

  private onStdout(text: string): void {
    const lines = (this.stdoutRest + text).split('\n');
    this.stdoutRest = lines.pop() ?? '';
    this.printed.push(...lines);
  }

  private flushStdout(): void {
    if (this.stdoutRest !== '') this.printed.push(this.stdoutRest);
    this.stdoutRest = '';
  }

  private failPending(error: string): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve({ ok: false, error, prints: this.takePrints(), meters: NO_METERS });
  }

  private stderrSuffix(): string {
    const text = this.stderrText.trim();
    return text === '' ? '' : `: ${text}`;
  }
}

function parseMeters(json: string): XsMeters {
  const raw = JSON.parse(json) as Partial<Record<keyof XsMeters, number>>;
  return { compute: raw.compute ?? 0, allocate: raw.allocate ?? 0, currentHeapCount: raw.currentHeapCount ?? 0 };
}

/** Engine reports on stderr that mean a script failed even though its crank returned. */
const FAILURE_REPORT =
  /^(unhandled (?:rejection|exception)|Unhandled exception|stack overflow|memory full|too much computation|not enough keys)[^\n]*/m;

/**
 * Runs `source` as one script on a fresh XS machine and reports its prints and meters. Fails
 * (`ok: false` with `error`) on an uncaught throw, an unhandled promise rejection, an engine
 * abort, or the worker exiting abnormally.
 */
export async function runXs(source: string, options: XsOptions = {}): Promise<XsResult> {
  const worker = new XsWorker(options);
  const result = await worker.evaluate(source);
  const closed = await worker.close();
  const prints = [...result.prints, ...closed.prints];
  const report = FAILURE_REPORT.exec(closed.stderr)?.[0];
  if (result.ok && report !== undefined) return { ok: false, error: report, prints, meters: result.meters };
  if (result.ok && closed.status !== 0) {
    return {
      ok: false,
      error: `${describeExit(closed.status)}: ${closed.stderr.trim()}`,
      prints,
      meters: result.meters,
    };
  }
  return { ...result, prints };
}

/** Test options: skipped with the reason when XS cannot run here (see xsnapMissing). */
export function needsXs(): { skip?: string } {
  const missing = xsnapMissing();
  return missing === undefined ? {} : { skip: missing };
}
