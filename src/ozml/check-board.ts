import type { Diagnostic } from './diagnostic.js';
import { walkCommands, type Menu } from './menu.js';

/**
 * Keys a rotary dial can send: the ten digits by pulses, and a hook flash (`F`) by a short press
 * of the cradle switch. `*`, `#` and `A`-`D` exist only on tone keypads.
 */
export const ROTARY_KEYS = '0123456789F';

/** The phones `check --phone` knows: which keys each can send. */
export const PHONE_KEYS: Readonly<Record<string, string>> = { rotary: ROTARY_KEYS };

/**
 * A `<Record>` needs an audio input; on a board without one the firmware records nothing. Each
 * Record is an error naming `board` and the boards that can record (`recordingBoards`, from the
 * boards' own descriptions).
 */
export function checkRecordBoard(menu: Menu, board: string, recordingBoards: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  walkCommands(menu.commands, (c) => {
    if (c.kind !== 'record') return;
    out.push({
      severity: 'error',
      line: c.line,
      col: c.col,
      message: `board '${board}' has no audio input: <Record> cannot record on it`,
      hint:
        recordingBoards.length > 0 ? `boards that can record: ${recordingBoards.join(', ')}` : 'no board can record',
    });
  });
  return out;
}

/**
 * A warning at every Input that a phone sending only `keys` cannot reach: its key (or a digit of
 * its multi-digit key) is not among them. Keys are upper case, as the loader keeps them.
 */
export function checkPhoneKeys(menu: Menu, phone: string, keys: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const digits = [...keys].filter((k) => k !== 'F').join(' ');
  walkCommands(menu.commands, (c) => {
    if (c.kind !== 'userinput') return;
    for (const input of c.inputs) {
      const missing = [...new Set([...input.key].filter((k) => !keys.includes(k)))];
      if (missing.length === 0) continue;
      out.push({
        severity: 'warning',
        line: input.line,
        col: input.col,
        message: `a ${phone} phone cannot reach Input key="${input.key}": it cannot send ${missing.map((k) => `'${k}'`).join(' or ')}`,
        hint: `use keys it can send (${digits}${keys.includes('F') ? ', or F for a hook flash' : ''})`,
      });
    }
  });
  return out;
}
