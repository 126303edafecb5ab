/**
 * A menu installed as a Moddable mod (`ringdown mod`): the mod's archive carries the menu, the
 * optional ring menu, the clip catalog and the clips as resources under `ringdown-mod/`, so they
 * never shadow the firmware's built-in `menu.xml`, `catalog.json` and clips. The firmware prefers
 * an installed mod, but only one that is whole: its menus load, its catalog parses and every
 * Speak has its clip in the mod. Anything else refuses the mod, and the built-in menu runs (not
 * the out-of-order fallback: the firmware's own menu is still good).
 *
 * Pure over a resource reader, so the same code runs on the chip and in the tests.
 */
import { checkCatalog, type ClipCatalog } from '../clips/catalog.js';
import { crc32 } from '../checksum/crc32.js';
import { formatDiagnostic, type Diagnostic } from '../ozml/diagnostic.js';
import { checkClips } from '../ozml/check-clips.js';
import type { Menu } from '../ozml/menu.js';
import { loadMenuOrFallback, type MenuFault } from './fallback.js';

/** The folder of a mod's resources in its archive. */
export const MOD_PREFIX = 'ringdown-mod/';
export const MOD_MENU = `${MOD_PREFIX}menu.xml`;
export const MOD_RING_MENU = `${MOD_PREFIX}ring.xml`;
export const MOD_CATALOG = `${MOD_PREFIX}catalog.json`;

export interface ModResources {
  /** A resource's bytes, or undefined when there is none by that name. */
  read(path: string): Uint8Array | undefined;
  /** Whether a resource exists (without reading it: clips stay in flash). */
  exists(path: string): boolean;
  /** UTF-8 to a string. */
  decode(bytes: Uint8Array): string;
}

export interface ModMenus {
  menu: Menu;
  ringMenu?: Menu;
  catalog: ClipCatalog;
  /** CRC-32 of the mod's menu.xml bytes. */
  crc: number;
  /** Warnings of the mod's menus, each with its file. */
  notes: string[];
}

/** `none`: no mod installed; `mod`: the mod's menus run; `refused`: the built-in menu runs. */
export type ModChoice =
  | { kind: 'none' }
  | { kind: 'mod'; mod: ModMenus }
  | { kind: 'refused'; fault: MenuFault; notes: string[] };

/** The first error as a fault, for the console and the call log. */
function refused(kind: MenuFault['kind'], message: string, errors: number, notes: string[]): ModChoice {
  return { kind: 'refused', fault: { kind, message, errors }, notes };
}

function loadModMenu(
  resources: ModResources,
  file: string,
  outputs: readonly string[],
  notes: string[],
): { menu: Menu } | { fault: MenuFault } {
  const bytes = resources.read(file);
  const choice = loadMenuOrFallback({ text: bytes === undefined ? undefined : resources.decode(bytes), file, outputs });
  for (const d of choice.diagnostics) notes.push(formatDiagnostic(file, d));
  return choice.fault !== undefined ? { fault: choice.fault } : { menu: choice.menu };
}

/** Looks for an installed mod and checks it whole; never throws. */
export function loadMod(resources: ModResources, outputs: readonly string[]): ModChoice {
  const notes: string[] = [];
  try {
    const menuBytes = resources.read(MOD_MENU);
    const catalogBytes = resources.read(MOD_CATALOG);
    if (menuBytes === undefined && catalogBytes === undefined) return { kind: 'none' };
    const main = loadModMenu(resources, MOD_MENU, outputs, notes);
    if ('fault' in main) return { kind: 'refused', fault: main.fault, notes };
    let ringMenu: Menu | undefined;
    if (resources.exists(MOD_RING_MENU)) {
      const ring = loadModMenu(resources, MOD_RING_MENU, outputs, notes);
      if ('fault' in ring) return { kind: 'refused', fault: ring.fault, notes };
      ringMenu = ring.menu;
    }
    if (catalogBytes === undefined) return refused('missing', `${MOD_CATALOG}: no clip catalog`, 0, notes);
    let catalog: ClipCatalog | string;
    try {
      catalog = checkCatalog(JSON.parse(resources.decode(catalogBytes)));
    } catch (e) {
      catalog = e instanceof Error ? e.message : String(e);
    }
    if (typeof catalog === 'string') return refused('invalid', `${MOD_CATALOG}: ${catalog}`, 1, notes);
    const exists = (clip: string): boolean => resources.exists(`${MOD_PREFIX}${clip}.maud`);
    const missing: { file: string; d: Diagnostic }[] = [];
    const rebuild = (d: Diagnostic): Diagnostic => ({
      ...d,
      hint: 'build the mod with its clips: ringdown mod MENU.xml --clips DIR',
    });
    for (const d of checkClips(main.menu, catalog, exists, 'the mod')) missing.push({ file: MOD_MENU, d: rebuild(d) });
    if (ringMenu !== undefined)
      for (const d of checkClips(ringMenu, catalog, exists, 'the mod'))
        missing.push({ file: MOD_RING_MENU, d: rebuild(d) });
    const first = missing[0];
    if (first !== undefined) return refused('invalid', formatDiagnostic(first.file, first.d), missing.length, notes);
    return {
      kind: 'mod',
      mod: { menu: main.menu, ...(ringMenu !== undefined ? { ringMenu } : {}), catalog, crc: crc32(menuBytes!), notes },
    };
  } catch (e) {
    return refused(
      'internal',
      `${MOD_PREFIX}: internal fault while checking the mod: ${e instanceof Error ? e.message : String(e)}`,
      0,
      notes,
    );
  }
}

/** A CRC-32 as 8 hex digits. */
export function crcHex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}
