/**
 * The Pico lane of `npm test` (also `npm run test:pico`): every example menu with its espeak-ng
 * clips on the emulated Pico (tools/device/pico-device.ts), each script played at the pins and its
 * trace compared with the simulator's (`simulate({ levels: true })`, the clips' device lengths),
 * event by event within 20 ms, `end` left out (the firmware traces none); then a rotary-dialed
 * digit and a flash, both at the SHK pin; then the exact-trace scenarios of test/scenarios that
 * do not record, each with tone clips of its stand-in length (test/lanes/pico-scenarios.ts).
 * The lane's builds have a collection pin (GP26, `collectPin`): a scenario's `collectAtMs` pulses
 * it, and the firmware collects garbage there while the script goes on at the pins.
 * Without the SDK, the pico-sdk or the bootrom it prints why and `# lane: skipped`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents } from '../../sim/events.js';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { simulate } from '../../sim/simulate.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { profileNamed } from '../../src/line/profile.js';
import { readClipFolder, readMenuFile } from '../../tools/menu-file.js';
import { picoLaneSetup } from './pico-setup.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { largestSkew, traceDifference } from '../../tools/device/compare.js';
import { buildPicoFirmware, playPico } from '../../tools/device/pico-device.js';
import { picoScenarioRuns } from './pico-scenarios.js';
import { stage } from '../../tools/device/stage.js';

const TOLERANCE_MS = 20;
const BOARD = 'pico-ag1171-mt8870';
const LANE_DIR = join(REPO_ROOT, 'build', 'ringdown', 'pico-lane');
/** The lane builds' collection pin: free on the board (pins.ts), pulsed at a scenario's `collectAtMs`. */
const COLLECT_PIN = 26;

interface Run {
  name?: string;
  menu: string;
  events: string;
  /** The clip folder (default: the example menus' espeak-ng clips). */
  clips?: string;
  /** A scenario's bound on the simulated call. */
  untilMs?: number;
  /** Script times at which the firmware is made to collect garbage. */
  collectAtMs?: number[];
}

/** The example menus that load, each with the lin lane's script, then a rotary digit and a flash. */
function exampleRuns(): Run[] {
  const menus = [
    'examples/door-phone.xml',
    'examples/door-pin.xml',
    ...readdirSync(join(REPO_ROOT, 'examples', 'ozeki'))
      .filter((f) => f.endsWith('.xml'))
      .map((f) => `examples/ozeki/${f}`),
  ];
  const usable = menus.filter((m) => readMenuFile(join(REPO_ROOT, m), SIM_OUTPUT_NAMES).menu !== undefined);
  return [
    ...usable.map((menu) => ({ menu, events: 'offhook@0 1@6 2@8 0@10 #@12' })),
    { menu: 'examples/door-phone.xml', events: 'offhook@0 dial:1@4 onhook@12' },
    { menu: 'examples/door-pin.xml', events: 'offhook@0 1@6 2@8 flash@10 0@12.5' },
  ];
}

/** The simulator's trace, the script played as hook levels, `end` included. */
function simTrace(run: Run, clips: string): TraceEvent[] {
  const loaded = readMenuFile(join(REPO_ROOT, run.menu), SIM_OUTPUT_NAMES);
  const parsed = parseEvents(run.events);
  if (loaded.menu === undefined || typeof parsed === 'string') throw new Error(`${run.menu}: does not load`);
  const folder = readClipFolder(clips);
  return simulate({
    menu: loaded.menu,
    events: parsed,
    clips: new SimClipLibrary({ catalog: folder.catalog, durations: folder.durations }),
    profile: profileNamed('us')!,
    levels: true,
    ...(run.untilMs !== undefined ? { untilMs: run.untilMs } : {}),
  }).trace;
}

function main(): void {
  const found = picoLaneSetup('pico lane');
  if (found === undefined) return;
  const { sdk, setup } = found;
  const clips = join(LANE_DIR, 'clips');
  const examples = exampleRuns();
  const menus = [...new Set(examples.map((r) => join(REPO_ROOT, r.menu)))];
  const made = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'ringdown.js'), 'clips', ...menus, '--out', clips], {
    encoding: 'utf8',
  });
  if (made.status !== 0) {
    process.stdout.write(`# pico lane: ringdown clips failed: ${made.stderr}\n# lane: 0 passed, 1 failed\n`);
    process.exitCode = 1;
    return;
  }
  const scenarios = picoScenarioRuns(join(LANE_DIR, 'scenario-clips'));
  // `node dist/test/lanes/pico-lane.js PATTERN` runs only the runs whose name or menu matches.
  const only = process.argv[2] !== undefined ? new RegExp(process.argv[2]) : undefined;
  const runs: Run[] = [...examples, ...scenarios.runs].filter((r) => only === undefined || only.test(r.name ?? r.menu));
  process.stdout.write(
    `# pico lane: ${BOARD}, Moddable SDK ${sdk.version ?? ''}, pico-sdk ${setup.pico.version ?? ''}, rp2040js\n`,
  );
  process.stdout.write(
    `# the exact-trace scenarios run with their stand-in clip lengths as tone clips; ${scenarios.left.length} left out:\n`,
  );
  for (const why of scenarios.left) process.stdout.write(`#   ${why}\n`);
  let passed = 0;
  let failed = 0;
  let worst = 0;
  let built: { key: string; build: ReturnType<typeof buildPicoFirmware> } | undefined;
  runs.forEach((run, i) => {
    const folder = run.clips ?? clips;
    const key = `${run.menu}|${folder}`;
    if (built?.key !== key) {
      const staged = stage({ menu: join(REPO_ROOT, run.menu), clips: folder }, join(LANE_DIR, 'stage'));
      built = { key, build: buildPicoFirmware(sdk, setup, staged, BOARD, { collectPin: String(COLLECT_PIN) }) };
    }
    const build = built.build;
    let problem: string | undefined;
    let figures = '';
    if (!build.ok) problem = `build failed: ${build.log.trim().split('\n').slice(-3).join(' | ')}`;
    else {
      const events = parseEvents(run.events);
      if (typeof events === 'string') throw new Error(events);
      const started = Date.now();
      const simulated = simTrace(run, folder);
      const end = simulated.find((e) => e.type === 'end')?.t;
      const sim = simulated.filter((e) => e.type !== 'end');
      // A scenario runs until a second after the simulator's call ended; an example until quiet.
      const device = playPico(setup, build, {
        events,
        ...(run.clips !== undefined && end !== undefined ? { untilMs: end + 1000 } : {}),
        ...(run.collectAtMs !== undefined ? { collect: { pin: COLLECT_PIN, atMs: run.collectAtMs } } : {}),
      });
      // A scenario with its own bound is compared up to that bound (the simulator stopped there).
      const trace =
        run.untilMs !== undefined && end !== undefined ? device.trace.filter((e) => e.t <= end) : device.trace;
      problem = device.problem ?? traceDifference(trace, sim, TOLERANCE_MS);
      const skew = largestSkew(trace, sim);
      if (problem === undefined) worst = Math.max(worst, skew);
      figures = ` [ready ${device.readyCycles ?? '?'} cycles; ${Math.round(device.emulatedMs)} ms emulated in ${Date.now() - started} ms; largest time difference ${skew} ms over ${Math.min(trace.length, sim.length)} events]`;
    }
    if (problem === undefined) passed++;
    else failed++;
    process.stdout.write(
      `${problem === undefined ? 'ok' : 'FAILED'} ${i + 1} - ${run.name ?? run.menu} "${run.events}"${figures}${problem !== undefined ? `: ${problem}` : ''}\n`,
    );
  });
  process.stdout.write(
    `# largest device-to-simulator time difference among the passing runs ${worst} ms (tolerance ${TOLERANCE_MS} ms)\n`,
  );
  process.stdout.write(`# lane: ${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
