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
 */
import Time from 'time';
import Timer from 'timer';
import type { Clock, TimerHandle } from '../clock.js';

interface Pending {
  timer: Timer | undefined;
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

  schedule(ms: number, callback: () => void): TimerHandle {
    const due = this.now() + (Number.isFinite(ms) && ms > 0 ? ms : 0);
    const pending: Pending = { timer: undefined };
    pending.timer = Timer.set(() => {
      pending.timer = undefined;
      const outer = this.#due;
      this.#due = due;
      try {
        callback();
      } finally {
        this.#due = outer;
      }
    }, Math.max(0, due - this.#ticks()));
    return pending;
  }

  cancel(handle: TimerHandle): void {
    const pending = handle as Pending;
    if (pending.timer !== undefined) Timer.clear(pending.timer);
    pending.timer = undefined;
  }
}
