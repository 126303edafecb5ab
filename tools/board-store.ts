/**
 * Where a board keeps Record's recordings, read from the board's own files (no separate list to
 * drift): the flash store is the `recordings` partition of boards/NAME/partitions.csv, the card
 * store is there when the board's manifest includes drivers/sdcard, and the default is the
 * manifest's `config.recordings`. `check --board` and `build` use it to warn when a menu's Record
 * cannot fit, before a guest is cut short on the device.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RECORD_SAMPLE_RATE } from '../src/engine/recording.js';
import { FlashRecordings } from '../src/calllog/flash-recordings.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import type { Diagnostic } from '../src/ozml/diagnostic.js';
import { walkCommands, type Menu } from '../src/ozml/menu.js';

/** The folder of board descriptions, from the installed package (dist/tools/ is two levels down). */
const BOARDS = fileURLToPath(new URL('../../boards/', import.meta.url));

/** The flash sector the recordings partition is erased in (ESP32 SPI flash). */
export const FLASH_SECTOR_BYTES = 4096;

export type StoreKind = 'sdcard' | 'flash';

export interface BoardStore {
  /** The stores the board can be built with. */
  stores: StoreKind[];
  /** The one a build takes without `--recordings`. */
  default: StoreKind;
  /** The recordings partition's size in bytes, when the board has one. */
  flashBytes?: number;
}

interface BoardManifest {
  include?: string[];
  config?: { recordings?: unknown };
}

/** The size of a partition named `name` in an ESP-IDF partition table (CSV), or undefined. */
export function partitionBytes(csv: string, name: string): number | undefined {
  for (const line of csv.split('\n')) {
    const cells = line.split(',').map((c) => c.trim());
    if (cells[0] === name && cells.length >= 5) {
      const size = Number(cells[4]);
      return Number.isInteger(size) && size > 0 ? size : undefined;
    }
  }
  return undefined;
}

/** The board's recordings stores, or undefined when it keeps none (no partition, no card). */
export function boardStore(board: string): BoardStore | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(board)) return undefined;
  const dir = join(BOARDS, board);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BoardManifest;
  const csvPath = join(dir, 'partitions.csv');
  const flashBytes = existsSync(csvPath) ? partitionBytes(readFileSync(csvPath, 'utf8'), 'recordings') : undefined;
  const card = (manifest.include ?? []).some((inc) => inc.endsWith('drivers/sdcard/manifest.json'));
  // A partition alone does not make a recording board: only one whose firmware takes audio in
  // opens a store (its board.ts passes `recordings`).
  const records =
    existsSync(join(dir, 'board.ts')) && /\brecordings:/.test(readFileSync(join(dir, 'board.ts'), 'utf8'));
  if (!records) return undefined;
  const stores: StoreKind[] = [
    ...(card ? (['sdcard'] as const) : []),
    ...(flashBytes !== undefined ? (['flash'] as const) : []),
  ];
  if (stores.length === 0) return undefined;
  const given = manifest.config?.recordings;
  const fallback = stores.includes('flash') ? 'flash' : stores[0]!;
  return {
    stores,
    default: given === 'sdcard' || given === 'flash' ? (stores.includes(given) ? given : fallback) : fallback,
    ...(flashBytes !== undefined ? { flashBytes } : {}),
  };
}

/**
 * The samples an empty flash store of `bytes` holds for one recording: FlashRecordings' own room()
 * on a blank region of that size (every sector but the one being written and one kept back, each
 * counted at the fewest samples a sector takes between two flushes).
 */
export function flashRoomSamples(bytes: number): number {
  const sectors = Math.floor(bytes / FLASH_SECTOR_BYTES);
  if (sectors < 2) return 0;
  return new FlashRecordings(new MemoryStore(FLASH_SECTOR_BYTES, sectors)).room();
}

/**
 * Warnings for a menu's Records that cannot fit the board's store (`where`, default the board's
 * own): a Duration longer than the whole empty store is cut at the store's end on the device,
 * the guest hearing the `full` text on the next call. The card's size is the card's, unknown
 * here: no warning for it.
 */
export function recordFitWarnings(menu: Menu, board: string, where?: StoreKind): Diagnostic[] {
  const store = boardStore(board);
  if (store === undefined) return [];
  const kind = where ?? store.default;
  if (kind !== 'flash' || store.flashBytes === undefined) return [];
  const roomMs = Math.floor((flashRoomSamples(store.flashBytes) * 1000) / RECORD_SAMPLE_RATE);
  const out: Diagnostic[] = [];
  walkCommands(menu.commands, (c) => {
    if (c.kind !== 'record' || c.maxMs <= roomMs) return;
    out.push({
      severity: 'warning',
      line: c.line,
      col: c.col,
      message: `Record Duration ${c.maxMs / 1000} s cannot fit ${board}'s flash store: it holds ${(roomMs / 1000).toFixed(1)} s of recordings in all`,
      hint: store.stores.includes('sdcard')
        ? 'build with --recordings sdcard, or lower Duration'
        : 'lower Duration (docs/boards.md: the boards that record to a microSD card)',
    });
  });
  return out;
}
