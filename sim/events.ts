/** A scripted happening on the simulated line, at a time in ms from the start of the run. */
export type SimEvent =
  | { at: number; what: 'offhook' | 'onhook' | 'flash' }
  | { at: number; what: 'key'; key: string }
  /** A rotary digit: real break/make hook pulses through the line state machine. */
  | { at: number; what: 'dial'; key: string }
  /** The loop opened for `ms` (a flash, or a hang-up and a new lift), through the state machine. */
  | { at: number; what: 'break'; ms: number }
  /** A ring trigger fires (`ring` is the plain incoming ring). */
  | { at: number; what: 'ring'; trigger: string }
  /** The caller starts saying the audio of `file` (a WAV for `ringdown sim`, a named voice in scenarios). */
  | { at: number; what: 'say'; file: string };

const KEY = /^[0-9*#A-D]$/;

/** The latest time a simulation may script or run to, in seconds (about 11.6 days). */
export const MAX_SIM_SECONDS = 1_000_000;
/** The longest clip `--clip-ms` may give, in ms (an hour). */
export const MAX_CLIP_MS = 3_600_000;

/**
 * A plain decimal number of seconds from 0 to MAX_SIM_SECONDS (`7`, `7.5`, `.5`), in whole ms;
 * a message for anything else: no sign, exponent, hex, white space or empty string.
 */
export function parseSeconds(text: string): number | string {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text))
    return `${JSON.stringify(text)} is not a number of seconds (a plain decimal such as 7 or 7.5)`;
  const seconds = Number(text);
  if (seconds > MAX_SIM_SECONDS) return `${text} s is later than the limit of ${MAX_SIM_SECONDS} s`;
  return Math.round(seconds * 1000);
}

/** A whole number of ms from 0 to `max`, written as plain digits; a message for anything else. */
export function parseWholeMs(text: string, max: number): number | string {
  if (!/^\d+$/.test(text)) return `${JSON.stringify(text)} is not a whole number of ms`;
  const ms = Number(text);
  if (ms > max) return `${text} ms is longer than the limit of ${max} ms`;
  return ms;
}
const TRIGGER = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Parses the WHAT of one token; a message when it is not one we know. */
function parseWhat(what: string, at: number): SimEvent | string {
  if (what === 'offhook' || what === 'onhook' || what === 'flash') return { at, what };
  if (KEY.test(what.toUpperCase())) return { at, what: 'key', key: what.toUpperCase() };
  if (what === 'ring') return { at, what: 'ring', trigger: 'ring' };
  const colon = what.indexOf(':');
  const head = colon < 0 ? what : what.slice(0, colon);
  const arg = what.slice(colon + 1);
  if (head === 'dial') {
    if (/^[0-9]$/.test(arg)) return { at, what: 'dial', key: arg };
    return `'${arg}' is not a digit a rotary dial can send (0-9)`;
  }
  if (head === 'break') {
    const ms = parseWholeMs(arg, MAX_SIM_SECONDS * 1000);
    if (typeof ms === 'number' && ms > 0) return { at, what: 'break', ms };
    return `'${arg}' is not a whole number of ms from 1 to ${MAX_SIM_SECONDS * 1000}`;
  }
  if (head === 'ring') {
    if (TRIGGER.test(arg)) return { at, what: 'ring', trigger: arg };
    return `'${arg}' is not a trigger name (letters, digits, _ or -)`;
  }
  if (head === 'say' && colon >= 0) {
    if (arg !== '') return { at, what: 'say', file: arg };
    return 'say: names no file (say:FILE.wav@S)';
  }
  return `'${what}' is not offhook, onhook, flash, a key 0-9 * # A-D, dial:N, break:MS, ring, ring:NAME or say:FILE`;
}

/**
 * Parses `--events`: tokens `WHAT@SECONDS` separated by white space, WHAT being `offhook`,
 * `onhook`, `flash`, a key `0-9 * # A B C D`, `dial:N` (rotary digit N as hook pulses),
 * `break:MS` (the loop open for MS ms), `ring` or `ring:NAME` (a ring trigger), `say:FILE` (the
 * caller's voice from FILE starts). Returns the
 * events in time order (ties keep their written order) or a message naming the bad token.
 */
export function parseEvents(text: string): SimEvent[] | string {
  const events: SimEvent[] = [];
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const where = `event ${i + 1} '${token}'`;
    const at = token.lastIndexOf('@');
    if (at <= 0) return `${where}: expected WHAT@SECONDS, e.g. offhook@0 or 2@7.5`;
    const what = token.slice(0, at);
    const seconds = token.slice(at + 1);
    const ms = parseSeconds(seconds);
    if (typeof ms === 'string') return `${where}: ${ms}`;
    const event = parseWhat(what, ms);
    if (typeof event === 'string') return `${where}: ${event}`;
    events.push(event);
  }
  // Stable sort by time.
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
}
