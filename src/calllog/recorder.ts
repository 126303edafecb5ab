/**
 * From the trace to call records: follows the phone's trace event by event (a TraceSink to chain
 * after the simulator's or the device's) and hands a CallRecord to `onRecord` when each call ends.
 * A call starts at an off-hook with no call open and ends at the next on-hook, exactly as Phone
 * does. State is bounded: keys and path are capped, whatever the caller does.
 */
import type { TraceEvent } from '../engine/trace.js';
import { MAX_KEYS, MAX_PATH, type CallEnd, type CallRecord } from './record.js';

export interface RecorderOptions {
  onRecord: (record: CallRecord) => void;
  /** Whether the call starting now answered the ringing phone (default: a plain off-hook). */
  answerKind?: () => 'offhook' | 'ring';
  /** Replace digits in keys and path by `x` (a door PIN should not be readable from the log). */
  maskDigits?: boolean;
}

export class CallRecorder {
  private open: { startMs: number; answer: 'offhook' | 'ring'; keys: string; path: string[]; pathChars: number; end: CallEnd } | undefined;

  constructor(private readonly options: RecorderOptions) {}

  /** Feeds one trace event. */
  observe(e: TraceEvent): void {
    const call = this.open;
    if (call === undefined) {
      if (e.type === 'offhook') {
        const answer = this.options.answerKind?.() ?? 'offhook';
        this.open = { startMs: e.t, answer, keys: '', path: [], pathChars: 0, end: 'caller' };
      }
      return;
    }
    switch (e.type) {
      case 'key':
        if (call.keys.length < MAX_KEYS) call.keys += this.mask(e.key);
        return;
      case 'flash':
        if (call.keys.length < MAX_KEYS) call.keys += 'F';
        return;
      case 'match': {
        const step = this.mask(e.key);
        if (call.pathChars + step.length + 1 <= MAX_PATH + 1) {
          call.path.push(step);
          call.pathChars += step.length + 1;
        }
        return;
      }
      case 'back':
        call.path.pop();
        return;
      case 'hangup':
        call.end = e.reason === 'command' ? 'hangup' : e.reason === 'end' ? 'menu-end' : 'error';
        return;
      case 'onhook':
        this.open = undefined;
        this.options.onRecord(this.record(call, e.t));
        return;
    }
  }

  /** The call still open, as a record ending `open` at `nowMs` (for a dump at power-down). */
  pending(nowMs: number): CallRecord | undefined {
    return this.open === undefined ? undefined : { ...this.record(this.open, nowMs), end: 'open' };
  }

  private record(call: NonNullable<CallRecorder['open']>, endMs: number): CallRecord {
    return {
      kind: 'call',
      startMs: call.startMs,
      answer: call.answer,
      keys: call.keys,
      path: call.path.join('>').slice(0, MAX_PATH),
      end: call.end,
      durationMs: endMs - call.startMs,
    };
  }

  private mask(key: string): string {
    return this.options.maskDigits === true ? key.replace(/[0-9]/g, 'x') : key;
  }
}

/** The record of the first call in a trace (TraceEvent[] of one call, say), or undefined. */
export function callRecord(trace: readonly TraceEvent[], options: Omit<RecorderOptions, 'onRecord'> = {}): CallRecord | undefined {
  let found: CallRecord | undefined;
  const recorder = new CallRecorder({ ...options, onRecord: (r) => (found ??= r) });
  for (const e of trace) {
    recorder.observe(e);
    if (found !== undefined) return found;
  }
  return recorder.pending(trace.at(-1)?.t ?? 0);
}
