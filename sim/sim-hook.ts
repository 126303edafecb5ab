import type { Clock } from '../hal/clock.js';
import type { HookSwitch } from '../hal/hook.js';

/**
 * The simulated SLIC's hook output: raw levels set by the script (dial pulses, breaks), reported
 * with their virtual time. Like an Ag1171's SHK it may lag while ringing voltage is applied.
 */
export class SimHook implements HookSwitch {
  onChange: ((offHook: boolean, atMs: number) => void) | undefined;
  private level = false;
  /** Set by the board while the ringer rings: level changes then reach `onChange` this late. */
  ringing = false;

  constructor(
    private readonly clock: Clock,
    /** How late SHK follows the loop while ringing (about 100 ms on an Ag1171). */
    private readonly ringLagMs = 0,
  ) {}

  read(): boolean {
    return this.level;
  }

  /** The loop closes (true) or opens (false) now. */
  set(offHook: boolean): void {
    const lag = this.ringing ? this.ringLagMs : 0;
    if (lag > 0) this.clock.schedule(lag, () => this.report(offHook));
    else this.report(offHook);
  }

  /** Takes a level without reporting it (the script delivered the call event itself). */
  assume(offHook: boolean): void {
    this.level = offHook;
  }

  private report(offHook: boolean): void {
    if (offHook === this.level) return;
    this.level = offHook;
    this.onChange?.(offHook, this.clock.now());
  }
}
