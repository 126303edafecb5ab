/** Host-side loading of menu files and clip folders (Node): bytes to a Menu and its diagnostics. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCatalog, clipNameProblem, type ClipCatalog } from '../src/clips/catalog.js';
import { MAX_CLIP_BYTES, readWavInfo, type WavInfo } from '../src/audio/wav.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../src/ozml/diagnostic.js';
import { DEFAULT_LIMITS, type MenuLimits } from '../src/ozml/limits.js';
import { loadMenu } from '../src/ozml/load.js';
import type { Menu } from '../src/ozml/menu.js';
import { invalidUtf8Offset, utf8Position } from '../src/ozml/utf8.js';
import { MAX_CATALOG_BYTES } from './clips/folder.js';
import { readRegularFile } from './read-file.js';

export interface MenuFile {
  menu?: Menu;
  diagnostics: Diagnostic[];
  /** The file could not be read at all (missing, no permission, not a regular file): an input error, exit 2. */
  unreadable?: true;
}

/**
 * The most bytes a menu file may have: the loader's limit is in characters (UTF-16 code units),
 * and no character takes more than 3 UTF-8 bytes per code unit.
 */
export const MAX_MENU_BYTES = DEFAULT_LIMITS.maxChars * 3;

/**
 * Reads and loads a menu; `outputs` are the board's output names (see boardOutputs). Only a
 * regular file is read (a FIFO or a device is refused), and no more than MAX_MENU_BYTES of it.
 */
export function readMenuFile(
  path: string,
  outputs?: readonly string[],
  limits: Readonly<MenuLimits> = DEFAULT_LIMITS,
): MenuFile {
  const bytes = readRegularFile(path, MAX_MENU_BYTES, `a menu (${DEFAULT_LIMITS.maxChars} characters)`);
  if (!(bytes instanceof Uint8Array)) {
    // Too large is the menu's problem (as too many characters is), not a file that cannot be read.
    return {
      diagnostics: [{ severity: 'error', line: 1, col: 1, message: bytes.problem }],
      ...(bytes.tooLarge === true ? {} : { unreadable: true as const }),
    };
  }
  const bad = invalidUtf8Offset(bytes);
  if (bad >= 0) {
    const { line, col } = utf8Position(bytes, bad);
    const byte = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
    return {
      diagnostics: [
        { severity: 'error', line, col, message: `invalid UTF-8 byte 0x${byte}`, hint: 'save the menu as UTF-8' },
      ],
    };
  }
  // The parser sees the BOM, so a doubled one is an error (TextDecoder would drop one silently).
  return loadMenu(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), limits, outputs);
}

/** The exit status a loaded menu ends a command with: 2 when it could not be read, 1 when it has errors, else undefined. */
export function menuFailure(loaded: MenuFile): 1 | 2 | undefined {
  if (loaded.unreadable === true) return 2;
  return loaded.menu === undefined || hasErrors(loaded.diagnostics) ? 1 : undefined;
}

/**
 * Reads and loads a menu, printing each diagnostic with `say`: the menu, or the exit status when
 * it cannot be used (2 unreadable, 1 errors).
 */
export function loadMenuFile(
  path: string,
  say: (line: string) => void,
  outputs?: readonly string[],
  limits: Readonly<MenuLimits> = DEFAULT_LIMITS,
): Menu | 1 | 2 {
  const loaded = readMenuFile(path, outputs, limits);
  for (const d of loaded.diagnostics) say(formatDiagnostic(path, d));
  return menuFailure(loaded) ?? loaded.menu ?? 1;
}

export interface ClipFolder {
  dir: string;
  catalog: ClipCatalog;
  /** Length in ms of each readable clip, by name. */
  durations: Map<string, number>;
  /** Problems with the folder itself (bad catalog, unreadable clips). */
  problems: { file: string; message: string }[];
}

/** The clip folder to use: the one given, else `clips/` beside the menu when it exists. */
export function findClipFolder(menuPath: string, given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  const beside = join(dirname(menuPath), 'clips');
  return existsSync(join(beside, 'catalog.json')) ? beside : undefined;
}

/**
 * Reads a clip folder: its catalog and the length of every `NAME.wav` in it. Only regular files
 * are read (a FIFO, a device, a symlink to one, a folder named `*.wav` is a problem, never read),
 * each at most MAX_CLIP_BYTES.
 */
export function readClipFolder(dir: string): ClipFolder {
  const folder: ClipFolder = { dir, catalog: { clips: {} }, durations: new Map(), problems: [] };
  if (!existsSync(dir)) {
    folder.problems.push({ file: dir, message: 'clip folder does not exist' });
    return folder;
  }
  if (!statSync(dir).isDirectory()) {
    folder.problems.push({ file: dir, message: 'the clip folder is not a folder' });
    return folder;
  }
  const catalogPath = join(dir, 'catalog.json');
  if (existsSync(catalogPath)) {
    const bytes = readRegularFile(catalogPath, MAX_CATALOG_BYTES, 'a catalog');
    if (!(bytes instanceof Uint8Array)) {
      folder.problems.push({ file: catalogPath, message: bytes.problem });
    } else {
      try {
        const checked = checkCatalog(JSON.parse(new TextDecoder().decode(bytes)));
        if (typeof checked === 'string') folder.problems.push({ file: catalogPath, message: checked });
        else folder.catalog = checked;
      } catch (e) {
        folder.problems.push({ file: catalogPath, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.wav') || clipNameProblem(name.slice(0, -4)) !== undefined) continue;
    const path = join(dir, name);
    const bytes = readRegularFile(path, MAX_CLIP_BYTES, 'a clip');
    const info = bytes instanceof Uint8Array ? readWavInfo(bytes) : bytes.problem;
    if (typeof info === 'string') folder.problems.push({ file: path, message: info });
    else folder.durations.set(name.slice(0, -4), devicePlayMs(info));
  }
  return folder;
}

/**
 * How long a clip plays on the device. The firmware's clips are IMA ADPCM (manifest.json
 * `defines.audioOut.format`), and the SDK's wav2maud encodes them in blocks of 129 samples,
 * dropping a last partial block: the device plays whole blocks only, up to 16 ms less than the
 * WAV. The simulator uses the same length, so its trace matches the device's.
 */
export const IMA_BLOCK_SAMPLES = 129;
export function devicePlayMs(info: WavInfo): number {
  const frameBytes = info.channels * (info.bitsPerSample >> 3);
  if (frameBytes === 0 || info.sampleRate === 0) return info.ms;
  const frames = Math.floor(info.dataBytes / frameBytes);
  return Math.round((Math.floor(frames / IMA_BLOCK_SAMPLES) * IMA_BLOCK_SAMPLES * 1000) / info.sampleRate);
}

/** The folder of board descriptions, from the installed package (dist/tools/ is two levels down). */
const BOARDS = fileURLToPath(new URL('../../boards/', import.meta.url));
/** The simulator's description: `sim` is a board name too, the default one. */
const SIM_BOARD = fileURLToPath(new URL('../../sim/', import.meta.url));

/** The folder holding a board's outputs.json (and, for a device board, its manifest.json). */
function boardFolder(board: string): string {
  return board === 'sim' ? SIM_BOARD : join(BOARDS, board);
}

/** Every board `--board` takes: `sim` and each boards/NAME with an outputs.json. */
export function knownBoards(): string[] {
  return ['sim', ...readdirSync(BOARDS).filter((b) => existsSync(join(BOARDS, b, 'outputs.json')))];
}

/** A JSON file's object, or an empty one when it is missing or not an object. */
function readJsonObject(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The output names a board declares in boards/NAME/outputs.json (sim/outputs.json for `sim`), or
 * a message when it has none. (Not `board.json`: mcconfig takes every file named like a module,
 * `board.*`, as that module.)
 */
export function boardOutputs(board: string): readonly string[] | string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(board)) return `board name ${JSON.stringify(board)} is not a folder name`;
  const path = join(boardFolder(board), 'outputs.json');
  if (!existsSync(path)) return `no board '${board}' (known: ${knownBoards().join(', ')})`;
  const outputs = readJsonObject(path).outputs;
  if (!Array.isArray(outputs) || !outputs.every((o): o is string => typeof o === 'string'))
    return `${path}: "outputs" must be a list of names`;
  return outputs;
}

/**
 * Whether a board can record (`<Record>`): its firmware opens a recordings store, which it does
 * only with an audio input to fill it. A device board says so in its manifest (`config.recordings`,
 * the store its board.ts opens); a board without a manifest (the simulator) in its outputs.json
 * (`"records": true`).
 */
export function boardRecords(board: string): boolean {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(board)) return false;
  const folder = boardFolder(board);
  if (readJsonObject(join(folder, 'outputs.json')).records === true) return true;
  const config = readJsonObject(join(folder, 'manifest.json')).config;
  const store =
    typeof config === 'object' && config !== null ? (config as Record<string, unknown>).recordings : undefined;
  return typeof store === 'string' && store !== '';
}

/**
 * The menu limits a board's firmware loads with: the loader's defaults, lowered where the board's
 * description (`menuLimits` in boards/NAME/outputs.json) says its memory holds less. `check`,
 * `build` and `device` use them, so a menu too large for the board is refused before flashing.
 */
export function boardMenuLimits(board: string): Readonly<MenuLimits> {
  const path = join(boardFolder(board), 'outputs.json');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(board) || !existsSync(path)) return DEFAULT_LIMITS;
  const given = (readJsonObject(path).menuLimits ?? {}) as Partial<Record<keyof MenuLimits, unknown>>;
  const limits: MenuLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(limits) as (keyof MenuLimits)[]) {
    const value = given[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0)
      limits[key] = Math.min(value, DEFAULT_LIMITS[key]);
  }
  return limits;
}
