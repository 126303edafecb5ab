/**
 * `ringdown mod MENU.xml [--ring-menu FILE] [--clips DIR] [--board NAME] [--install]`: a new menu
 * and its clips for a firmware already in the field, as a Moddable mod (tools/device/mod.ts). The
 * menus are checked against the board's outputs and the clips first (every Speak needs its clip:
 * the firmware refuses a mod with one missing), then `mcrun` builds the archive, and an archive
 * larger than the board's mod partition (its `xs` row in boards/NAME/partitions.csv) is refused,
 * saying by how much. `--install` sends it the way Moddable does (mcrun over serial, into a debug
 * build of the firmware); the `lin` board takes its mod at launch: `ringdown device --mod FILE`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import { checkClips } from '../src/ozml/check-clips.js';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { walkCommands, type Menu } from '../src/ozml/menu.js';
import { clipName, clipSlug } from '../src/clips/catalog.js';
import { Command } from './command.js';
import { buildMod, type ModInput, mcrunArgs, type StagedMod, stageMod } from './device/mod.js';
import { clipMinutes, modPartitionSize, modTooLarge } from './device/mod-size.js';
import { findSdk, type Sdk } from './device/sdk.js';
import { boardOutputs, findClipFolder, readClipFolder, readMenuFile, type ClipFolder } from './menu-file.js';
import { outputProblem, writeOutput, type OutputOptions } from './output.js';
import { REPO_ROOT } from './device/repo-root.js';

const DEFAULT_BOARD = 'esp32-ag1171-mt8870';

export const MOD = new Command({
  name: 'mod',
  summary: 'a new menu and clips for a firmware in the field, as a Moddable mod (mcrun)',
  description:
    'Builds a Moddable mod (mcrun) holding the menu, the ring menu, the clip catalog and the clips, for a\nfirmware already in the field; the firmware prefers it over its built-in menu once installed.',
  positionals: [{ name: 'MENU.xml' }],
  options: [
    { name: 'ring-menu', type: 'string', value: 'FILE', description: 'the menu for an answered ring' },
    {
      name: 'clips',
      type: 'string',
      value: 'DIR',
      description: 'the clip folder (without it: clips/ beside the menu); every Speak needs its clip',
    },
    {
      name: 'board',
      type: 'string',
      value: 'NAME',
      default: DEFAULT_BOARD,
      description: 'the ESP32 board folder whose mod partition it must fit (lin: the desktop firmware)',
    },
    { name: 'out', type: 'string', value: 'FILE.xsa', description: 'where to write the mod' },
    {
      name: 'install',
      type: 'boolean',
      description: "send it to the device over serial, as Moddable's mcrun does (a debug firmware)",
    },
  ],
  exit: '0 built, 1 menu or clip errors, or larger than the mod partition, 2 usage or input error (a menu that cannot be read) or no Moddable SDK',
  examples: ['ringdown mod examples/door-pin.xml --board esp32-ag1171-mt8870'],
});

/** The mod partition of an ESP32 board folder, in bytes, or why there is none. */
export function boardModPartition(board: string): number | string {
  const path = join(REPO_ROOT, 'boards', board, 'partitions.csv');
  if (!existsSync(path)) return `boards/${board} has no partitions.csv`;
  const size = modPartitionSize(readFileSync(path, 'utf8'));
  return typeof size === 'string' ? `boards/${board}/partitions.csv: ${size}` : size;
}

/** The clips a menu plays, by name (as the firmware resolves them). */
function usedClips(menu: Menu, folder: ClipFolder | undefined, into: Set<string>): void {
  walkCommands(menu.commands, (c) => {
    if (c.kind !== 'speak' || c.callId !== undefined) return;
    into.add(clipName(folder?.catalog ?? { clips: {} }, c.text, c.clip) ?? clipSlug(c.text));
  });
}

export function runMod(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const args = MOD.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const file = args.positionals[0]!;
  const board = values.board ?? DEFAULT_BOARD;
  const lin = board === 'lin';
  const outputs = lin ? SIM_OUTPUT_NAMES : boardOutputs(board);
  const capacity = lin ? undefined : boardModPartition(board);
  if (typeof outputs === 'string' || typeof capacity === 'string') {
    err(`ringdown mod: --board: ${typeof outputs === 'string' ? outputs : capacity}`);
    return 2;
  }
  // Checked as the firmware will: the menus load on the board, and every Speak has its clip.
  const clipDir = findClipFolder(file, values.clips);
  const folder = clipDir !== undefined ? readClipFolder(clipDir) : undefined;
  const ringMenu = values['ring-menu'];
  const clips = checkModMenus([file, ...(ringMenu !== undefined ? [ringMenu] : [])], outputs, folder, clipDir, err);
  if (typeof clips === 'number') {
    if (clips === 1) err('ringdown mod: not built: the firmware would refuse this mod');
    return clips;
  }
  // --out replaces that one file, and only with an archive that fits: checked now, written last.
  const outOptions: OutputOptions = { command: 'mod', existing: 'replace' };
  const refused = values.out !== undefined ? outputProblem(values.out, outOptions) : undefined;
  if (refused !== undefined) {
    err(refused);
    return 1;
  }
  const sdk = findSdk();
  if (typeof sdk === 'string') {
    err(`ringdown mod: ${sdk}`);
    return 2;
  }
  const platform = lin ? 'lin' : 'esp32';
  const stageDir = join(REPO_ROOT, 'build', 'ringdown', 'mod', board);
  const staged = stageMod(sdk, modInput(file, ringMenu, clipDir, clips), join(stageDir, 'stage'));
  if (typeof staged === 'string') {
    err(`ringdown mod: ${staged}`);
    return 1;
  }
  err(`ringdown mod: ${board} (mcrun -p ${platform}), with the Moddable SDK ${sdk.version ?? ''} at ${sdk.root}`);
  const output = join(stageDir, 'out');
  const build = buildMod(sdk, staged, platform, output);
  if (!build.ok || build.archive === undefined) {
    err(build.log.trimEnd());
    err('ringdown mod: mcrun failed');
    return 1;
  }
  const archive = values.out ?? join(stageDir, 'ringdown-mod.xsa');
  const built = readFileSync(build.archive);
  const bytes = built.length;
  const shown = relative(process.cwd(), archive) || archive;
  if (capacity !== undefined) {
    const tooLarge = modTooLarge(bytes, capacity);
    if (tooLarge !== undefined) {
      err(`ringdown mod: ${board}: ${tooLarge}: refused (shorten or drop clips); ${shown} not written`);
      return 1;
    }
  }
  const problem = writeOutput(archive, built, outOptions);
  if (problem !== undefined) {
    err(problem);
    return 1;
  }
  out(
    `${shown}: ${bytes} bytes: menu crc32 ${staged.menuCrc}${ringMenu !== undefined ? ', ring menu' : ''}, ${clips.size} clip${clips.size === 1 ? '' : 's'}`,
  );
  if (capacity !== undefined) {
    out(
      `${board}: ${Math.round((bytes * 1000) / capacity) / 10} % of the ${capacity}-byte mod partition (${capacity - bytes} bytes free, about ${clipMinutes(capacity - bytes)} more minutes of clips)`,
    );
  }
  if (values.install !== true) return 0;
  return installMod(sdk, staged, board, output, shown, out, err);
}

/** What goes into the mod: the menus, the clips they play and the folder's catalog. */
function modInput(
  menu: string,
  ringMenu: string | undefined,
  clipDir: string | undefined,
  clips: ReadonlySet<string>,
): ModInput {
  const catalog = clipDir !== undefined ? join(clipDir, 'catalog.json') : undefined;
  return {
    menu,
    ...(ringMenu !== undefined ? { ringMenu } : {}),
    ...(clipDir !== undefined ? { clips: clipDir } : {}),
    clipNames: [...clips].sort(),
    catalog: catalog !== undefined && existsSync(catalog) ? readFileSync(catalog, 'utf8') : '{"clips":{}}\n',
  };
}

/** `--install`: the lin firmware takes the archive at start; an ESP32 debug build over serial. */
function installMod(
  sdk: Sdk,
  staged: StagedMod,
  board: string,
  output: string,
  shown: string,
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  if (board === 'lin') {
    out(
      `the lin firmware takes a mod when it starts: npx ringdown device MENU.xml --mod ${shown} --events "offhook@0"`,
    );
    return 0;
  }
  // Moddable's install: mcrun's release target sends the archive through serial2xsbug into the
  // mod partition of a debug build of the firmware (UPLOAD_PORT names the serial port).
  const install = ['mcrun', ...mcrunArgs('esp32', output, staged.manifest, 'release')].join(' ');
  err(
    `ringdown mod: installing over serial (${process.env.UPLOAD_PORT ?? 'UPLOAD_PORT not set: the SDK looks for the port'}): ${install}`,
  );
  const sent = buildMod(sdk, staged, 'esp32', output, 'release');
  if (!sent.ok) {
    err(sent.log.trimEnd());
    err('ringdown mod: the install failed (is a debug build of the firmware on the board, and the port right?)');
    return 1;
  }
  out(`${board}: mod installed; the board restarts with it`);
  return 0;
}

/**
 * Loads each menu with the board's outputs and checks its clips; says every diagnostic. Returns the
 * clips the menus play, or 2 (a file cannot be read) or 1 (errors).
 */
function checkModMenus(
  paths: readonly string[],
  outputs: readonly string[],
  folder: ClipFolder | undefined,
  clipDir: string | undefined,
  err: (line: string) => void,
): Set<string> | 1 | 2 {
  let failed = false;
  let unreadable = false;
  for (const p of folder?.problems ?? []) {
    err(`${p.file}:1:1: error: ${p.message}`);
    failed = true;
  }
  const clips = new Set<string>();
  for (const path of paths) {
    const loaded = readMenuFile(path, outputs);
    const diagnostics = [...loaded.diagnostics];
    if (loaded.menu !== undefined) {
      diagnostics.push(
        ...checkClips(
          loaded.menu,
          folder?.catalog ?? { clips: {} },
          (name) => folder?.durations.has(name) === true,
          clipDir ?? join(dirname(paths[0]!), 'clips'),
        ),
      );
      usedClips(loaded.menu, folder, clips);
    }
    for (const d of diagnostics) err(formatDiagnostic(path, d));
    if (loaded.unreadable === true) unreadable = true;
    if (hasErrors(diagnostics)) failed = true;
  }
  if (unreadable) return 2;
  return failed ? 1 : clips;
}
