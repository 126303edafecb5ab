/**
 * The Clock on Moddable: `Time.ticks` for now (unwrapped: the 32-bit millisecond counter wraps
 * after 49.7 days, and a door phone runs for months) and `timer` one-shots.
 *
 * Timers keep to their schedule: while a timer's callback runs, `now()` is the time the timer
 * was due, not the moment it fired (a timer fires a millisecond or more late). A wait scheduled
 * from a callback therefore counts from when the previous step was due, and a chain of prompts
 * and waits does not drift later and later over a call; the delay given to `Timer.set` is what
 * remains until that time. `now()` never goes back: after a hook or key event was stamped with
 * the real time, a late timer reads that time, not its earlier due time. Outside timers the time
 * is read once per turn (`#turnTime`), so an event's consequences carry the event's time.
 *
 * An input stamped at the interrupt (drivers/pin-edges) hands its edges over with `at()`: each runs
 * as a wait due at the time it happened, so what it sets off is timed from then, in order with the
 * waits due before and after it, however late XS got to it. Such inputs are `poll()`ed before
 * each wait runs, so a wait never runs ahead of an edge that came before it but is not yet read.
 *
 * Timers due in the same millisecond fire in the order they were scheduled, as in the simulator:
 * the clock keeps its own queue ordered by (due time, scheduling order) behind one Moddable timer
 * armed for its head. (One `Timer.set` per wait let the host decide: two waits due at one time,
 * set a tick apart, could swap; a door relay's end and the menu's hang-up did, now and then.)
 */
import Time from 'time';
import Timer from 'timer';
import type { Clock, TimerHandle } from '../../hal/clock.js';

interface Pending {
  readonly due: number;
  readonly seq: number;
  callback: (() => void) | undefined;
}

/** True when `a` fires before `b`: earlier due time, then earlier scheduling. */
function before(a: Pending, b: Pending): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

export class ModdableClock implements Clock {
  /** The tick counter (ms since reset, 32-bit) when this clock was made: its time 0. */
  readonly origin = Time.ticks;
  #lastTicks = this.origin;
  #elapsed = 0;
  /** While a timer's callback runs: when that timer was due. */
  #due: number | undefined;
  /** The latest time `now()` returned. */
  #latest = 0;
  /** Outside timers: the tick reading the current turn started with, until its promise jobs run. */
  #turn: number | undefined;
  /** Waits not yet run, in the order they fire. */
  readonly #queue: Pending[] = [];
  #seq = 0;
  /** The host timer for the queue's head, and the due time it was set for. */
  #timer: Timer | undefined;
  #armedFor = 0;
  /** Inputs read before each wait runs (their edges join the queue first). */
  readonly #sources: (() => void)[] = [];

  /** Milliseconds on the tick counter since this clock was made. */
  #ticks(): number {
    const ticks = Time.ticks;
    this.#elapsed += (ticks - this.#lastTicks) >>> 0;
    this.#lastTicks = ticks;
    return this.#elapsed;
  }

  now(): number {
    const t = this.#due ?? this.#turnTime();
    if (t > this.#latest) this.#latest = t;
    return this.#latest;
  }

  /** The tick counter now, as this clock counts it: neither a timer's due time nor the turn's reading. */
  ticks(): number {
    return this.#ticks();
  }

  /**
   * One reading per turn: a pin interrupt's callback and everything it sets off read the time
   * the callback started, as a timer's callback reads its due time, however long the work takes
   * (on a 125 MHz RP2040 a key's barge-in, match and next prompt take 20-80 ms of XS). The
   * reading is dropped when the turn's promise jobs run, which XS does as each host callback ends.
   */
  #turnTime(): number {
    if (this.#turn === undefined) {
      this.#turn = this.#ticks();
      void Promise.resolve().then(() => {
        this.#turn = undefined;
      });
    }
    return this.#turn;
  }

  /**
   * This clock's time of a reading of the tick counter (`Time.ticks`, 32 bits, as an interrupt
   * stamped it): earlier than now by the counter's difference (a stamp within 24 days of now).
   */
  fromTicks(ticks: number): number {
    const now = this.#ticks();
    return now + ((ticks - this.#lastTicks) | 0);
  }

  /**
   * Runs `callback` as a wait due at `time`, which may have passed: in due order with the other
   * waits, `now()` reading `time` while it runs (or the latest time already read, if later).
   */
  at(time: number, callback: () => void): TimerHandle {
    return this.#insert(time, callback);
  }

  /** Calls `source` before each wait runs, until the returned function is called. */
  poll(source: () => void): () => void {
    this.#sources.push(source);
    return () => {
      const i = this.#sources.indexOf(source);
      if (i >= 0) this.#sources.splice(i, 1);
    };
  }

  schedule(ms: number, callback: () => void): TimerHandle {
    return this.#insert(this.now() + (Number.isFinite(ms) && ms > 0 ? ms : 0), callback);
  }

  #insert(due: number, callback: () => void): TimerHandle {
    const pending: Pending = { due, seq: this.#seq++, callback };
    const queue = this.#queue;
    let i = queue.length;
    while (i > 0 && before(pending, queue[i - 1]!)) i--;
    queue.splice(i, 0, pending);
    this.#arm();
    return pending;
  }

  cancel(handle: TimerHandle): void {
    const pending = handle as Pending;
    if (pending.callback === undefined) return;
    pending.callback = undefined;
    const i = this.#queue.indexOf(pending);
    if (i >= 0) this.#queue.splice(i, 1);
    this.#arm();
  }

  /** Keeps the one host timer set for the queue's head (none when the queue is empty). */
  #arm(): void {
    const head = this.#queue[0];
    if (head === undefined) {
      if (this.#timer !== undefined) Timer.clear(this.#timer);
      this.#timer = undefined;
      return;
    }
    if (this.#timer !== undefined && this.#armedFor <= head.due) return;
    if (this.#timer !== undefined) Timer.clear(this.#timer);
    this.#armedFor = head.due;
    this.#timer = Timer.set(() => this.#fire(), Math.max(0, head.due - this.#ticks()));
  }

  /** Runs the head if it is due (one callback per host turn, so promise jobs run between), re-arms. */
  #fire(): void {
    this.#timer = undefined;
    for (const source of this.#sources) source();
    const head = this.#queue[0];
    if (head !== undefined && head.due <= this.#ticks()) {
      this.#queue.shift();
      const callback = head.callback;
      head.callback = undefined;
      const outer = this.#due;
      this.#due = head.due;
      try {
        callback?.();
      } finally {
        this.#due = outer;
        this.#arm();
      }
      return;
    }
    this.#arm();
  }
}
