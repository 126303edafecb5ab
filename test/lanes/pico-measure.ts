/**
 * `npm run measure:pico`: the Pico firmware's memory, measured on the emulated chip. For every
 * example menu that loads, the deepest menu the loader allows and the largest the Pico's lower
 * limits allow (the loader's own largest is refused on the Pico, unread): an instrumented build
 * (`INSTRUMENT=1`), booted in rp2040js, its ready line's XS heap figures (slots and chunks in use
 * once the menu has loaded and the phone started) and boot time in cycles. Then the XS stack the
 * deepest menu needs: builds with `creation.stack` set by a manifest that includes the repository's
 * (the including manifest's `creation` wins), binary-searched in steps of 64 slots between the
 * SDK's default 384 and the manifest's 2048; a stack passes when the firmware boots to its ready
 * line with the menu loaded (no fallback) and answers an off-hook and a key. `stack` as the only
 * argument runs the bisection alone. Prints figures; gates nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MENU_LIMITS } from '../../boards/pico-ag1171-mt8870/menu-limits.js';
import { parseEvents } from '../../sim/events.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { readMenuFile } from '../../tools/menu-file.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { findPicoSetup, playPico, type PicoSetup } from '../../tools/device/pico-device.js';
import { largestMenu } from './limit-menus.js';
import { writeStandInClips } from './pico-scenarios.js';
import { buildPico } from '../../tools/device/pico.js';
import { findSdk, which, type Sdk } from '../../tools/device/sdk.js';
import { stage, type Staged } from '../../tools/device/stage.js';

const BOARD = 'pico-ag1171-mt8870';
const OUT = join(REPO_ROOT, 'build', 'ringdown', 'pico-measure');
const DEEPEST = 'test/menus/limits-deepest.xml';
/** The largest menu the Pico's own limits allow (boards/pico-ag1171-mt8870/menu-limits.ts), written here. */
const LARGEST = join(OUT, 'largest-pico-menu.xml');
const EVENTS = 'offhook@0 1@0.5';
const UNTIL_MS = 4000;
const STEP = 64;

function manifestStack(): number {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'manifest.json'), 'utf8')) as {
    creation?: { stack?: number };
  };
  return manifest.creation?.stack ?? 384;
}

interface Boot {
  ok: boolean;
  detail: string;
  memory?: string;
  cycles?: number;
}

/** Boots a build and plays an off-hook and a key: ok when the ready line came and both were traced. */
function boot(setup: PicoSetup, build: { ok: boolean; log: string; elf: string; uf2: string }): Boot {
  if (!build.ok) return { ok: false, detail: `build failed: ${build.log.trim().split('\n').slice(-2).join(' | ')}` };
  const events = parseEvents(EVENTS);
  if (typeof events === 'string') throw new Error(events);
  const run = playPico(setup, build, { events, untilMs: UNTIL_MS });
  const answered = run.trace.some((e) => e.type === 'offhook') && run.trace.some((e) => e.type === 'key');
  // A menu that failed to load (a stack overflow in the loader is caught) runs the fallback menu.
  const fault = run.notes.find((n) => /running the fallback menu/.test(n));
  const ok = run.problem === undefined && run.readyCycles !== undefined && answered && fault === undefined;
  const detail =
    run.problem ??
    (run.readyCycles === undefined
      ? 'no ready line'
      : (fault ?? (answered ? 'answered' : 'no off-hook or key traced')));
  return {
    ok,
    detail,
    ...(run.memory !== undefined ? { memory: run.memory } : {}),
    ...(run.readyCycles !== undefined ? { cycles: run.readyCycles } : {}),
  };
}

function exampleMenus(): string[] {
  const menus = [
    'examples/door-phone.xml',
    'examples/door-pin.xml',
    'examples/guestbook.xml',
    ...readdirSync(join(REPO_ROOT, 'examples', 'ozeki'))
      .filter((f) => f.endsWith('.xml'))
      .map((f) => `examples/ozeki/${f}`),
  ];
  return menus.filter((m) => readMenuFile(join(REPO_ROOT, m), SIM_OUTPUT_NAMES).menu !== undefined);
}

/** Each menu's clips: espeak-ng's for the examples when it is installed, else 1 s tones. */
function clipsFor(menus: string[]): Map<string, string> {
  const folders = new Map<string, string>();
  const spoken = join(OUT, 'clips');
  const examples = menus.filter((m) => m.startsWith('examples/'));
  const made =
    which('espeak-ng') !== undefined &&
    spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'ringdown.js'), 'clips', ...examples.map((m) => join(REPO_ROOT, m)), '--out', spoken],
      { encoding: 'utf8' },
    ).status === 0;
  for (const menu of menus)
    folders.set(
      menu,
      made && examples.includes(menu) ? spoken : writeStandInClips(menu, 1000, join(OUT, 'tone-clips')),
    );
  return folders;
}

function stackBuild(sdk: Sdk, setup: PicoSetup, staged: Staged, slots: number): Boot {
  const dir = join(OUT, 'stack');
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, 'manifest.json');
  writeFileSync(
    manifest,
    `${JSON.stringify({ include: [join(REPO_ROOT, 'manifest.json')], creation: { stack: slots } }, null, '\t')}\n`,
  );
  return boot(setup, buildPico(sdk, setup.pico, staged, { board: BOARD, manifest, output: join(OUT, 'stack-build') }));
}

function main(): void {
  const sdk = findSdk();
  const setup = typeof sdk === 'string' ? sdk : findPicoSetup();
  if (typeof sdk === 'string' || typeof setup === 'string') {
    process.stdout.write(`pico measure skipped: ${typeof sdk === 'string' ? sdk : String(setup)}\n`);
    return;
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(LARGEST, largestMenu(MENU_LIMITS));
  const stackOnly = process.argv[2] === 'stack';
  const menus = stackOnly ? [DEEPEST] : [...exampleMenus(), DEEPEST, LARGEST];
  const clips = clipsFor(menus);
  process.stdout.write(
    `# ${BOARD}, Moddable SDK ${sdk.version ?? ''}, pico-sdk ${setup.pico.version ?? ''}, rp2040js; instrumented release builds; script "${EVENTS}"\n`,
  );
  process.stdout.write(
    `# memory after load (XS slot and chunk heaps in use, system heap free), boot cycles at 125 MHz to the ready line\n`,
  );
  for (const menu of stackOnly ? [] : menus) {
    const staged = stage({ menu: resolve(REPO_ROOT, menu), clips: clips.get(menu)! }, join(OUT, 'stage'));
    const build = buildPico(sdk, setup.pico, staged, {
      board: BOARD,
      make: { INSTRUMENT: '1' },
      output: join(OUT, 'instrumented'),
    });
    const result = boot(setup, build);
    const cycles =
      result.cycles !== undefined
        ? `; ready at ${(result.cycles / 1e6).toFixed(1)} M cycles (${(result.cycles / 125e6).toFixed(2)} s)`
        : '';
    process.stdout.write(
      `${menu}: ${result.ok ? (result.memory ?? 'no memory figures') : `FAILED: ${result.detail}`}${cycles}\n`,
    );
  }
  // The stack the deepest menu needs: the largest failing and smallest passing size, by bisection.
  const staged = stage({ menu: join(REPO_ROOT, DEEPEST), clips: clips.get(DEEPEST)! }, join(OUT, 'stage'));
  let low = 384 - STEP; // assumed failing below the SDK's default
  let high = manifestStack();
  const top = stackBuild(sdk, setup, staged, high);
  process.stdout.write(`# ${DEEPEST} with creation.stack ${high}: ${top.ok ? 'boots' : `fails (${top.detail})`}\n`);
  if (!top.ok) return;
  while (high - low > STEP) {
    const mid = low + Math.floor((high - low) / 2 / STEP) * STEP;
    const result = stackBuild(sdk, setup, staged, mid);
    process.stdout.write(
      `# ${DEEPEST} with creation.stack ${mid}: ${result.ok ? 'boots' : `fails (${result.detail})`}\n`,
    );
    if (result.ok) high = mid;
    else low = mid;
  }
  process.stdout.write(
    `${DEEPEST}: boots and answers with ${high} stack slots, not with ${low} (manifest: ${manifestStack()})\n`,
  );
}

main();
