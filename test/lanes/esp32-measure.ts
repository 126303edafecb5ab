/**
 * `npm run measure:esp32`: the ESP32 menu limits, measured on the emulated chip (QEMU's ESP32
 * machine, a WROOM without PSRAM). The loader's worst shape (`largestMenu`: chains nested 24 deep)
 * is scaled down from the loader's defaults (characters, elements and commands by one factor) and
 * bisected: each step is an emulator debug build of esp32-ag1171-mt8870 with that menu (no clips)
 * booted in QEMU. A step passes when the firmware logs its menu line, runs no fallback menu, has
 * no XS abort and keeps sending instrumentation samples after the menu line (XS sends them from
 * its event loop, so they come only once the menu has loaded and the phone has started). Then the
 * largest menu the ESP32 limits allow (boards/slic/esp32-menu-limits.ts) is measured, and two
 * menus over them are booted to show the firmware refuses them and runs the fallback menu: the
 * longest resource it reads (4 bytes a character allowed; the loader refuses it) and the loader's
 * largest (refused unread). Arguments: `LOW HIGH` (scale factors, default 0.1 and 0.5: the low one assumed to
 * pass, the high one to fail) or `limits` (only the last two runs). Prints figures; gates nothing.
 * No call is played: QEMU's ESP32 GPIO has no pin inputs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ESP32_MENU_LIMITS } from '../../boards/slic/esp32-menu-limits.js';
import { DEFAULT_LIMITS, type MenuLimits } from '../../src/ozml/limits.js';
import { buildEsp32, esp32Output } from '../../tools/device/esp32.js';
import { runEsp32 } from '../../tools/device/esp32-device.js';
import { findEsp32Toolchain, type Esp32Toolchain } from '../../tools/device/esp32-idf.js';
import { findSdk, type Sdk } from '../../tools/device/sdk.js';
import { stage } from '../../tools/device/stage.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { largestMenu } from './limit-menus.js';

const BOARD = 'esp32-ag1171-mt8870';
const OUT = join(REPO_ROOT, 'build', 'ringdown', 'esp32-measure');
/** Samples (one a second of emulated time) that must come after the menu line. */
const SAMPLES = 5;
/** Bisection stops when the passing and failing factors are this close. */
const RESOLUTION = 0.02;

/** The loader's defaults with characters, elements and commands scaled by `factor`. */
export function scaledLimits(factor: number): MenuLimits {
  return {
    ...DEFAULT_LIMITS,
    maxChars: Math.round(DEFAULT_LIMITS.maxChars * factor),
    maxElements: Math.round(DEFAULT_LIMITS.maxElements * factor),
    maxCommands: Math.round(DEFAULT_LIMITS.maxCommands * factor),
  };
}

/**
 * The bisection's board: esp32-ag1171-mt8870 without its menu limits (its firmware would refuse
 * every menu over them), written into the build folder. Its manifest is the board's with paths made
 * absolute and `boards/selected/board` mapped to a module that opens the same board and leaves
 * `menuLimits` unset, so the firmware loads with the loader's defaults. (One source file maps to
 * one module name, so the board's pins are mapped only under the name its board module imports.)
 */
function unlimitedBoard(): string {
  const folder = join(REPO_ROOT, 'boards', BOARD);
  const dir = join(OUT, 'unlimited-board');
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
    build: Record<string, string>;
    include: string[];
    modules: Record<string, string>;
  };
  const absolute = (path: string): string => (path.startsWith('.') ? resolve(folder, path) : path);
  manifest.build = Object.fromEntries(Object.entries(manifest.build).map(([k, v]) => [k, absolute(v)]));
  manifest.include = manifest.include.map(absolute);
  manifest.modules = {
    'boards/selected/board': './board',
    [`boards/${BOARD}/board`]: join(folder, 'board'),
    [`boards/${BOARD}/pins`]: join(folder, 'pins'),
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
  // TypeScript, as the firmware's other modules: the build's tsconfig maps these module names.
  writeFileSync(
    join(dir, 'board.ts'),
    [
      `import type { Board } from 'hal/board';`,
      `import { openMt8870Board } from 'boards/${BOARD}/board';`,
      `import { OUTPUTS, PINS } from 'boards/${BOARD}/pins';`,
      'export function createBoard(): Board {',
      '  return openMt8870Board(PINS, OUTPUTS);',
      '}',
      '',
    ].join('\n'),
  );
  // The repository's manifest includes ./boards/$(BOARD)/manifest.json.
  return relative(join(REPO_ROOT, 'boards'), dir);
}

interface Step {
  ok: boolean;
  detail: string;
}

function describe(menu: string): string {
  const commands = (menu.match(/<(Speak|UserInput|Hangup|Delay)\b/g) ?? []).length;
  return `${menu.length} bytes, ${commands} commands`;
}

/** Builds and boots one menu; `expectFallback` when the firmware should refuse it. */
async function boot(
  sdk: Sdk,
  tool: Esp32Toolchain,
  name: string,
  menu: string,
  options: { board?: string; expectFallback?: boolean } = {},
): Promise<Step> {
  const expectFallback = options.expectFallback === true;
  const file = join(OUT, `${name}.xml`);
  writeFileSync(file, menu);
  const staged = stage({ menu: file }, join(OUT, 'stage'));
  // One build folder for both boards: a step rebuilds only what changed (the menu, a module).
  const build = buildEsp32(sdk, staged, {
    board: options.board ?? BOARD,
    release: false,
    flash: false,
    toolchain: tool,
    emulator: true,
    output: esp32Output(BOARD),
  });
  // A failed build says nothing about the menu: the measurement stops.
  if (!build.ok) throw new Error(`the build failed: ${build.log.trim().split('\n').slice(-3).join(' | ')}`);
  const run = await runEsp32(tool, build, { afterReadyMs: 5000, samplesAfterReady: SAMPLES, timeoutMs: 240_000 });
  if (typeof run === 'string') return { ok: false, detail: run };
  const fallback = run.notes.find((n) => /running the fallback menu/.test(n));
  const menuLine = run.notes.find((n) => /^ringdown: menu /.test(n)) ?? 'no menu line';
  const peak = (n: string): string => String(run.peaks.get(n) ?? '?');
  const figures = `menu line ${run.readyMs ?? '?'} ms, samples again ${run.firstSampleAfterReadyMs ?? '?'} ms after QEMU start (wall; XS login ${run.loginMs ?? '?'} ms); ${run.samplesAfterReady} samples after it; XS peaks: chunks ${peak('Chunk used')} of ${peak('Chunk available')}, slots ${peak('Slot used')} of ${peak('Slot available')}, stack ${peak('Stack used')} of ${peak('Stack available')} bytes; system heap free ${run.samples.get('System bytes free') ?? '?'} bytes`;
  const running = run.problem === undefined && run.samplesAfterReady >= SAMPLES;
  const ok = running && (expectFallback ? fallback !== undefined : fallback === undefined);
  const problem = run.problem ?? (running ? undefined : `only ${run.samplesAfterReady} samples after the menu line`);
  return {
    ok,
    detail: `${problem !== undefined ? `${problem}; ` : ''}${menuLine}${fallback !== undefined ? `; ${fallback}` : ''}; ${figures}`,
  };
}

async function main(): Promise<void> {
  const sdk = findSdk();
  const tool = typeof sdk === 'string' ? sdk : findEsp32Toolchain();
  if (typeof sdk === 'string' || typeof tool === 'string') {
    process.stdout.write(`esp32 measure skipped: ${typeof sdk === 'string' ? sdk : String(tool)}\n`);
    return;
  }
  mkdirSync(OUT, { recursive: true });
  process.stdout.write(
    `# ${BOARD}, Moddable SDK ${sdk.version ?? ''}, ESP-IDF ${tool.idfVersion ?? ''}, QEMU esp32 (no PSRAM); emulator debug builds, no clips; times are wall clock\n`,
  );
  const limitsOnly = process.argv[2] === 'limits';
  if (!limitsOnly) {
    const board = unlimitedBoard();
    let low = Number(process.argv[2] ?? 0.1);
    let high = Number(process.argv[3] ?? 0.5);
    while (high - low > RESOLUTION) {
      const mid = Math.round(((low + high) / 2) * 1000) / 1000;
      const menu = largestMenu(scaledLimits(mid));
      const step = await boot(sdk, tool, `scale-${mid}`, menu, { board });
      process.stdout.write(`scale ${mid} (${describe(menu)}): ${step.ok ? 'runs' : 'FAILS'}: ${step.detail}\n`);
      if (step.ok) low = mid;
      else high = mid;
    }
    process.stdout.write(`# runs at scale ${low}, fails at ${high}\n`);
  }
  const allowed = largestMenu(ESP32_MENU_LIMITS);
  const atLimit = await boot(sdk, tool, 'largest-esp32', allowed);
  process.stdout.write(
    `largest menu the ESP32 limits allow (${describe(allowed)}): ${atLimit.ok ? 'runs' : 'FAILS'}: ${atLimit.detail}\n`,
  );
  // The most the firmware reads: a resource of 4 bytes a character allowed (the loader then refuses it).
  const head = '<?xml version="1.0"?>\n<Response><Hangup/></Response>\n<!-- ';
  const tail = ' -->\n';
  const longest = `${head}${'x'.repeat(ESP32_MENU_LIMITS.maxChars * 4 - head.length - tail.length)}${tail}`;
  const read = await boot(sdk, tool, 'longest-read', longest, { expectFallback: true });
  process.stdout.write(
    `the longest menu resource the firmware reads (${longest.length} bytes): ${read.ok ? 'refused by the loader, the fallback runs' : 'FAILS'}: ${read.detail}\n`,
  );
  const over = largestMenu(DEFAULT_LIMITS);
  const refused = await boot(sdk, tool, 'largest-loader', over, { expectFallback: true });
  process.stdout.write(
    `the loader's largest menu (${describe(over)}): ${refused.ok ? 'refused, the fallback runs' : 'FAILS'}: ${refused.detail}\n`,
  );
}

await main();
