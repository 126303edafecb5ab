/**
 * Named digital outputs on ECMA-419 Digital pins (a door-strike relay driver, an LED), so menus
 * say `door`, never a pin number. All start off.
 */
import type { DigitalOutputs } from '../../hal/outputs.js';
import { modeOf, type DigitalClass, type DigitalPin } from '../io/io.js';

export interface NamedOutput {
  pin: number;
  /** True when the output is on at a low level (e.g. a relay module with an active-low input). */
  activeLow?: boolean;
}

export class DigitalPinOutputs implements DigitalOutputs {
  readonly names: readonly string[];
  private readonly pins = new Map<string, { port: DigitalPin; activeLow: boolean }>();

  constructor(options: { io: DigitalClass; outputs: Readonly<Record<string, NamedOutput>> }) {
    for (const [name, spec] of Object.entries(options.outputs)) {
      const port = new options.io({ pin: spec.pin, mode: modeOf(options.io.Output, 'Output') });
      const activeLow = spec.activeLow ?? false;
      port.write(activeLow ? 1 : 0);
      this.pins.set(name, { port, activeLow });
    }
    this.names = [...this.pins.keys()];
  }

  write(name: string, on: boolean): void {
    const out = this.pins.get(name);
    if (out === undefined) return;
    out.port.write(on !== out.activeLow ? 1 : 0);
  }
}
