/**
 * From the trace to call records: follows the phone's trace event by event (a TraceSink to chain
 * after the simulator's or the device's) and hands a CallRecord to `onRecord` when each call ends.
 * A call starts at an off-hook with no call open. It ends at the next on-hook when the phone gets
 * decided call events (`offHook()`/`onHook()`); when it decodes raw hook levels, `onhook` only
 * means the loop opened (a dial pulse, a flash or a hang-up) and the call ends at `idle`, the
 * line state machine's decision (`callEnd: 'idle'`). A `ring-stop` for `answer` marks a call
 * that answered the ringing phone. State is bounded: keys and path are capped.
 */
import type { TraceEvent } from '../engine/trace.js';
import { MAX_KEYS, MAX_PATH, type CallEnd, type CallRecord } from './record.js';

export interface RecorderOptions {
  onRecord: (record: CallRecord) => void;
  /** Whether the call starting now answered the ringing phone (default: a plain off-hook). */
  answerKind?: () => 'offhook' | 'ring';
  /** Replace digits in keys and path by `x` (a door PIN should not be readable from the log). */
  maskDigits?: boolean;
  /** The event that ends a call: `onhook` (default) or `idle` (raw hook levels, see above). */
  callEnd?: 'onhook' | 'idle';
}

export class CallRecorder {
  private open:
    | {
        startMs: number;
        answer: 'offhook' | 'ring';
        keys: string;
        path: string[];
        pathChars: number;
        end: CallEnd;
        lastOnhook: number | undefined;
      }
    | undefined;

  constructor(private readonly options: RecorderOptions) {}

  /** Feeds one trace event. */
  observe(e: TraceEvent): void {
    const call = this.open;
    if (call === undefined) {
      if (e.type === 'offhook') {
        const answer = this.options.answerKind?.() ?? 'offhook';
        this.open = { startMs: e.t, answer, keys: '', path: [], pathChars: 0, end: 'caller', lastOnhook: undefined };
      }
      return;
    }
    // Event types of the line state machine, read by name so this works with and without it.
    const type: string = e.type;
    if (type === 'ring-stop' && (e as { reason?: string }).reason === 'answer') {
      call.answer = 'ring';
      return;
    }
    if (type === 'idle' && this.options.callEnd === 'idle') {
      this.open = undefined;
      this.options.onRecord(this.record(call, call.lastOnhook ?? e.t));
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
        call.lastOnhook = e.t;
        if (this.options.callEnd === 'idle') return;
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
export function callRecord(
  trace: readonly TraceEvent[],
  options: Omit<RecorderOptions, 'onRecord'> = {},
): CallRecord | undefined {
  let found: CallRecord | undefined;
  const recorder = new CallRecorder({ ...options, onRecord: (r) => (found ??= r) });
  for (const e of trace) {
    recorder.observe(e);
    if (found !== undefined) return found;
  }
  return recorder.pending(trace.at(-1)?.t ?? 0);
}
