import type { Clock } from '../hal/clock.js';
import type { LineFeed } from '../hal/line-feed.js';

/** The simulated SLIC: remembers when the line was told to disconnect. */
export class SimLineFeed implements LineFeed {
  readonly disconnects: number[] = [];

  constructor(private readonly clock: Clock) {}

  disconnect(): void {
    this.disconnects.push(this.clock.now());
  }
}
