/**
 * The XS lane of `npm test`: bundles the pure core, the simulated board and the scenario list for
 * XS, runs every scenario on the real XS engine (`xsnap-worker`), and requires each trace to equal
 * the one the Node suite pins. Prints `ok`/`FAILED` per scenario (a failure names the scenario
 * and the first differing event) and ends with `# lane: N passed, N failed`; exits 1 on any failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceEvent } from '../../src/engine/trace.js';
import { SCENARIOS } from '../../test/scenarios/list.js';
import { firstDifference, type Scenario } from '../../test/scenarios/scenario.js';
import { bundleForXs, defineGlobal, REPO_ROOT } from './bundle.js';
import { runXs } from './xsnap.js';

/** The XS side of the lane. */
export const SCENARIO_ENTRY = 'test/xs/scenarios-entry.ts';

type Message = { index: number; trace: TraceEvent[] } | { index: number; error: string } | { done: number };

/** Every menu file the scenarios use, by path from the repository root. */
export function scenarioMenus(): Record<string, string> {
  const menus: Record<string, string> = {};
  for (const { menu } of SCENARIOS) menus[menu] ??= readFileSync(join(REPO_ROOT, menu), 'utf8');
  return menus;
}

/** The SDK modules `main.ts` and the `lin` board import, and their stand-ins on XS. */
const DEVICE_MODULES: Readonly<Record<string, string>> = {
  Resource: 'test/xs/device/resource.ts',
  'mc/config': 'test/xs/device/mc-config.ts',
  timer: 'test/xs/device/timer.ts',
  time: 'test/xs/device/time.ts',
  'boards/selected/board': 'boards/lin/board.ts',
};

/** The scenario the device entry replays: its trace must match the simulator's, less `end`. */
const DEVICE_SCENARIO = SCENARIOS.find((s) => s.menu === 'examples/door-phone.xml' && s.untilMs === undefined);

/**
 * Runs the device entry (`main.ts` with the `lin` host board and stand-ins for the SDK modules)
 * on XS with a scenario's menu and events; returns the problem, or undefined when its trace is the
 * scenario's.
 */
async function checkDeviceEntry(scenario: Scenario): Promise<string | undefined> {
  const bundle = await bundleForXs({
    entry: { contents: "import { finish } from './test/xs/device/host.ts';\nimport './main.ts';\nfinish();\n" },
    modules: DEVICE_MODULES,
  });
  const device = {
    resources: { 'menu.xml': readFileSync(join(REPO_ROOT, scenario.menu), 'utf8') },
    config: { events: scenario.events, clipMs: scenario.clipMs, profile: scenario.profile ?? 'us' },
    clipMs: scenario.clipMs,
  };
  let lines: string[] | undefined;
  const xs = await runXs(defineGlobal('RINGDOWN_DEVICE', device) + bundle, {
    onCommand: (bytes) => {
      lines = (JSON.parse(new TextDecoder().decode(bytes)) as { lines: string[] }).lines;
      return new Uint8Array(0);
    },
  });
  if (!xs.ok) return `XS failed: ${xs.error ?? 'unknown error'}`;
  if (lines === undefined) return 'the device entry reported nothing';
  const notJson = lines.find((l) => !l.startsWith('{'));
  if (notJson !== undefined) return `unexpected console line: ${notJson.trim()}`;
  const trace = lines.map((l) => JSON.parse(l) as TraceEvent);
  return firstDifference(trace, scenario.expect.filter((e) => e.type !== 'end'));
}

async function main(): Promise<void> {
  const bundle = await bundleForXs({ entry: SCENARIO_ENTRY });
  const source = defineGlobal('RINGDOWN_MENUS', scenarioMenus()) + bundle;
  const results = new Map<number, { trace: TraceEvent[] } | { error: string }>();
  let done: number | undefined;
  const xs = await runXs(source, {
    onCommand: (bytes) => {
      const message = JSON.parse(new TextDecoder().decode(bytes)) as Message;
      if ('done' in message) done = message.done;
      else results.set(message.index, message);
      return new Uint8Array(0);
    },
  });
  for (const line of xs.prints) process.stdout.write(`# xs: ${line}\n`);
  let passed = 0;
  let failed = 0;
  SCENARIOS.forEach((scenario, index) => {
    const result = results.get(index);
    let problem: string | undefined;
    if (result === undefined) problem = 'no result from XS';
    else if ('error' in result) problem = `threw on XS: ${result.error}`;
    else problem = firstDifference(result.trace, scenario.expect);
    if (problem === undefined) {
      passed++;
      process.stdout.write(`ok ${index + 1} - ${scenario.name}\n`);
    } else {
      failed++;
      process.stdout.write(`FAILED ${index + 1} - ${scenario.name}: ${problem}\n`);
    }
  });
  if (DEVICE_SCENARIO === undefined) {
    failed++;
    process.stdout.write('FAILED - device entry: no door-phone scenario to replay\n');
  } else {
    const name = `device entry (main.ts, lin board) on XS: ${DEVICE_SCENARIO.name}`;
    const problem = await checkDeviceEntry(DEVICE_SCENARIO).catch((e: unknown) => `could not run: ${String(e)}`);
    if (problem === undefined) passed++;
    else failed++;
    process.stdout.write(problem === undefined ? `ok - ${name}\n` : `FAILED - ${name}: ${problem}\n`);
  }
  if (!xs.ok) {
    failed++;
    process.stdout.write(`FAILED - the XS run: ${xs.error ?? 'unknown error'}\n`);
  } else if (done !== SCENARIOS.length) {
    failed++;
    process.stdout.write(`FAILED - the XS run ended without reporting all ${SCENARIOS.length} scenarios\n`);
  }
  process.stdout.write(
    `# XS compute ${xs.meters.compute}, heap ${xs.meters.currentHeapCount} slots, bundle ${bundle.length} bytes\n`,
  );
  process.stdout.write(`# lane: ${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
