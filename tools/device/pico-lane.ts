/**
 * The Pico lane of `npm test` (also `npm run test:pico`): every example menu with its espeak-ng
 * clips on the emulated Pico (tools/device/pico-device.ts), each script played at the pins and its
 * trace compared with the simulator's (`simulate({ levels: true })`, the clips' device lengths),
 * event by event within 20 ms, `end` left out (the firmware traces none); then a rotary-dialed
 * digit and a flash, both at the SHK pin. Without the SDK, the pico-sdk or the bootrom it prints
 * why and `# lane: skipped`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents } from '../../boards/sim/events.js';
import { SimClipLibrary } from '../../boards/sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../boards/sim/sim-outputs.js';
import { simulate } from '../../boards/sim/simulate.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { profileNamed } from '../../src/line/profile.js';
import { readClipFolder, readMenuFile } from '../menu-file.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { largestSkew, traceDifference } from './compare.js';
import { buildPicoFirmware, findPicoSetup, playPico } from './pico-device.js';
import { findSdk, which } from './sdk.js';
import { stage } from './stage.js';

const TOLERANCE_MS = 20;
const BOARD = 'pico-ag1171-mt8870';
const LANE_DIR = join(REPO_ROOT, 'build', 'ringdown', 'pico-lane');

/** The example menus that load, each with the lin lane's script, then a rotary digit and a flash. */
function runs(): { menu: string; events: string }[] {
  const menus = ['examples/door-phone.xml', 'examples/door-pin.xml', ...readdirSync(join(REPO_ROOT, 'examples', 'ozeki')).filter((f) => f.endsWith('.xml')).map((f) => `examples/ozeki/${f}`)];
  const usable = menus.filter((m) => readMenuFile(join(REPO_ROOT, m), SIM_OUTPUT_NAMES).menu !== undefined);
  return [
    ...usable.map((menu) => ({ menu, events: 'offhook@0 1@6 2@8 0@10 #@12' })),
    { menu: 'examples/door-phone.xml', events: 'offhook@0 dial:1@4 onhook@12' },
    { menu: 'examples/door-pin.xml', events: 'offhook@0 1@6 2@8 flash@10 0@12.5' },
  ];
}
const RUNS = runs();

function simTrace(menu: string, events: string, clips: string): TraceEvent[] {
  const loaded = readMenuFile(join(REPO_ROOT, menu), SIM_OUTPUT_NAMES);
  const parsed = parseEvents(events);
  if (loaded.menu === undefined || typeof parsed === 'string') throw new Error(`${menu}: does not load`);
  const folder = readClipFolder(clips);
  return simulate({
    menu: loaded.menu,
    events: parsed,
    clips: new SimClipLibrary({ catalog: folder.catalog, durations: folder.durations }),
    profile: profileNamed('us')!,
    levels: true,
  }).trace.filter((e) => e.type !== 'end');
}

function main(): void {
  const sdk = findSdk();
  const setup = typeof sdk === 'string' ? sdk : findPicoSetup();
  const skip = typeof sdk === 'string' ? sdk : typeof setup === 'string' ? setup : which('espeak-ng') === undefined ? 'espeak-ng is missing (the example clips)' : undefined;
  if (skip !== undefined || typeof sdk === 'string' || typeof setup === 'string') {
    process.stdout.write(`# pico lane skipped: ${skip ?? ''}\n# lane: skipped\n`);
    return;
  }
  const clips = join(LANE_DIR, 'clips');
  const menus = [...new Set(RUNS.map((r) => join(REPO_ROOT, r.menu)))];
  const made = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'ringdown.js'), 'clips', ...menus, '--out', clips], { encoding: 'utf8' });
  if (made.status !== 0) {
    process.stdout.write(`# pico lane: ringdown clips failed: ${made.stderr}\n# lane: 0 passed, 1 failed\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`# pico lane: ${BOARD}, Moddable SDK ${sdk.version ?? ''}, pico-sdk ${setup.pico.version ?? ''}, rp2040js\n`);
  process.stdout.write(`# not run on the Pico: the exact-trace scenarios of test/scenarios (their clips are stand-in lengths, --clip-ms; the Pico plays real clips)\n`);
  let passed = 0;
  let failed = 0;
  let worst = 0;
  RUNS.forEach((run, i) => {
    const staged = stage({ menu: join(REPO_ROOT, run.menu), clips }, join(LANE_DIR, 'stage'));
    const build = buildPicoFirmware(sdk, setup, staged, BOARD);
    let problem: string | undefined;
    let figures = '';
    if (!build.ok) problem = `build failed: ${build.log.trim().split('\n').slice(-3).join(' | ')}`;
    else {
      const events = parseEvents(run.events);
      if (typeof events === 'string') throw new Error(events);
      const started = Date.now();
      const device = playPico(setup, build, { events });
      const sim = simTrace(run.menu, run.events, clips);
      problem = device.problem ?? traceDifference(device.trace, sim, TOLERANCE_MS);
      const skew = largestSkew(device.trace, sim);
      if (problem === undefined) worst = Math.max(worst, skew);
      figures = ` [ready ${device.readyCycles ?? '?'} cycles; ${Math.round(device.emulatedMs)} ms emulated in ${Date.now() - started} ms; largest time difference ${skew} ms over ${Math.min(device.trace.length, sim.length)} events]`;
    }
    if (problem === undefined) passed++;
    else failed++;
    process.stdout.write(`${problem === undefined ? 'ok' : 'FAILED'} ${i + 1} - ${run.menu} "${run.events}"${figures}${problem !== undefined ? `: ${problem}` : ''}\n`);
  });
  process.stdout.write(`# largest device-to-simulator time difference among passing runs ${worst} ms (tolerance ${TOLERANCE_MS} ms)\n`);
  process.stdout.write(`# lane: ${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
