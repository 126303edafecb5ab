/**
 * The desktop firmware: `mcconfig -m -p lin` builds `mc.so` from this repository's manifest for a
 * staged menu, and `mcsim` (the SDK's simulator, headless under `xvfb-run`) runs it with a call
 * script in its environment (boards/lin/board.ts reads `RINGDOWN_EVENTS`, `RINGDOWN_CLIP_MS` and
 * `RINGDOWN_UNTIL_MS`). The firmware's trace is its console: one JSON trace event a line, ended
 * by an `end` event once nothing but waiting for the handset remains.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceEvent } from '../../src/engine/trace.js';
import { REPO_ROOT } from './repo-root.js';
import { parseTraceLine } from './compare.js';
import { which, type Sdk } from './sdk.js';
import type { Staged } from './stage.js';

/** Where the lin firmware is built (gitignored): this checkout's own, not the SDK's build/. */
export const LIN_OUTPUT = join(REPO_ROOT, 'build', 'moddable');

export interface LinBuild {
  /** The built firmware. */
  library: string;
  /** mcconfig's output (for a failed build). */
  log: string;
  ok: boolean;
}

/** Builds the lin firmware for a staged menu; `config` are mcconfig `name=value` overrides. */
export function buildLin(sdk: Sdk, staged: Staged, config: Record<string, string> = {}): LinBuild {
  // The build's own output folder (mcconfig -o): the SDK's build/ is shared by every checkout
  // building with it, and two builds of `ringdown` there would overwrite each other's mc.so.
  const output = LIN_OUTPUT;
  mkdirSync(output, { recursive: true });
  // make copies a data resource only when its source is newer than the build's copy, and builds
  // from other staging folders (ringdown device, the device lane) share this output: a staged
  // file left unchanged since an earlier build would lose to another menu built in between.
  const now = new Date();
  for (const name of ['menu.xml', 'ring.xml', 'catalog.json']) {
    const path = join(staged.dir, name);
    if (existsSync(path)) utimesSync(path, now, now);
  }
  const args = ['-m', '-p', 'lin', '-o', output, ...Object.entries(config).map(([k, v]) => `${k}=${v}`)];
  const run = spawnSync(join(sdk.bin, 'mcconfig'), args, {
    cwd: REPO_ROOT,
    env: { ...sdk.env, MENU: staged.menu, CLIPS: staged.clips },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const library = join(output, 'bin', 'lin', 'mc', 'release', 'ringdown', 'mc.so');
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  return { library, log, ok: run.status === 0 && existsSync(library) && !/### Error/.test(log) };
}

export interface LinRun {
  trace: TraceEvent[];
  /** Console lines that are not trace events (diagnostics, `ringdown:` notes, XS aborts). */
  notes: string[];
  /** Why the run did not end with an `end` event, if it did not. */
  problem?: string;
}

export interface LinRunOptions {
  events: string;
  clipMs?: number;
  untilMs?: number;
  /** Give up this long (real ms) after the start (default: the script's last event + 120 s). */
  timeoutMs?: number;
  onTrace?: (event: TraceEvent) => void;
  /** A mod (`.xsa`, from `ringdown mod --board lin`) installed for the run: mcsim opens it with the firmware. */
  archive?: string;
  /**
   * The recordings' flash image (RINGDOWN_RECORDINGS), kept after the run for reading with
   * src/calllog/flash-recordings.ts; default: a new one in the run's own folder, removed after it
   * (every run starts with no recordings, as `ringdown sim` does).
   */
  recordings?: string;
  /** The image's size in bytes (default the board's, 4 MB). */
  recordingsBytes?: number;
  /**
   * A folder for the sounds played (RINGDOWN_AUDIO_OUT): the firmware then plays through the
   * ESP32 boards' AudioOut player and writes each sound's samples there (boards/lin/board.ts).
   */
  audioOut?: string;
}

/** What runs the simulator headless, or a sentence saying what is missing. */
export function headless(sdk: Sdk): string[] | string {
  const mcsim = join(sdk.bin, 'mcsim');
  if (!existsSync(mcsim))
    return `the SDK at ${sdk.root} has no mcsim: build it (mcconfig -m -p x-lin $MODDABLE/tools/mcsim/manifest.json)`;
  const xvfb = which('xvfb-run');
  if (xvfb === undefined) return 'xvfb-run is missing (Debian package xvfb): mcsim needs a display';
  const stdbuf = which('stdbuf');
  return [xvfb, '-a', ...(stdbuf !== undefined ? [stdbuf, '-oL', '-eL'] : []), mcsim];
}

/**
 * Runs mcsim headless (`command`, from headless()) on `files`, in a home of its own: mcsim keeps
 * preferences and its copy of mc.so there, so runs side by side do not share them. `env(home)` is
 * its environment; each console line goes to `line`, which calls `finish` when the run is over
 * (with a problem, or none). Resolves with the problem once mcsim is killed and its home removed.
 */
export function runMcsim(
  command: string[],
  files: string[],
  env: (home: string) => NodeJS.ProcessEnv,
  options: { timeoutMs: number; timeoutProblem: () => string; exitProblem: string },
  line: (text: string, finish: (problem?: string) => void) => void,
): Promise<string | undefined> {
  const home = mkdtempSync(join(tmpdir(), 'ringdown-mcsim-'));
  mkdirSync(join(home, '.config'));
  return new Promise((done) => {
    const child = spawn(command[0]!, [...command.slice(1), ...files], {
      env: env(home),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let finished = false;
    const finish = (problem?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      rmSync(home, { recursive: true, force: true });
      done(problem);
    };
    const timer = setTimeout(() => finish(options.timeoutProblem()), options.timeoutMs);
    const read = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        line(buffer.slice(0, newline), finish);
        buffer = buffer.slice(newline + 1);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code, signal) => finish(`mcsim exited (${signal ?? code}) ${options.exitProblem}`));
  });
}

/** Runs the firmware once with a call script; resolves when it traces `end` (or fails). */
export async function runLin(sdk: Sdk, library: string, options: LinRunOptions): Promise<LinRun> {
  const command = headless(sdk);
  if (typeof command === 'string') return { trace: [], notes: [], problem: command };
  const env = (home: string): NodeJS.ProcessEnv => ({
    ...sdk.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    RINGDOWN_EVENTS: options.events,
    RINGDOWN_RECORDINGS: options.recordings ?? join(home, 'recordings.bin'),
    ...(options.recordingsBytes !== undefined ? { RINGDOWN_RECORDINGS_BYTES: String(options.recordingsBytes) } : {}),
    ...(options.audioOut !== undefined ? { RINGDOWN_AUDIO_OUT: options.audioOut } : {}),
    ...(options.clipMs !== undefined ? { RINGDOWN_CLIP_MS: String(options.clipMs) } : {}),
    ...(options.untilMs !== undefined ? { RINGDOWN_UNTIL_MS: String(options.untilMs) } : {}),
  });
  const lastEventMs = Math.max(0, ...[...options.events.matchAll(/@([\d.]+)/g)].map((m) => Number(m[1]) * 1000));
  const timeoutMs = options.timeoutMs ?? Math.max(options.untilMs ?? 0, lastEventMs) + 120_000;
  // mcsim given the firmware and an archive launches the firmware with the archive mapped as its
  // mod (tools/mcsim/main.js: onOpenFileCallback), as mcrun does on the desktop.
  const files = options.archive !== undefined ? [library, options.archive] : [library];
  const result: LinRun = { trace: [], notes: [] };
  const problem = await runMcsim(
    command,
    files,
    env,
    {
      timeoutMs,
      timeoutProblem: () => `no end event within ${Math.round(timeoutMs / 1000)} s`,
      exitProblem: 'before the end of the call',
    },
    (text, finish) => {
      const event = parseTraceLine(text);
      if (event !== undefined) {
        result.trace.push(event);
        options.onTrace?.(event);
        if (event.type === 'end') finish();
      } else if (text.trim() !== '') {
        result.notes.push(text);
        if (text.startsWith('XS abort')) finish(`the firmware aborted: ${text.trim()}`);
      }
    },
  );
  if (problem !== undefined) result.problem = problem;
  return result;
}
