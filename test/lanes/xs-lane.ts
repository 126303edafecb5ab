/**
 * The XS lane of `npm test`: bundles the pure core, the simulated board and the scenario list for
 * XS, runs every scenario on the real XS engine (`xsnap-worker`), and requires each trace to equal
 * the one the Node suite pins (its file in test/scenarios/traces/, read here: XS has no files). Prints `ok`/`FAILED` per scenario (a failure names the scenario
 * and the first differing event) and ends with `# lane: N passed, N failed`; exits 1 on any failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from '../../src/checksum/crc32.js';
import { crcHex, MOD_CATALOG, MOD_MENU, MOD_PREFIX } from '../../src/engine/mod.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { SCENARIOS } from '../scenarios/table.js';
import { DEVICE_CALL } from '../xs/device/call.js';
import { firstDifference } from '../scenarios/scenario.js';
import { readTrace } from '../scenarios/traces.js';
import { bundleForXs, defineGlobal, REPO_ROOT } from '../xs/bundle.js';
import { runXs, xsnapMissing } from '../xs/xsnap.js';
import { measureStack } from '../xs/stack-budget.js';

/** The menus at the loader's limits (test/lanes/limit-menus.ts), whose load must fit the device's stack. */
const LIMIT_MENUS = ['test/menus/limits-deepest.xml', 'test/menus/limits-largest.xml'];

/** The XS stack the firmware is created with: `creation.stack` in manifest.json (SDK default 384). */
export function deviceStackSlots(): number {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'manifest.json'), 'utf8')) as {
    creation?: { stack?: number };
  };
  return manifest.creation?.stack ?? 384;
}

/**
 * Loads each limit menu on xsnap below enough padding to leave it only the device's stack
 * (test/xs/stack-budget.ts); returns one line per menu and whether each fitted.
 */
async function checkStack(): Promise<{ line: string; ok: boolean }[]> {
  const budget = deviceStackSlots();
  const loader = await bundleForXs({
    entry: {
      contents:
        "import { loadMenu } from './src/ozml/load.ts';\n(globalThis as { loadMenu?: unknown }).loadMenu = loadMenu;\n",
    },
  });
  const results: { line: string; ok: boolean }[] = [];
  for (const menu of LIMIT_MENUS) {
    const prelude = `${loader}\nglobalThis.MENU = ${JSON.stringify(readFileSync(join(REPO_ROOT, menu), 'utf8'))};`;
    const need = await measureStack(
      prelude,
      '() => { if (globalThis.loadMenu(globalThis.MENU).menu === undefined) throw new Error("not loaded"); return 0; }',
    );
    const ok = need.slots <= budget;
    results.push({ ok, line: `loading ${menu} needs ${need.slots} XS stack slots (device: creation.stack ${budget})` });
  }
  return results;
}

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
  './host-env.js': 'test/xs/device/host-env.ts',
  instrumentation: 'test/xs/device/instrumentation.ts',
  file: 'test/xs/device/file.ts',
  'embedded:io/serial': 'test/xs/device/serial.ts',
};

/**
 * Runs the device entry (`main.ts` with the `lin` host board and stand-ins for the SDK modules)
 * on XS with a call's menu and events; returns the problem, or undefined when its trace is the one
 * pinned in test/xs/device/call.ts.
 */
async function checkDeviceEntry(
  scenario: typeof DEVICE_CALL,
  mod?: Record<string, string>,
): Promise<string | undefined> {
  const bundle = await bundleForXs({
    entry: { contents: "import { finish } from './test/xs/device/host.ts';\nimport './main.ts';\nfinish();\n" },
    modules: DEVICE_MODULES,
  });
  const device = {
    resources: { 'menu.xml': readFileSync(join(REPO_ROOT, scenario.menu), 'utf8'), ...mod },
    config: { events: scenario.events, clipMs: scenario.clipMs, profile: 'us' },
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
  // The boot line names the menu that runs and the CRC-32 of its bytes (main.ts).
  const menuFile = mod !== undefined ? MOD_MENU : 'menu.xml';
  const menuText = mod?.[MOD_MENU] ?? readFileSync(join(REPO_ROOT, scenario.menu), 'utf8');
  const boot = `ringdown: menu ${mod !== undefined ? 'mod' : 'built-in'} ${menuFile}, crc32 ${crcHex(crc32(new TextEncoder().encode(menuText)))}\n`;
  if (!lines.includes(boot)) return `no boot line ${JSON.stringify(boot.trim())}`;
  const notJson = lines.find(
    (l) => !l.startsWith('{') && l !== boot && !l.startsWith('ringdown: caller script starts at'),
  );
  if (notJson !== undefined) return `unexpected console line: ${notJson.trim()}`;
  const trace = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as TraceEvent);
  if (mod !== undefined) {
    // The mod's menu runs with the mod's clips (the stand-in host has every clip).
    const play = trace.find((e) => e.type === 'play');
    return play !== undefined && 'clip' in play && play.clip.startsWith(MOD_PREFIX)
      ? undefined
      : `the first clip is not the mod's: ${JSON.stringify(play)}`;
  }
  return firstDifference(trace, scenario.expect);
}

async function main(): Promise<void> {
  const missing = xsnapMissing();
  if (missing !== undefined) {
    process.stdout.write(`# xs lane skipped: ${missing}\n# lane: skipped\n`);
    return;
  }
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
    else {
      const expected = readTrace(scenario.name);
      problem = 'problem' in expected ? expected.problem : firstDifference(result.trace, expected.trace);
    }
    if (problem === undefined) {
      passed++;
      process.stdout.write(`ok ${index + 1} - ${scenario.name}\n`);
    } else {
      failed++;
      process.stdout.write(`FAILED ${index + 1} - ${scenario.name}: ${problem}\n`);
    }
  });
  const deviceName = `device entry (main.ts, lin board) on XS: ${DEVICE_CALL.menu} "${DEVICE_CALL.events}"`;
  const deviceProblem = await checkDeviceEntry(DEVICE_CALL).catch((e: unknown) => `could not run: ${String(e)}`);
  if (deviceProblem === undefined) passed++;
  else failed++;
  process.stdout.write(
    deviceProblem === undefined ? `ok - ${deviceName}\n` : `FAILED - ${deviceName}: ${deviceProblem}\n`,
  );
  const modName = "device entry on XS with a mod installed (ringdown-mod/: examples/door-pin.xml): the mod's menu runs";
  const modMenu = readFileSync(join(REPO_ROOT, 'examples', 'door-pin.xml'), 'utf8');
  const modProblem = await checkDeviceEntry(DEVICE_CALL, { [MOD_MENU]: modMenu, [MOD_CATALOG]: '{"clips":{}}' }).catch(
    (e: unknown) => `could not run: ${String(e)}`,
  );
  if (modProblem === undefined) passed++;
  else failed++;
  process.stdout.write(modProblem === undefined ? `ok - ${modName}\n` : `FAILED - ${modName}: ${modProblem}\n`);
  for (const { line, ok } of await checkStack()) {
    if (ok) passed++;
    else failed++;
    process.stdout.write(`${ok ? 'ok' : 'FAILED'} - ${line}\n`);
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
