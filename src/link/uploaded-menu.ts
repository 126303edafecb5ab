/**
 * An uploaded menu package (src/link/menu-slots.ts) checked as the device runs it: the same
 * loader and board limits as the built menu at boot, the board's output names, and every Speak's
 * clip on the device (a clip of the build, or a recording such as an uploaded greeting). The
 * device checks an upload with it before switching, and loads the switched one with it at boot;
 * the host checks with it before sending. Pure: the caller says which clips exist.
 */
import type { MenuLimits } from '../../hal/menu-limits.js';
import { checkCatalog, plainRecord, type ClipCatalog } from '../clips/catalog.js';
import { decodeUtf8 } from '../calllog/utf8-bytes.js';
import { crc32 } from '../checksum/crc32.js';
import { loadMenuOrFallback, type MenuFault } from '../engine/fallback.js';
import { formatDiagnostic } from '../ozml/diagnostic.js';
import { checkClips } from '../ozml/check-clips.js';
import type { Menu } from '../ozml/menu.js';
import { decodePackage } from './menu-slots.js';

/** The name an uploaded menu goes by in messages. */
export const UPLOADED_MENU = 'uploaded menu.xml';

export interface UploadedMenuContext {
  limits: Readonly<MenuLimits>;
  outputs: readonly string[];
  /** The build's own catalog: an uploaded catalog adds to it. */
  builtCatalog: ClipCatalog;
  /** Whether the device has a clip of this name (built, or a kept recording). */
  clipExists(name: string): boolean;
}

export interface UploadedMenu {
  menu: Menu;
  /** The build's catalog with the uploaded entries over it. */
  catalog: ClipCatalog;
  /** CRC-32 of the menu text's bytes. */
  crc: number;
  /** Warnings, each as FILE:LINE:COL. */
  notes: string[];
}

export type UploadedChoice =
  | { kind: 'menu'; uploaded: UploadedMenu }
  | { kind: 'refused'; fault: MenuFault; notes: string[] };

function refuse(message: string, notes: string[], errors = 1): UploadedChoice {
  return { kind: 'refused', fault: { kind: 'invalid', message, errors }, notes };
}

/** Checks a package; never throws. */
export function loadUploadedMenu(content: Uint8Array, context: UploadedMenuContext): UploadedChoice {
  const notes: string[] = [];
  try {
    const pkg = decodePackage(content);
    if (typeof pkg === 'string') return refuse(`${UPLOADED_MENU}: ${pkg}`, notes);
    if (pkg.menu.length > context.limits.maxChars * 4) {
      return refuse(
        `${UPLOADED_MENU}: ${pkg.menu.length} bytes, longer than the limit of ${context.limits.maxChars} characters`,
        notes,
      );
    }
    const text = decodeUtf8(pkg.menu);
    if (text === undefined) return refuse(`${UPLOADED_MENU}: not UTF-8`, notes);
    const choice = loadMenuOrFallback({ text, file: UPLOADED_MENU, limits: context.limits, outputs: context.outputs });
    for (const d of choice.diagnostics) if (d.severity !== 'error') notes.push(formatDiagnostic(UPLOADED_MENU, d));
    if (choice.fault !== undefined) return { kind: 'refused', fault: choice.fault, notes };
    let catalog: ClipCatalog = { clips: plainRecord<string>() };
    if (pkg.catalog.length > 0) {
      const catalogText = decodeUtf8(pkg.catalog);
      let parsed: ClipCatalog | string;
      try {
        parsed = catalogText === undefined ? 'not UTF-8' : checkCatalog(JSON.parse(catalogText));
      } catch (e) {
        parsed = e instanceof Error ? e.message : String(e);
      }
      if (typeof parsed === 'string') return refuse(`uploaded catalog.json: ${parsed}`, notes);
      catalog = parsed;
    }
    const merged = plainRecord<string>();
    for (const [k, v] of Object.entries(context.builtCatalog.clips)) merged[k] = v;
    for (const [k, v] of Object.entries(catalog.clips)) merged[k] = v;
    const all: ClipCatalog = { clips: merged };
    const problems = checkClips(choice.menu, all, (name) => context.clipExists(name), 'the device');
    for (const d of problems) if (d.severity !== 'error') notes.push(formatDiagnostic(UPLOADED_MENU, d));
    const errors = problems.filter((d) => d.severity === 'error');
    if (errors.length > 0) return refuse(formatDiagnostic(UPLOADED_MENU, errors[0]!), notes, errors.length);
    return { kind: 'menu', uploaded: { menu: choice.menu, catalog: all, crc: crc32(pkg.menu), notes } };
  } catch (e) {
    return {
      kind: 'refused',
      fault: {
        kind: 'internal',
        message: `${UPLOADED_MENU}: internal fault while checking: ${e instanceof Error ? e.message : String(e)}`,
        errors: 0,
      },
      notes,
    };
  }
}
