import type { Clock } from '../hal/clock.js';
import type { RingCadence, Ringer } from '../hal/ringer.js';

/** The simulated ring generator: records each start (with its cadence) and stop. */
export class SimRinger implements Ringer {
  readonly log: { at: number; start?: RingCadence }[] = [];
  private on = false;

  constructor(
    private readonly clock: Clock,
    /** Told when ringing starts and stops (the sim's hook lags while it rings). */
    private readonly onRinging: (ringing: boolean) => void = () => {},
  ) {}

  get ringing(): boolean {
    return this.on;
  }

  start(cadence: RingCadence): void {
    this.on = true;
    this.log.push({ at: this.clock.now(), start: cadence });
    this.onRinging(true);
  }

  stop(): void {
    if (!this.on) return;
    this.on = false;
    this.log.push({ at: this.clock.now() });
    this.onRinging(false);
  }
}
