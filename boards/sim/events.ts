/** A scripted happening on the simulated line, at a time in ms from the start of the run. */
export type SimEvent =
  | { at: number; what: 'offhook' | 'onhook' | 'flash' }
  | { at: number; what: 'key'; key: string };

const KEY = /^[0-9*#A-D]$/;

/**
 * Parses `--events`: tokens `WHAT@SECONDS` separated by white space, WHAT being `offhook`,
 * `onhook`, `flash` or a key `0-9 * # A B C D`. Returns the events in time order (ties keep
 * their written order) or a message naming the bad token.
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
    const ms = Math.round(Number(seconds) * 1000);
    if (what === 'offhook' || what === 'onhook' || what === 'flash') events.push({ at: ms, what });
    else if (KEY.test(what.toUpperCase())) events.push({ at: ms, what: 'key', key: what.toUpperCase() });
    else return `${where}: '${what}' is not offhook, onhook, flash or a key 0-9 * # A-D`;
  }
  // Stable sort by time.
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
}
