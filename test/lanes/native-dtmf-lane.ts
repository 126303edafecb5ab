/**
 * The native DTMF filters on XS: builds test/native-dtmf (a lin app with drivers/dtmf-native/dtmf-native.c
 * and the receiver) with the Moddable SDK's mcconfig, runs it headless under mcsim on every file of
 * the bench battery (test/dtmf/battery.ts), and checks, file by file, that the receiver with the
 * native filters finds the same keys at the same samples as the receiver with its TypeScript
 * arithmetic on XS, and as the receiver on Node. Prints what each path cost per second of audio
 * (wall time of `push` on this computer's XS, 256-sample blocks). Without the SDK, mcsim,
 * xvfb-run or the battery's speech tools (espeak-ng, sox) it prints why and `# lane: skipped`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { battery, type Condition } from '../dtmf/battery.js';
import { DtmfDetector } from '../../src/dsp/dtmf-detector.js';
import { hasTool } from '../../tools/outside/tools.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { headless, runMcsim } from '../../tools/device/lin.js';
import { findSdk, type Sdk } from '../../tools/device/sdk.js';

/** What the app prints for one file. */
export interface NativeDtmfResult {
  name: string;
  samples: number;
  /** Key events as `KEYv@sample` (down) and `KEY^@sample` (up). */
  ts: string[];
  native: string[];
  /** Milliseconds in `push` on XS. */
  tsMs: number;
  nativeMs: number;
  /** Milliseconds of the arithmetic alone over every block (`TS_DTMF_FILTERS`, native). */
  filtersTsMs: number;
  filtersNativeMs: number;
}

const DIR = join(REPO_ROOT, 'build', 'native-dtmf');
const BLOCK = 256;

/** The receiver's events on Node, in the app's notation and blocks. */
export function nodeKeys(samples: Int16Array): string[] {
  const events: string[] = [];
  const d = new DtmfDetector({ onKey: (e) => events.push(`${e.key}${e.down ? 'v' : '^'}@${e.sample}`) });
  for (let at = 0; at < samples.length; at += BLOCK) d.push(samples, at, Math.min(BLOCK, samples.length - at));
  d.flush();
  return events;
}

/** Why the lane cannot run here, or what it runs with. */
export function nativeDtmfSetup(): { sdk: Sdk; command: string[] } | string {
  const sdk = findSdk();
  if (typeof sdk === 'string') return sdk;
  const command = headless(sdk);
  if (typeof command === 'string') return command;
  const missing = ['espeak-ng', 'sox'].filter((tool) => !hasTool(tool));
  if (missing.length > 0) return `${missing.join(' and ')} (the battery's speech) not installed`;
  return { sdk, command };
}

/** Builds the app; the firmware library or the build's last lines. */
export function buildNativeDtmf(sdk: Sdk): { library: string } | { problem: string } {
  const output = join(DIR, 'moddable');
  mkdirSync(output, { recursive: true });
  const run = spawnSync(
    join(sdk.bin, 'mcconfig'),
    ['-m', '-p', 'lin', '-o', output, join('test', 'native-dtmf', 'manifest.json')],
    {
      cwd: REPO_ROOT,
      env: sdk.env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0 || /### Error|dtmf-native\.c[^\n]*warning/.test(log))
    return { problem: `mcconfig failed: ${log.trim().split('\n').slice(-5).join(' | ')}` };
  return { library: join(output, 'bin', 'lin', 'mc', 'release', 'native-dtmf', 'mc.so') };
}

/** Runs the app under mcsim over `conditions`; its results, or why not. */
export async function runNativeDtmf(
  sdk: Sdk,
  command: string[],
  library: string,
  conditions: Condition[],
  timeoutMs = 20 * 60_000,
): Promise<NativeDtmfResult[] | string> {
  const data = join(DIR, 'battery');
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  const index = conditions.map((c, i) => {
    const file = `${String(i).padStart(2, '0')}.raw`;
    writeFileSync(join(data, file), new Uint8Array(c.samples.buffer, c.samples.byteOffset, c.samples.byteLength));
    return { name: c.name, file };
  });
  writeFileSync(join(data, 'index.json'), JSON.stringify(index));
  const env = (home: string): NodeJS.ProcessEnv => ({
    ...sdk.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    RINGDOWN_DTMF_BATTERY: data,
  });
  const results: NativeDtmfResult[] = [];
  const problem = await runMcsim(
    command,
    [library],
    env,
    {
      timeoutMs,
      timeoutProblem: () =>
        `no end within ${Math.round(timeoutMs / 1000)} s (${results.length} of ${conditions.length} files done)`,
      exitProblem: 'before the app was done',
    },
    (text, finish) => {
      const m = /^native-dtmf: (.*)$/.exec(text.trim());
      if (m === null) {
        if (text.startsWith('XS abort')) finish(`the app aborted: ${text.trim()}`);
        return;
      }
      const body = m[1]!;
      if (body === 'done')
        finish(
          results.length === conditions.length
            ? undefined
            : `the app ended after ${results.length} of ${conditions.length} files`,
        );
      else if (body.startsWith('error ')) finish(`the app failed: ${body.slice(6)}`);
      else results.push(JSON.parse(body) as NativeDtmfResult);
    },
  );
  return problem ?? results;
}

function perSecond(ms: number, samples: number): string {
  return (ms / (samples / 8000)).toFixed(2);
}

async function main(): Promise<void> {
  const setup = nativeDtmfSetup();
  if (typeof setup === 'string') {
    process.stdout.write(`# native DTMF lane skipped: ${setup}\n# lane: skipped\n`);
    return;
  }
  const { sdk, command } = setup;
  const conditions = battery(tmpdir());
  const build = buildNativeDtmf(sdk);
  if ('problem' in build) {
    process.stdout.write(`not ok 1 - build test/native-dtmf: ${build.problem}\n# lane: 0 passed, 1 failed\n`);
    process.exitCode = 1;
    return;
  }
  const results = await runNativeDtmf(sdk, command, build.library, conditions);
  if (typeof results === 'string') {
    process.stdout.write(`not ok 1 - run test/native-dtmf under mcsim: ${results}\n# lane: 0 passed, 1 failed\n`);
    process.exitCode = 1;
    return;
  }
  let passed = 0;
  let failed = 0;
  const total = { samples: 0, tsMs: 0, nativeMs: 0, keys: 0, filtersTsMs: 0, filtersNativeMs: 0 };
  const talkOff = { samples: 0, tsMs: 0, nativeMs: 0 };
  for (const [i, c] of conditions.entries()) {
    const r = results[i]!;
    const node = nodeKeys(c.samples);
    const same =
      r.name === c.name &&
      r.samples === c.samples.length &&
      JSON.stringify(r.native) === JSON.stringify(r.ts) &&
      JSON.stringify(r.ts) === JSON.stringify(node);
    const cost = `TypeScript ${perSecond(r.tsMs, r.samples)}, native ${perSecond(r.nativeMs, r.samples)} ms per s of audio`;
    if (same) {
      passed++;
      process.stdout.write(
        `ok ${i + 1} - ${c.name}: same ${r.native.length / 2} keys at the same samples, native = TypeScript on XS = Node (${cost})\n`,
      );
    } else {
      failed++;
      process.stdout.write(
        `not ok ${i + 1} - ${c.name}: native ${r.native.join(' ')} | XS ${r.ts.join(' ')} | Node ${node.join(' ')}\n`,
      );
    }
    total.samples += r.samples;
    total.tsMs += r.tsMs;
    total.nativeMs += r.nativeMs;
    total.keys += r.native.length / 2;
    total.filtersTsMs += r.filtersTsMs;
    total.filtersNativeMs += r.filtersNativeMs;
    if (c.name.startsWith('talk-off')) {
      talkOff.samples += r.samples;
      talkOff.tsMs += r.tsMs;
      talkOff.nativeMs += r.nativeMs;
    }
  }
  const keyed = {
    samples: total.samples - talkOff.samples,
    tsMs: total.tsMs - talkOff.tsMs,
    nativeMs: total.nativeMs - talkOff.nativeMs,
  };
  const row = (what: string, x: { samples: number; tsMs: number; nativeMs: number }): string =>
    `#   ${what}: TypeScript ${perSecond(x.tsMs, x.samples)}, native ${perSecond(x.nativeMs, x.samples)} (${(x.tsMs / x.nativeMs).toFixed(1)}x)\n`;
  process.stdout.write(
    `# ${(total.samples / 8000).toFixed(0)} s of audio, ${total.keys} keys, on this computer's XS (lin, mcsim), ms of push per s of audio:\n`,
  );
  process.stdout.write(row('all files', total));
  process.stdout.write(row('key files', keyed));
  process.stdout.write(row('talk-off files (speech, music, noise)', talkOff));
  process.stdout.write(
    `#   the arithmetic alone (energy, 12 Goertzel filters, windows; nothing skipped as quiet): TypeScript ${perSecond(total.filtersTsMs, total.samples)}, native ${perSecond(total.filtersNativeMs, total.samples)}\n`,
  );
  process.stdout.write(`# lane: ${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && /native-dtmf-lane\.js$/.test(process.argv[1])) await main();
