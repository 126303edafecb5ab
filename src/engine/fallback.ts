/**
 * What the phone runs when its menu cannot be loaded: a built-in menu that tells the caller the
 * phone is out of order and hangs up (the reorder tone follows, as after any hang-up). It is built
 * as a Menu in code, not parsed, so nothing about it can fail to load. The device never bricks on
 * a bad menu file: lifting the handset always gives an answer, and the fault goes to the log.
 */
import { formatDiagnostic, type Diagnostic } from '../ozml/diagnostic.js';
import { DEFAULT_LIMITS, type MenuLimits } from '../ozml/limits.js';
import { loadMenu } from '../ozml/load.js';
import type { Menu } from '../ozml/menu.js';

/** The clip the fallback menu plays; boards ship it beside the menu's clips. */
export const FALLBACK_CLIP = 'ringdown-out-of-order';
/** What that clip says (its catalog text, and what the simulator traces). */
export const FALLBACK_TEXT = 'Sorry, this phone is out of order. Please report it.';

/**
 * The fallback menu: the out-of-order clip, then Hangup. Without the clip (a board that lacks it)
 * the interpreter traces an error and hangs up at once: the reorder tone still tells the caller.
 */
export function fallbackMenu(): Menu {
  const at = { line: 0, col: 0 };
  return {
    commands: [
      { kind: 'speak', text: FALLBACK_TEXT, clip: FALLBACK_CLIP, bargeIn: false, ...at },
      { kind: 'hangup', ...at },
    ],
    typeAhead: false,
  };
}

/** Why the fallback runs: for the call log and the console. */
export interface MenuFault {
  /** `missing`: no menu text at all; `invalid`: it has errors; `internal`: the loader failed. */
  kind: 'missing' | 'invalid' | 'internal';
  /** One line, `FILE:LINE:COL: error: MESSAGE` for the first error. */
  message: string;
  /** How many errors the menu has (0 unless `invalid`). */
  errors: number;
}

export interface MenuChoice {
  menu: Menu;
  /** True when `menu` is the fallback. */
  fallback: boolean;
  /** Set exactly when the fallback runs. */
  fault?: MenuFault;
  /** Everything the loader said (warnings of a good menu included). */
  diagnostics: Diagnostic[];
}

export interface MenuSource {
  /** The menu text, or undefined when the file is missing or unreadable. */
  text: string | undefined;
  /** Its name in messages. */
  file?: string;
  limits?: MenuLimits;
  /** The board's output names (see loadMenu). */
  outputs?: readonly string[];
}

/** The menu to run: the loaded one, or the fallback with the reason. Never throws. */
export function loadMenuOrFallback(source: MenuSource): MenuChoice {
  const file = source.file ?? 'menu.xml';
  if (source.text === undefined) {
    return {
      menu: fallbackMenu(),
      fallback: true,
      fault: { kind: 'missing', message: `${file}: no menu`, errors: 0 },
      diagnostics: [],
    };
  }
  try {
    const result = loadMenu(source.text, source.limits ?? DEFAULT_LIMITS, source.outputs);
    if (result.menu !== undefined) return { menu: result.menu, fallback: false, diagnostics: result.diagnostics };
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const message = first !== undefined ? formatDiagnostic(file, first) : `${file}: the menu did not load`;
    return {
      menu: fallbackMenu(),
      fallback: true,
      fault: { kind: 'invalid', message, errors: errors.length },
      diagnostics: result.diagnostics,
    };
  } catch (e) {
    const message = `${file}: internal fault while loading: ${e instanceof Error ? e.message : String(e)}`;
    return { menu: fallbackMenu(), fallback: true, fault: { kind: 'internal', message, errors: 0 }, diagnostics: [] };
  }
}
