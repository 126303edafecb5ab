import type { Clock } from '../hal/clock.js';
import type { DigitalOutputs } from '../hal/outputs.js';

/** The simulated board's outputs: a door strike relay and an LED. */
export const SIM_OUTPUT_NAMES: readonly string[] = ['door', 'led'];

/** Records every write with its time, so tests can check a relay pulse's length. */
export class SimOutputs implements DigitalOutputs {
  readonly names = SIM_OUTPUT_NAMES;
  readonly writes: { at: number; name: string; on: boolean }[] = [];
  private readonly state = new Map<string, boolean>();

  constructor(private readonly clock: Clock) {}

  write(name: string, on: boolean): void {
    if (!this.names.includes(name)) return;
    this.state.set(name, on);
    this.writes.push({ at: this.clock.now(), name, on });
  }

  read(name: string): boolean {
    return this.state.get(name) ?? false;
  }
}
