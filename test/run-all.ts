/**
 * `npm test`: every lane in turn, each a command whose output is shown; ends with the line
 * `N passed, N failed` that CI reads. A lane counts its own checks: tap reports its assertions,
 * other lanes print a `# lane: N passed, N failed` line, and a lane without one counts as one.
 * A lane that cannot run here (no Moddable SDK) prints `# lane: skipped` with its reason: it is
 * listed before the last line and counted neither passed nor failed. Tests tap skipped (an outside
 * tool such as sox or tmux is missing: test/outside-tool.ts) are listed as `# SKIP what: why`; then
 * a line counts skipped tests and one skipped lanes, and `N passed, N failed` stays last.
 *
 * Lanes run in two queues at once: the Pico lanes (rp2040js, single-threaded, the longest) in one,
 * the rest in order in the other (the ESP32 build last), so the suite takes about as long as the longer queue. A lane's
 * output is shown whole when it ends, in the table's order, with how long it took.
 * `RINGDOWN_TEST_SERIAL=1` runs every lane one after another.
 */
import { spawn } from 'node:child_process';

interface Lane {
  name: string;
  command: string[];
  /** The Pico lanes (they share one firmware build folder) run in their own queue beside the others. */
  emulator?: true;
}

const LANES: Lane[] = [
  {
    name: 'core has no Node or timer globals (tsc without Node types)',
    command: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'],
  },
  {
    name: 'device: main.ts, drivers and boards against @moddable/typings',
    command: ['npx', 'tsc', '-p', 'tsconfig.device.json'],
  },
  { name: 'lint: biome lint and format check (line width 120)', command: ['npx', 'biome', 'check', '.'] },
  { name: 'node: tap', command: ['npx', 'tap', '--reporter=tap'] },
  { name: 'xs: every scenario on the XS engine (xsnap-worker)', command: ['node', 'dist/test/lanes/xs-lane.js'] },
  {
    name: "device: the same code against the Moddable SDK's own typings",
    command: ['node', 'dist/test/lanes/typings-lane.js'],
  },
  {
    name: 'device: every scenario on the lin firmware built by the Moddable SDK (mcconfig, mcsim)',
    command: ['node', 'dist/test/lanes/lin-lane.js'],
  },
  {
    name: 'device: the device link (pull, push, cut pushes, bad frames) on the lin firmware over a pseudo-terminal',
    command: ['node', 'dist/test/lanes/link-lane.js'],
  },
  {
    name: 'device: the DTMF receiver with native filters (drivers/dtmf-native/dtmf-native.c) on the lin build, same keys on every battery file',
    command: ['node', 'dist/test/lanes/native-dtmf-lane.js'],
  },
  {
    name: 'device: the Raspberry Pi Pico firmware (arm-none-eabi-gcc, pico-sdk) in rp2040js, played at its pins',
    command: ['node', 'dist/test/lanes/pico-lane.js'],
    emulator: true,
  },
  {
    name: 'device: the ESP32 guestbook board compiled and linked by ESP-IDF (xtensa-esp32-elf-gcc), its app within its partition',
    command: ['node', 'dist/test/lanes/esp32-lane.js'],
  },
];

interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  seconds: number;
}

function runLane(lane: Lane): Promise<Finished> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(lane.command[0]!, lane.command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finish = (status: number | null, signal: NodeJS.Signals | null, extra = ''): void =>
      resolve({
        status,
        signal,
        output: Buffer.concat(chunks).toString('utf8') + extra,
        seconds: (Date.now() - started) / 1000,
      });
    child.on('error', (error) => finish(null, null, `${error.message}\n`));
    child.on('close', (status, signal) => finish(status, signal));
  });
}

/** Runs each queue's lanes in order, the queues side by side; results in the table's order. */
async function runAll(lanes: Lane[], serial: boolean): Promise<Finished[]> {
  const results = new Array<Finished>(lanes.length);
  const queues = serial
    ? [lanes.map((_, i) => i)]
    : [lanes.flatMap((l, i) => (l.emulator ? [i] : [])), lanes.flatMap((l, i) => (l.emulator ? [] : [i]))];
  await Promise.all(
    queues.map(async (queue) => {
      for (const i of queue) {
        results[i] = await runLane(lanes[i]!);
        // Progress while the other queue still runs; the lanes' own output follows in order.
        process.stderr.write(`# ended after ${results[i]!.seconds.toFixed(0)} s: ${lanes[i]!.name}\n`);
      }
    }),
  );
  return results;
}

let passed = 0;
let failed = 0;
const skipped: string[] = [];
const skippedWhy: string[] = [];
/** Tests tap skipped (an outside tool such as sox or tmux is not installed), one line each. */
const skippedTests: string[] = [];
const suiteStarted = Date.now();
const results = await runAll(LANES, process.env.RINGDOWN_TEST_SERIAL === '1');
for (const [index, lane] of LANES.entries()) {
  const run = results[index]!;
  process.stdout.write(`\n=== ${lane.name}: ${lane.command.join(' ')}\n`);
  const output = run.output;
  process.stdout.write(output);
  const ok = run.status === 0;
  if (ok && /^# lane: skipped/m.test(output)) {
    const why = /^# .*skipped: (.*)$/m.exec(output)?.[1] ?? 'no reason given';
    skipped.push(`${lane.name}: ${why}`);
    skippedWhy.push(why);
    process.stdout.write(`=== ${lane.name}: SKIPPED (${why}) in ${run.seconds.toFixed(0)} s\n`);
    continue;
  }
  const tapSummary = /^# \{ total: (\d+), pass: (\d+)(?:, fail: (\d+))?/m.exec(output);
  const laneSummary = /^# lane: (\d+) passed, (\d+) failed/m.exec(output);
  let lanePassed: number;
  let laneFailed: number;
  for (const m of output.matchAll(/^\s*(?:not )?ok \d+ - (.*?)(?: # time=[\d.]+m?s)? # SKIP (.*)$/gm))
    skippedTests.push(`# SKIP ${m[1]}: ${m[2]}`);
  if (tapSummary !== null) {
    // Todo and skipped tests count in tap's total but neither pass nor fail: only `fail` fails.
    lanePassed = Number(tapSummary[2]);
    laneFailed = Number(tapSummary[3] ?? 0);
  } else if (laneSummary !== null) {
    lanePassed = Number(laneSummary[1]);
    laneFailed = Number(laneSummary[2]);
  } else {
    lanePassed = ok ? 1 : 0;
    laneFailed = ok ? 0 : 1;
  }
  if (!ok && laneFailed === 0) laneFailed = 1;
  process.stdout.write(
    `=== ${lane.name}: ${ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${run.seconds.toFixed(0)} s\n`,
  );
  passed += lanePassed;
  failed += laneFailed;
}
process.stdout.write(`\nall lanes in ${((Date.now() - suiteStarted) / 1000).toFixed(0)} s\n`);
for (const line of skippedTests) process.stdout.write(`${line}\n`);
for (const line of skipped) process.stdout.write(`skipped (not counted): ${line}\n`);
if (skippedTests.length > 0 || skipped.length > 0) {
  const why = [...new Set(skippedTests.map((l) => l.replace(/^.*: /, '')))];
  process.stdout.write(
    `${skippedTests.length} tests skipped, not counted as passed${why.length > 0 ? ` (${why.join('; ')})` : ''}\n`,
  );
  process.stdout.write(
    `${skipped.length} lanes skipped${skipped.length > 0 ? ` (${[...new Set(skippedWhy)].join('; ')})` : ''}\n`,
  );
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
