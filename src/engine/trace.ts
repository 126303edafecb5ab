/**
 * The trace: what happened on the line, in order, one object per event with its time `t` in
 * milliseconds. It is the contract between the core, the simulator and the tests; the README's
 * trace section documents each type.
 */
export type TraceEvent =
  | { t: number; type: 'offhook' }
  | { t: number; type: 'onhook' }
  | { t: number; type: 'flash' }
  | { t: number; type: 'key'; key: string }
  | { t: number; type: 'ignored'; key: string }
  | { t: number; type: 'play'; text: string; clip: string; ms: number }
  | { t: number; type: 'play-cut'; clip: string; reason: 'barge-in' | 'onhook' | 'fault' | 'limit' }
  | { t: number; type: 'delay'; ms: number }
  | { t: number; type: 'input'; pass: number; timeout: number; repeat: boolean }
  | { t: number; type: 'wait'; ms: number }
  | { t: number; type: 'timeout'; pass: number }
  | { t: number; type: 'match'; key: string }
  | { t: number; type: 'nomatch'; key: string }
  | { t: number; type: 'held'; key: string }
  | { t: number; type: 'digits'; value: string; reason: 'terminator' | 'max' | 'timeout' }
  | { t: number; type: 'failed'; reason: 'noinput' | 'nomatch' }
  | { t: number; type: 'back'; key: string }
  | { t: number; type: 'output'; name: string; on: boolean }
  | { t: number; type: 'skip'; command: string; reason: string }
  | { t: number; type: 'hangup'; reason: 'command' | 'end' | 'error' | 'limit' }
  | { t: number; type: 'tone'; name: string }
  | { t: number; type: 'tone-stop'; name: string }
  | { t: number; type: 'error'; message: string }
  | { t: number; type: 'ring'; trigger: string }
  | { t: number; type: 'ring-stop'; reason: 'answer' | 'bound' | 'busy' }
  | { t: number; type: 'idle' }
  | {
      t: number;
      type: 'line-fault';
      input: 'dtmf' | 'hook';
      fault: 'dtmf-stuck' | 'dtmf-chatter' | 'hook-chatter' | 'recovered';
    }
  | { t: number; type: 'record-start'; file: string }
  | { t: number; type: 'record-end'; file: string; reason: RecordEndReason; ms: number }
  | { t: number; type: 'record-discard'; file: string }
  | { t: number; type: 'record-full'; file: string }
  | { t: number; type: 'end' };

/**
 * Why a recording ended: its Duration, Inactivity, a FinishDigits key, the caller hanging up, the
 * call's TimeLimit, a fault, or the store's room running out (`full`: nothing older is overwritten).
 */
export type RecordEndReason = 'duration' | 'inactivity' | 'digit' | 'onhook' | 'limit' | 'fault' | 'full';

/** Distributes an event type over the union so `Omit` keeps each member's fields. */
type WithoutTime<E> = E extends TraceEvent ? Omit<E, 't'> : never;
export type TraceEntry = WithoutTime<TraceEvent>;

/** Where the core writes its trace; the caller stamps nothing, the core adds `t`. */
export type TraceSink = (event: TraceEvent) => void;
