/** The trace as `ringdown sim` prints it; pure, so the studio page prints the same words. */
import type { TraceEvent } from '../src/engine/trace.js';

/** One trace event as a human reads it: time in seconds, type, then its fields. */
export function formatTraceLine(e: TraceEvent): string {
  const fields = Object.entries(e)
    .filter(([k]) => k !== 't' && k !== 'type')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return `${(e.t / 1000).toFixed(3).padStart(9)}  ${e.type.padEnd(9)} ${fields.join(' ')}`.trimEnd();
}
