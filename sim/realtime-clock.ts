import type { Clock, TimerHandle } from '../hal/clock.js';
import { VirtualClock } from './virtual-clock.js';

export interface RealTimeClockOptions {
  /** Wall-clock milliseconds (default `performance.now`). */
  wallMs?: () => number;
  /** Called after timers fired on their own (not inside `sync`), e.g. to redraw. */
  onFired?: () => void;
}

/**
 * A Clock that follows the wall clock, for the interactive simulator (host only: it uses Node
 * timers). Timers live in a VirtualClock, so they fire in exactly the order the simulator and the
 * tests use; one Node timer wakes it when the next is due. Before delivering an outside event
 * (a key from the terminal) call `sync()` so `now()` is the wall-clock time of that event.
 */
export class RealTimeClock implements Clock {
  private readonly queue = new VirtualClock();
  private readonly origin: number;
  private readonly wallMs: () => number;
  private wake: ReturnType<typeof setTimeout> | undefined;
  private syncing = false;
  private stopped = false;

  constructor(private readonly options: RealTimeClockOptions = {}) {
    this.wallMs = options.wallMs ?? (() => performance.now());
    this.origin = this.wallMs();
  }

  now(): number {
    return this.queue.now();
  }

  /** Milliseconds of wall-clock time since the clock was made. */
  elapsed(): number {
    return Math.floor(this.wallMs() - this.origin);
  }

  schedule(ms: number, callback: () => void): TimerHandle {
    const handle = this.queue.schedule(ms, callback);
    this.arm();
    return handle;
  }

  cancel(handle: TimerHandle): void {
    this.queue.cancel(handle);
    this.arm();
  }

  /** Fires every timer due by now, in order, then moves time to now. */
  sync(): void {
    const t = this.elapsed();
    this.syncing = true;
    try {
      while (this.queue.step(t)) {
        /* each step fires one timer */
      }
      this.queue.advanceTo(t);
    } finally {
      this.syncing = false;
    }
    this.arm();
  }

  /** Cancels the wake-up timer for good, so the process can exit. */
  stop(): void {
    this.stopped = true;
    if (this.wake !== undefined) clearTimeout(this.wake);
    this.wake = undefined;
  }

  private arm(): void {
    if (this.syncing) return;
    if (this.wake !== undefined) clearTimeout(this.wake);
    this.wake = undefined;
    const next = this.queue.nextAt();
    if (next === undefined || this.stopped) return;
    this.wake = setTimeout(
      () => {
        this.wake = undefined;
        this.sync();
        this.options.onFired?.();
      },
      Math.max(0, next - this.elapsed()),
    );
  }
}
