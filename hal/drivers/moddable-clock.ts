/**
 * The Clock on Moddable: `Time.ticks` for now (unwrapped: the 32-bit millisecond counter wraps
 * after 49.7 days, and a door phone runs for months) and `timer` one-shots.
 */
import Time from 'time';
import Timer from 'timer';
import type { Clock, TimerHandle } from '../clock.js';

interface Pending {
  timer: Timer | undefined;
}

export class ModdableClock implements Clock {
  private lastTicks = Time.ticks;
  private elapsed = 0;

  now(): number {
    const ticks = Time.ticks;
    this.elapsed += (ticks - this.lastTicks) >>> 0;
    this.lastTicks = ticks;
    return this.elapsed;
  }

  schedule(ms: number, callback: () => void): TimerHandle {
    const pending: Pending = { timer: undefined };
    pending.timer = Timer.set(() => {
      pending.timer = undefined;
      callback();
    }, Number.isFinite(ms) && ms > 0 ? ms : 0);
    return pending;
  }

  cancel(handle: TimerHandle): void {
    const pending = handle as Pending;
    if (pending.timer !== undefined) Timer.clear(pending.timer);
    pending.timer = undefined;
  }
}
