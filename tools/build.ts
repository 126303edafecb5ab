/**
 * `ringdown build --board NAME [--menu FILE] [--ring-menu FILE] [--clips DIR] [--recordings sdcard|flash]
 * [--release] [--flash]`:
 * the ESP32 firmware for a board folder, through the Moddable SDK (tools/device/esp32.ts). The
 * menu is checked first against the board's outputs and the clips; the build then runs every step
 * it can: all of them with ESP-IDF (then flash and RAM use), every step before the C compiler without
 * it, and says which.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkClips } from '../src/ozml/check-clips.js';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { Command } from './command.js';
import { buildEsp32, esp32Sizes, type Recordings } from './device/esp32.js';
import { esp32Memory, findEsp32Toolchain } from './device/esp32-idf.js';
import { buildPico, findPicoToolchain, picoSizes } from './device/pico.js';
import type { Sdk } from './device/sdk.js';
import type { Staged } from './device/stage.js';
import { findSdk } from './device/sdk.js';
import { stage } from './device/stage.js';
import { boardMenuLimits, boardOutputs, findClipFolder, readClipFolder, readMenuFile } from './menu-file.js';
import { boardStore, recordFitWarnings } from './board-store.js';
import { REPO_ROOT } from './device/repo-root.js';

export const BUILD = new Command({
  name: 'build',
  summary: 'the ESP32 firmware with the Moddable SDK (every step before the C compiler without ESP-IDF)',
  description: `Builds the ESP32 firmware for a board folder (boards/esp32-*) with the Moddable SDK ($MODDABLE, else
~/Projects/moddable). The menu is checked against the board's outputs and the clips first. With
ESP-IDF (its export.sh sourced: $IDF_PATH; or a toolchain under $ESP_ROOT, default ~/esp, with an
env.sh) it compiles and links with xtensa-esp32-elf-gcc and prints flash and RAM use; without it,
every step before the C compiler runs and it says what to run next. A Pico board (boards/pico-*) compiles and links with arm-none-eabi-gcc and the
pico-sdk (~/pico, see the README): xs_pico.elf and xs_pico.uf2, with their flash and RAM use.`,
  positionals: [],
  options: [
    {
      name: 'board',
      type: 'string',
      value: 'NAME',
      required: true,
      description:
        'the board folder (esp32-ag1171-i2s, esp32-ag1171-mt8870, esp32-ag1171-sdtmf, esp32-ks0835f-mt8870, pico-ag1171-mt8870; docs/boards.md says which for what)',
    },
    { name: 'menu', type: 'string', value: 'FILE', description: 'the menu (without it: examples/door-phone.xml)' },
    { name: 'ring-menu', type: 'string', value: 'FILE', description: 'the menu for an answered ring' },
    {
      name: 'clips',
      type: 'string',
      value: 'DIR',
      description: 'the clip folder (without it: clips/ beside the menu)',
    },
    {
      name: 'recordings',
      type: 'string',
      value: 'sdcard|flash',
      description:
        "where Record keeps recordings on a board that records: WAV files on a microSD card, or the recordings partition (without it: the board's own, sdcard on esp32-ag1171-i2s)",
    },
    { name: 'release', type: 'boolean', description: 'a release build (without it: debug, for xsbug)' },
    { name: 'flash', type: 'boolean', description: 'compile with ESP-IDF and flash, as mcconfig -m does' },
  ],
  exit: '0 built, 1 menu errors, build failure or warnings, 2 usage or input error (a menu that cannot be read) or no Moddable SDK',
  examples: ['ringdown build --board esp32-ag1171-mt8870 --menu examples/door-pin.xml'],
});

const DEFAULT_MENU = join(REPO_ROOT, 'examples', 'door-phone.xml');

export function runBuild(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const args = BUILD.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const board = values.board!;
  const outputs = boardOutputs(board);
  const isPico = board.startsWith('pico-');
  if (
    typeof outputs === 'string' ||
    !(board.startsWith('esp32-') || isPico) ||
    !existsSync(join(REPO_ROOT, 'boards', board, 'manifest.json'))
  ) {
    err(
      `ringdown build: --board: ${typeof outputs === 'string' ? outputs : `'${board}' is not a board folder (boards/esp32-*, boards/pico-*)`}`,
    );
    return 2;
  }
  const recordings = values.recordings;
  if (recordings !== undefined) {
    const problem = recordingsProblem(board, recordings);
    if (problem !== undefined) {
      err(`ringdown build: --recordings: ${problem}`);
      return 2;
    }
  }
  const menu = values.menu ?? DEFAULT_MENU;
  const clipDir = findClipFolder(menu, values.clips);
  let failed = false;
  let unreadable = false;
  for (const path of [menu, ...(values['ring-menu'] !== undefined ? [values['ring-menu']] : [])]) {
    const loaded = readMenuFile(path, outputs, boardMenuLimits(board));
    const diagnostics = [...loaded.diagnostics];
    if (loaded.menu !== undefined)
      diagnostics.push(...recordFitWarnings(loaded.menu, board, recordings as Recordings | undefined));
    if (loaded.menu !== undefined && clipDir !== undefined) {
      const folder = readClipFolder(clipDir);
      for (const p of folder.problems) err(`${p.file}:1:1: error: ${p.message}`);
      if (folder.problems.length > 0) failed = true;
      diagnostics.push(...checkClips(loaded.menu, folder.catalog, (name) => folder.durations.has(name), clipDir));
    }
    for (const d of diagnostics) err(formatDiagnostic(path, d));
    if (loaded.unreadable === true) unreadable = true;
    if (hasErrors(diagnostics)) failed = true;
  }
  if (unreadable) return 2;
  if (failed) return 1;
  if (clipDir === undefined)
    err(
      `ringdown build: warning: no clip folder (give --clips, or run ringdown clips): every Speak is skipped on the device`,
    );
  const sdk = findSdk();
  if (typeof sdk === 'string') {
    err(`ringdown build: ${sdk}`);
    return 2;
  }
  const staged = stage(
    {
      menu,
      ...(values['ring-menu'] !== undefined ? { ringMenu: values['ring-menu'] } : {}),
      ...(clipDir !== undefined ? { clips: clipDir } : {}),
    },
    join(REPO_ROOT, 'build', 'ringdown', isPico ? 'pico' : 'esp32', board, 'stage'),
  );
  if (isPico) return buildForPico(sdk, board, staged, out, err);
  const release = values.release === true;
  const toolchain = findEsp32Toolchain();
  err(
    `ringdown build: ${board}, ${release ? 'release' : 'debug'}, with the Moddable SDK ${sdk.version ?? ''} at ${sdk.root}${typeof toolchain === 'string' ? '' : ` and ESP-IDF ${toolchain.idfVersion ?? ''} (${toolchain.source})`}`,
  );
  if (typeof toolchain === 'string') err(`ringdown build: ${toolchain}`);
  const build = buildEsp32(sdk, staged, {
    board,
    release,
    flash: values.flash === true,
    ...(recordings !== undefined ? { recordings: recordings as Recordings } : {}),
    ...(typeof toolchain !== 'string' ? { toolchain } : {}),
  });
  if (!build.ok) {
    err(build.log.trimEnd());
    err('ringdown build: the build failed');
    return 1;
  }
  for (const w of build.warnings) err(`warning: ${w.trim()}`);
  const sizes = esp32Sizes(build);
  out(
    `${board}: ${sizes.modules} modules, ${sizes.bytecodeBytes} bytes of bytecode; linked XS image ${sizes.linkedSourceBytes} bytes of C (mc.xs.c)${sizes.xsl !== undefined ? `: ${sizes.xsl}` : ''}`,
  );
  out(
    `${board}: resources ${sizes.resourceBytes !== undefined ? `${sizes.resourceBytes} bytes (menu, catalog, ${staged.clipNames.length} clips as IMA ADPCM)` : 'unchanged since the last build'}`,
  );
  out(`${board}: build folder ${build.tmpDir}`);
  if (!build.compiled) {
    out(
      'Every step before the C compiler ran (tsc, xsc, xsid, wav2maud, mcrez, xsl). Compiling and flashing need ESP-IDF:',
    );
    out("  set it up as the Moddable SDK's ESP32 guide says (documentation/devices/esp32.md), then");
    out(
      `  source $IDF_PATH/export.sh && npx ringdown build --board ${board}${values.menu !== undefined ? ` --menu ${values.menu}` : ''}${values.clips !== undefined ? ` --clips ${values.clips}` : ''}${recordings !== undefined ? ` --recordings ${recordings}` : ''}${release ? ' --release' : ''} --flash`,
    );
  } else if (build.firmware !== undefined && typeof toolchain !== 'string') {
    const memory = esp32Memory(toolchain, build.firmware, join(REPO_ROOT, 'boards', board, 'partitions.csv'));
    if (typeof memory === 'string') {
      err(`ringdown build: ${memory}`);
      return 1;
    }
    out(`${board}: linked ${build.firmware.elf} (ESP-IDF components: ${build.firmware.components.join(' ')})`);
    out(
      `${board}: flash ${memory.appBytes} bytes (xs_esp32.bin: code, XS image, resources) of the ${memory.partitionBytes ?? '?'}-byte app partition; static RAM ${memory.dramBytes} bytes of DRAM (data, bss) and ${memory.iramBytes} bytes of IRAM (of 128 KB) placed by the linker; XS takes its heap and stack (creation) from the heap at boot`,
    );
    if (memory.partitionBytes !== undefined && memory.appBytes > memory.partitionBytes) {
      err(
        `ringdown build: ${board}: the app (${memory.appBytes} bytes) does not fit its partition (${memory.partitionBytes} bytes)`,
      );
      return 1;
    }
    out(`${board}: built (add --flash to flash it)`);
  } else {
    out(`${board}: built and flashed`);
  }
  return build.warnings.length > 0 ? 1 : 0;
}

/**
 * Why `--recordings WHERE` cannot be built for `board`, or undefined when it can: WHERE must be
 * sdcard or flash, and the board must have that store (boards/NAME/outputs.json `recordings`).
 */
function recordingsProblem(board: string, where: string): string | undefined {
  if (where !== 'sdcard' && where !== 'flash') return `'${where}' is not sdcard or flash`;
  const store = boardStore(board);
  if (store === undefined) return `${board} does not record (docs/boards.md: the boards with an audio input)`;
  if (!store.stores.includes(where)) return `${board} has no ${where} store (it has ${store.stores.join(', ')})`;
  return undefined;
}

/** A Pico board: compile and link with the pico toolchain, print flash and RAM use. */
function buildForPico(
  sdk: Sdk,
  board: string,
  staged: Staged,
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  const pico = findPicoToolchain();
  if (typeof pico === 'string') {
    err(`ringdown build: ${pico}`);
    return 2;
  }
  err(
    `ringdown build: ${board}, release, with the Moddable SDK ${sdk.version ?? ''} at ${sdk.root} and pico-sdk ${pico.version ?? ''} at ${pico.env.PICO_SDK_DIR}`,
  );
  const build = buildPico(sdk, pico, staged, { board });
  if (!build.ok) {
    err(build.log.trimEnd());
    err('ringdown build: the build failed');
    return 1;
  }
  for (const w of build.warnings) err(`warning: ${w.trim()}`);
  const sizes = picoSizes(build, pico);
  if (typeof sizes === 'string') {
    err(`ringdown build: ${sizes}`);
    return 1;
  }
  out(`${board}: linked ${build.elf}`);
  out(
    `${board}: flash ${sizes.flashBytes} bytes of the Pico's 2 MB (code, XS image, resources: menu, catalog, ${staged.clipNames.length} clips); RAM ${sizes.ramBytes} bytes of 264 KB placed by the linker (data, bss); XS takes its pool (creation.static, 128 KB on the pico platform) from the heap at boot`,
  );
  out(
    `${board}: ${build.uf2} (${sizes.uf2Bytes} bytes): hold BOOTSEL, plug the Pico in, copy the file to the RPI-RP2 drive`,
  );
  return build.warnings.length > 0 ? 1 : 0;
}
