/** A scripted happening on the simulated line, at a time in ms from the start of the run. */
export type SimEvent =
  | { at: number; what: 'offhook' | 'onhook' | 'flash' }
  | { at: number; what: 'key'; key: string }
  /** A rotary digit: real break/make hook pulses through the line state machine. */
  | { at: number; what: 'dial'; key: string }
  /** The loop opened for `ms` (a flash, or a hang-up and a new lift), through the state machine. */
  | { at: number; what: 'break'; ms: number }
  /** A ring trigger fires (`ring` is the plain incoming ring). */
  | { at: number; what: 'ring'; trigger: string };

const KEY = /^[0-9*#A-D]$/;
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
    if (/^\d+$/.test(arg) && Number(arg) > 0) return { at, what: 'break', ms: Number(arg) };
    return `'${arg}' is not a whole number of ms > 0`;
  }
  if (head === 'ring') {
    if (TRIGGER.test(arg)) return { at, what: 'ring', trigger: arg };
    return `'${arg}' is not a trigger name (letters, digits, _ or -)`;
  }
  return `'${what}' is not offhook, onhook, flash, a key 0-9 * # A-D, dial:N, break:MS, ring or ring:NAME`;
}

/**
 * Parses `--events`: tokens `WHAT@SECONDS` separated by white space, WHAT being `offhook`,
 * `onhook`, `flash`, a key `0-9 * # A B C D`, `dial:N` (rotary digit N as hook pulses),
 * `break:MS` (the loop open for MS ms), `ring` or `ring:NAME` (a ring trigger). Returns the
 * events in time order (ties keep their written order) or a message naming the bad token.
 */
export function parseEvents(text: string): SimEvent[] | string {
  const events: SimEvent[] = [];
  const tokens = text.trim().split(/\s+/).filter((t) => t !== '');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const where = `event ${i + 1} '${token}'`;
    const at = token.lastIndexOf('@');
    if (at <= 0) return `${where}: expected WHAT@SECONDS, e.g. offhook@0 or 2@7.5`;
    const what = token.slice(0, at);
    const seconds = token.slice(at + 1);
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(seconds)) return `${where}: '${seconds}' is not a number of seconds`;
    const event = parseWhat(what, Math.round(Number(seconds) * 1000));
    if (typeof event === 'string') return `${where}: ${event}`;
    events.push(event);
  }
  // Stable sort by time.
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
}
