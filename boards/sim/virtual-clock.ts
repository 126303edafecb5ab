import type { Clock, TimerHandle } from '../../hal/clock.js';

interface Entry {
  at: number;
  seq: number;
  callback: (() => void) | undefined;
}

/**
 * Virtual time: timers fire in order of due time, then of scheduling, only when the simulation
 * advances the clock. Same inputs, same order, on every engine.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private queue: Entry[] = [];

  now(): number {
    return this.time;
  }

  schedule(ms: number, callback: () => void): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const entry: Entry = { at: this.time + delay, seq: this.seq++, callback };
    // Binary search for the first entry due later (or equal and scheduled later).
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = this.queue[mid]!;
      if (e.at < entry.at || (e.at === entry.at && e.seq < entry.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, entry);
    return entry;
  }

  cancel(handle: TimerHandle): void {
    const entry = handle as Entry;
    if (entry.callback === undefined) return;
    entry.callback = undefined;
    const i = this.queue.indexOf(entry);
    if (i >= 0) this.queue.splice(i, 1);
  }

  /** Timers still to fire. */
  get pending(): number {
    return this.queue.length;
  }

  /** Time of the next timer, or undefined when none is pending. */
  nextAt(): number | undefined {
    return this.queue[0]?.at;
  }

  /** Fires the next timer, advancing time to it; false when none is pending or it is after `limit`. */
  step(limit = Infinity): boolean {
    const entry = this.queue[0];
    if (entry === undefined || entry.at > limit) return false;
    this.queue.shift();
    this.time = entry.at;
    const callback = entry.callback;
    entry.callback = undefined;
    callback?.();
    return true;
  }

  /** Moves time forward to `t` without firing anything (only past timers already fired). */
  advanceTo(t: number): void {
    if (t > this.time) this.time = t;
  }
}
