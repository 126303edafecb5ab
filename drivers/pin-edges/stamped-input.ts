/**
 * Inputs stamped at the interrupt on the Moddable clock: each edge a PinEdges (pin-edges.c)
 * queued is handed to the driver as a wait due at the edge's time (`ModdableClock.at`), so
 * everything it sets off (the line's debounce, a pulse's count, the next decision) is timed from
 * when the pin changed, not from when XS got to it, and runs in order with the clock's other
 * waits. The queue is read when PinEdges says edges wait, and before each of the clock's waits.
 */
import type { EdgePinClass, OpenStampedInput } from '../io/io.js';

/** The clock's part in it: ModdableClock. */
export interface StampClock {
  /** The clock's time of a tick-counter reading. */
  fromTicks(ticks: number): number;
  /** Runs `callback` as a wait due at `time` (which may have passed). */
  at(time: number, callback: () => void): unknown;
  /** Calls `source` before each wait runs; the result stops that. */
  poll(source: () => void): () => void;
}

/** Opens inputs of `io` (PinEdges, or a stand-in) whose edges reach the driver at their times on `clock`. */
export function stampedInputs(io: EdgePinClass, clock: StampClock): OpenStampedInput {
  return (pin, onEdge) => {
    const drain = (): void => {
      for (let edge = input.take(); edge !== undefined; edge = input.take()) {
        const level = edge % 2;
        const atMs = clock.fromTicks((edge - level) / 2);
        clock.at(atMs, () => onEdge(level, atMs));
      }
    };
    const input = new io({ pin, onReadable: drain });
    const stop = clock.poll(drain);
    return {
      read: () => input.read(),
      close: () => {
        stop();
        input.close();
      },
    };
  };
}
