/**
 * A device trace against the simulator's, event by event: the same events in the same order with
 * the same fields, each within a time tolerance (the firmware runs on real timers; the simulator
 * in exact virtual time).
 */
import type { TraceEvent } from '../../src/engine/trace.js';

/** The first difference, described; undefined when the traces agree within `toleranceMs`. */
export function traceDifference(
  device: readonly TraceEvent[],
  sim: readonly TraceEvent[],
  toleranceMs: number,
): string | undefined {
  const n = Math.max(device.length, sim.length);
  for (let i = 0; i < n; i++) {
    const d = device[i];
    const s = sim[i];
    if (d === undefined || s === undefined)
      return `event ${i}: device ${JSON.stringify(d) ?? '(nothing)'}, sim ${JSON.stringify(s) ?? '(nothing)'}`;
    const { t: dt, ...dRest } = d;
    const { t: st, ...sRest } = s;
    const fields = (e: object): string => JSON.stringify(e, Object.keys(e).sort());
    if (fields(dRest) !== fields(sRest) || Math.abs(dt - st) > toleranceMs) {
      return `event ${i}: device ${JSON.stringify(d)}, sim ${JSON.stringify(s)}`;
    }
  }
  return undefined;
}

/** The largest time difference between two traces that agree event by event. */
export function largestSkew(device: readonly TraceEvent[], sim: readonly TraceEvent[]): number {
  let skew = 0;
  for (let i = 0; i < Math.min(device.length, sim.length); i++)
    skew = Math.max(skew, Math.abs(device[i]!.t - sim[i]!.t));
  return skew;
}

/** A firmware console line as a trace event: a JSON object a line; undefined for anything else. */
export function parseTraceLine(text: string): TraceEvent | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as TraceEvent;
  } catch {
    return undefined;
  }
}
