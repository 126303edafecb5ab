/**
 * A Clock that knows when nothing is pending: it counts the timers scheduled through it and calls
 * `onIdle` once the last one has fired or been cancelled. The desktop board ends a scripted call
 * with it the way the simulator does: when nothing but waiting for the handset remains.
 */
import type { Clock, TimerHandle } from '../../hal/clock.js';

interface Entry {
  handle: TimerHandle | undefined;
}

export class IdleClock implements Clock {
  readonly #clock: Clock;
  #pending = 0;
  /** Called (after the timer's own callback) whenever the count of pending timers reaches 0. */
  onIdle: (() => void) | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get pending(): number {
    return this.#pending;
  }

  now(): number {
    return this.#clock.now();
  }

  schedule(ms: number, callback: () => void): TimerHandle {
    const entry: Entry = { handle: undefined };
    this.#pending++;
    entry.handle = this.#clock.schedule(ms, () => {
      entry.handle = undefined;
      this.#pending--;
      try {
        callback();
      } finally {
        if (this.#pending === 0) this.onIdle?.();
      }
    });
    return entry;
  }

  cancel(handle: TimerHandle): void {
    const entry = handle as Entry;
    if (entry.handle === undefined) return;
    this.#clock.cancel(entry.handle);
    entry.handle = undefined;
    this.#pending--;
  }
}
