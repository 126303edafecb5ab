/**
 * Time, as the core sees it: a millisecond counter and one-shot timers. On the chip this is
 * Moddable's `timer` module and `Time.ticks`; in tests and the simulator it is a virtual clock.
 * Nothing in `src/` reads time or sets a timer any other way.
 */
export type TimerHandle = object;

export interface Clock {
  /** Milliseconds since an arbitrary origin; never decreases. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now (0 means after the current event). */
  schedule(ms: number, callback: () => void): TimerHandle;
  /** Cancels a timer; cancelling one that has fired or was cancelled does nothing. */
  cancel(handle: TimerHandle): void;
}
