/**
 * The board's named outputs as menus drive them. They belong to the board, not to a call: a pulse
 * started by one call ends on time whatever later calls do, and a later call's command on the same
 * output acts on that same pulse. Rules:
 * - `pulse` turns the output on until the pulse ends; a new pulse while one runs on the same output
 *   extends it to the later of the two ends (it never cuts a running pulse short);
 * - a plain set (`value="on|off"`) ends any running pulse on that output and leaves the value set.
 */
import type { Clock, TimerHandle } from '../../hal/clock.js';
import type { DigitalOutputs } from '../../hal/outputs.js';
import type { TraceEntry } from './trace.js';

interface Pulse {
  handle: TimerHandle;
  /** Clock time at which the output goes off. */
  endsAt: number;
}

export class BoardOutputs {
  private readonly pulses = new Map<string, Pulse>();

  /** `clock` must never hold its timers (a pulse must not wait with a call's held timers). */
  constructor(
    private readonly outputs: DigitalOutputs,
    private readonly clock: Clock,
    private readonly emit: (entry: TraceEntry) => void,
  ) {}

  has(name: string): boolean {
    return this.outputs.names.includes(name);
  }

  /** Sets an output (ending a running pulse on it), or with `pulseMs` pulses it on. */
  set(name: string, on: boolean, pulseMs?: number): void {
    const running = this.pulses.get(name);
    const endsAt = this.clock.now() + (pulseMs ?? 0);
    if (pulseMs !== undefined && running !== undefined && running.endsAt >= endsAt) {
      // A pulse already runs past this one's end: it goes on as it is.
      this.emit({ type: 'output', name, on: true });
      return;
    }
    if (running !== undefined) {
      this.clock.cancel(running.handle);
      this.pulses.delete(name);
    }
    this.outputs.write(name, on);
    this.emit({ type: 'output', name, on });
    if (pulseMs === undefined) return;
    const pulse: Pulse = {
      endsAt,
      handle: this.clock.schedule(pulseMs, () => {
        if (this.pulses.get(name) !== pulse) return;
        this.pulses.delete(name);
        this.outputs.write(name, false);
        this.emit({ type: 'output', name, on: false });
      }),
    };
    this.pulses.set(name, pulse);
  }
}
