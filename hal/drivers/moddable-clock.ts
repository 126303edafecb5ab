/**
 * The Clock on Moddable: `Time.ticks` for now (unwrapped: the 32-bit millisecond counter wraps
 * after 49.7 days, and a door phone runs for months) and `timer` one-shots.
 *
 * Timers keep to their schedule: while a timer's callback runs, `now()` is the time the timer
 * was due, not the moment it fired (a timer fires a millisecond or more late). A wait scheduled
 * from a callback therefore counts from when the previous step was due, and a chain of prompts
 * and waits does not drift later and later over a call; the delay given to `Timer.set` is what
 * remains until that time. `now()` never goes back: after a hook or key event was stamped with
 * the real time, a late timer reads that time, not its earlier due time.
 */
import Time from 'time';
import Timer from 'timer';
import type { Clock, TimerHandle } from '../clock.js';

interface Pending {
  timer: Timer | undefined;
}

export class ModdableClock implements Clock {
  #lastTicks = Time.ticks;
  #elapsed = 0;
  /** While a timer's callback runs: when that timer was due. */
  #due: number | undefined;
  /** The latest time `now()` returned. */
  #latest = 0;

  /** Milliseconds on the tick counter since this clock was made. */
  #ticks(): number {
    const ticks = Time.ticks;
    this.#elapsed += (ticks - this.#lastTicks) >>> 0;
    this.#lastTicks = ticks;
    return this.#elapsed;
  }

  now(): number {
    const t = this.#due ?? this.#ticks();
    if (t > this.#latest) this.#latest = t;
    return this.#latest;
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
