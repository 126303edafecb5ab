/**
 * Silvertel Ag1171 ringing SLIC (+3.3 V / +5 V, 48 V battery feed and 72 V ringing from its own
 * DC/DC converter). Three logic pins:
 * - SHK (out): high while loop current flows (off-hook, or a dial's make). Reported raw, with
 *   its time, to the line state machine (it bounces, more at 3.3 V than at 5 V, and follows an
 *   off-hook about 100 ms late while ringing voltage is applied). Given `shkEdges`, each edge
 *   keeps the time its interrupt stamped (a garbage collection cannot move a dial's pulse);
 *   otherwise it is stamped when the pin's callback runs.
 * - RM (in): ringing mode. High only while ringing, low at all other times (datasheet 5.3).
 * - F/R (in): forward (H) / reverse (L) battery polarity (datasheet 5.9). With RM high, toggling
 *   it at the ring frequency makes the balanced ringing signal; alone, a reversal.
 * The KS0835F module has the same three signals (board files only rename the pins).
 */
import type { Clock, TimerHandle } from '../../hal/clock.js';
import type { HookSwitch } from '../../hal/hook.js';
import type { LineFeed } from '../../hal/line-feed.js';
import type { RingCadence, Ringer } from '../../hal/ringer.js';
import {
  modeOf,
  type DigitalClass,
  type DigitalPin,
  type OpenStampedInput,
  type PinSpec,
  type StampedInput,
} from '../io/io.js';

export interface Ag1171Options {
  clock: Clock;
  shk: PinSpec<DigitalClass>;
  rm: PinSpec<DigitalClass>;
  fr: PinSpec<DigitalClass>;
  /** Opens SHK with its edges stamped at the interrupt (drivers/pin-edges) instead of through `shk.io`. */
  shkEdges?: OpenStampedInput;
  /** SHK high means off-hook (the Ag1171); false for a module or level shifter that inverts it. */
  shkActiveHigh?: boolean;
  /** How long `disconnect()` holds the polarity reversed, in ms (default 500). */
  reversalMs?: number;
}

export class Ag1171 implements HookSwitch, Ringer, LineFeed {
  onChange: ((offHook: boolean, atMs: number) => void) | undefined;
  private readonly clock: Clock;
  private readonly shk: StampedInput;
  private readonly rm: DigitalPin;
  private readonly fr: DigitalPin;
  private readonly activeHigh: boolean;
  private readonly reversalMs: number;
  private last: boolean;
  private cadence: RingCadence | undefined;
  private segment = 0;
  private frLevel: 0 | 1 = 1;
  private segmentTimer: TimerHandle | undefined;
  private toggleTimer: TimerHandle | undefined;
  private reversalTimer: TimerHandle | undefined;

  constructor(options: Ag1171Options) {
    this.clock = options.clock;
    this.activeHigh = options.shkActiveHigh ?? true;
    this.reversalMs = options.reversalMs ?? 500;
    const { shk, rm, fr } = options;
    this.rm = new rm.io({ pin: rm.pin, mode: modeOf(rm.io.Output, 'Output') });
    this.rm.write(0);
    this.fr = new fr.io({ pin: fr.pin, mode: modeOf(fr.io.Output, 'Output') });
    this.fr.write(1);
    if (options.shkEdges !== undefined)
      this.shk = options.shkEdges(shk.pin, (level, atMs) => this.shkChanged(level, atMs));
    else {
      const changed = (): void => this.shkChanged(this.shk.read(), this.clock.now());
      this.shk = new shk.io({
        pin: shk.pin,
        mode: modeOf(shk.io.Input, 'Input'),
        edge: shk.io.Rising | shk.io.Falling,
        onReadable: changed,
      });
    }
    this.last = this.read();
  }

  read(): boolean {
    return (this.shk.read() === 1) === this.activeHigh;
  }

  /** Rings with the cadence from the start of its first burst, until `stop()`. */
  start(cadence: RingCadence): void {
    this.halt();
    if (!(cadence.frequencyHz > 0)) {
      this.stop();
      return;
    }
    this.cancelReversal();
    this.cadence = cadence;
    this.segment = 0;
    this.enterSegment();
  }

  /** Stops at once, mid-burst if need be (ring trip): RM low, polarity forward. */
  stop(): void {
    this.halt();
    this.rm.write(0);
    this.setFr(1);
  }

  /** A polarity reversal for `reversalMs`: how this SLIC tells the phone the far end has gone. */
  disconnect(): void {
    if (this.cadence !== undefined) return;
    this.cancelReversal();
    this.setFr(0);
    this.reversalTimer = this.clock.schedule(this.reversalMs, () => {
      this.reversalTimer = undefined;
      this.setFr(1);
    });
  }

  close(): void {
    this.stop();
    this.cancelReversal();
    this.shk.close();
    this.rm.close();
    this.fr.close();
  }

  /** Cancels the ring timers, leaving the pins as they are. */
  private halt(): void {
    this.cancel(this.segmentTimer);
    this.cancel(this.toggleTimer);
    this.segmentTimer = this.toggleTimer = undefined;
    this.cadence = undefined;
  }

  /** A raw SHK level (0 or 1) at Clock time `atMs`: reported when it changes the level. */
  private shkChanged(raw: number, atMs: number): void {
    const level = (raw === 1) === this.activeHigh;
    if (level === this.last) return;
    this.last = level;
    this.onChange?.(level, atMs);
  }

  /** Even segments of the cadence are bursts (RM high, F/R toggling), odd ones silence. */
  private enterSegment(): void {
    const cadence = this.cadence;
    if (cadence === undefined) return;
    const steps = cadence.cadenceMs;
    const burst = this.segment % 2 === 0;
    this.cancel(this.toggleTimer);
    this.toggleTimer = undefined;
    if (burst) {
      this.rm.write(1);
      this.toggle(1000 / (2 * cadence.frequencyHz));
    } else {
      this.rm.write(0);
      this.setFr(1);
    }
    if (steps.length === 0) return; // steady ringing
    const ms = steps[this.segment % steps.length]!;
    this.segmentTimer = this.clock.schedule(ms, () => {
      this.segmentTimer = undefined;
      this.segment = (this.segment + 1) % (steps.length % 2 === 0 ? steps.length : 2 * steps.length);
      this.enterSegment();
    });
  }

  private toggle(halfPeriodMs: number): void {
    this.setFr(this.frLevel === 1 ? 0 : 1);
    this.toggleTimer = this.clock.schedule(halfPeriodMs, () => this.toggle(halfPeriodMs));
  }

  private setFr(level: 0 | 1): void {
    this.frLevel = level;
    this.fr.write(level);
  }

  private cancelReversal(): void {
    this.cancel(this.reversalTimer);
    this.reversalTimer = undefined;
  }

  private cancel(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.clock.cancel(handle);
  }
}
