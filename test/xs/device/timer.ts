/** Stand-in for Moddable's `timer` (one-shot `set`, `clear`) on the host's virtual clock. */
import type { TimerHandle } from '../../../hal/clock.js';
import { clock } from './host.js';

interface FakeTimer {
  handle: TimerHandle | undefined;
}

export default class Timer {
  static set(callback: (timer: FakeTimer) => void, ms = 0): FakeTimer {
    const timer: FakeTimer = { handle: undefined };
    timer.handle = clock.schedule(ms, () => {
      timer.handle = undefined;
      callback(timer);
    });
    return timer;
  }

  static clear(timer: FakeTimer | undefined): void {
    if (timer?.handle !== undefined) clock.cancel(timer.handle);
    if (timer !== undefined) timer.handle = undefined;
  }
}
