/**
 * Watches the raw line inputs for faults no caller could cause, so that a broken input is reported
 * once and then ignored rather than fed to the menu forever:
 * - a DTMF strobe stuck high (an MT8870's StD that never falls, a shorted pin): a key held down
 *   far longer than anyone holds a key;
 * - a DTMF strobe chattering: key-downs faster than DTMF signalling allows;
 * - a hook input toggling faster than any dial or bouncing contact could: an input floating, or
 *   a loop-current level stuck between the detector's thresholds.
 * Each fault is reported once when it starts and once when the input has recovered; while a fault
 * lasts, `dtmfHealthy` or `hookHealthy` is false so the wiring can drop that input's events.
 * Memory and timers are bounded: one timer per input, and a ring of at most `maxEvents` times.
 */
import type { Clock, TimerHandle } from '../../hal/clock.js';

export type LineFault =
  | { kind: 'dtmf-stuck'; key: string; atMs: number; downMs: number }
  | { kind: 'dtmf-chatter'; atMs: number; events: number; windowMs: number }
  | { kind: 'hook-chatter'; atMs: number; events: number; windowMs: number }
  | { kind: 'recovered'; input: 'dtmf' | 'hook'; atMs: number };

export interface SupervisorLimits {
  /** A key down longer than this is a stuck strobe. People hold a key for a second or two. */
  maxKeyDownMs: number;
  /**
   * Key-downs allowed within `windowMs`. ITU-T Q.24 asks receivers to accept tones of 40 ms with
   * 40 ms pauses, at most 12.5 keys a second; twice that is noise on the strobe.
   */
  maxKeyDowns: number;
  /**
   * Raw hook edges allowed within `windowMs`. A rotary dial sends 10 pulses a second (fast ones
   * 20), a digit at most 10 of them, with a pause of 300 ms or more between digits: any second
   * holds at most about 14 pulses, 112 edges even with 4 per transition from bouncing contacts.
   */
  maxHookEdges: number;
  /** The sliding window both rates are counted over. */
  windowMs: number;
  /** An input is recovered after this long without a fault symptom. */
  quietMs: number;
}

export const DEFAULT_SUPERVISOR_LIMITS: Readonly<SupervisorLimits> = {
  maxKeyDownMs: 10_000,
  maxKeyDowns: 25,
  maxHookEdges: 150,
  windowMs: 1000,
  quietMs: 2000,
};

export interface SupervisorOptions {
  clock: Clock;
  /** Called once when a fault starts and once when its input recovers. */
  onFault: (fault: LineFault) => void;
  limits?: SupervisorLimits;
}

/** The times of the last `size` events: tells whether `size` of them fell within a window. */
class RateWindow {
  private readonly times: number[];
  private next = 0;
  private count = 0;

  constructor(private readonly size: number) {
    this.times = new Array<number>(Math.max(1, size)).fill(0);
  }

  /** Records an event; true when it and the `size - 1` before it happened within `windowMs`. */
  add(atMs: number, windowMs: number): boolean {
    this.times[this.next] = atMs;
    this.next = (this.next + 1) % this.size;
    this.count = Math.min(this.count + 1, this.size);
    return this.count === this.size && atMs - this.times[this.next]! < windowMs;
  }

  clear(): void {
    this.count = 0;
  }
}

/**
 * One input's fault state: reported once, recovered after `quietMs` without a symptom. While held
 * (a stuck key still down) it cannot recover.
 */
class FaultLatch {
  faulted = false;
  private held = false;
  private lastSymptom = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly input: 'dtmf' | 'hook',
    private readonly options: SupervisorOptions,
    private readonly limits: SupervisorLimits,
    private readonly onRecover: () => void,
  ) {}

  /** A fault seen at `atMs`: reported if this input was healthy; the quiet time restarts. */
  report(fault: LineFault, atMs: number): void {
    this.lastSymptom = atMs;
    if (!this.faulted) {
      this.faulted = true;
      this.options.onFault(fault);
    }
    this.arm();
  }

  /** Another symptom while faulted (an edge, a key): the quiet time restarts. */
  touch(atMs: number): void {
    if (!this.faulted) return;
    this.lastSymptom = atMs;
    this.arm();
  }

  setHeld(held: boolean, atMs: number): void {
    this.held = held;
    if (held) this.cancel();
    else this.touch(atMs);
  }

  cancel(): void {
    if (this.timer !== undefined) this.options.clock.cancel(this.timer);
    this.timer = undefined;
  }

  /** One timer at a time, at the end of the quiet time; re-armed if a symptom came since. */
  private arm(): void {
    if (!this.faulted || this.held || this.timer !== undefined) return;
    const { clock } = this.options;
    this.timer = clock.schedule(Math.max(0, this.lastSymptom + this.limits.quietMs - clock.now()), () => {
      this.timer = undefined;
      if (clock.now() - this.lastSymptom < this.limits.quietMs) {
        this.arm();
        return;
      }
      this.faulted = false;
      this.onRecover();
      this.options.onFault({ kind: 'recovered', input: this.input, atMs: clock.now() });
    });
  }
}

export class LineSupervisor {
  private readonly limits: SupervisorLimits;
  private readonly keyDowns: RateWindow;
  private readonly hookEdges: RateWindow;
  private readonly dtmf: FaultLatch;
  private readonly hookLatch: FaultLatch;
  private down: { key: string; timer: TimerHandle } | undefined;
  /** The key down now has been reported stuck: the fault stays open until it goes up. */
  private stuck = false;

  constructor(private readonly options: SupervisorOptions) {
    const limits = options.limits ?? DEFAULT_SUPERVISOR_LIMITS;
    this.limits = limits;
    this.keyDowns = new RateWindow(limits.maxKeyDowns + 1);
    this.hookEdges = new RateWindow(limits.maxHookEdges + 1);
    this.dtmf = new FaultLatch('dtmf', options, limits, () => this.keyDowns.clear());
    this.hookLatch = new FaultLatch('hook', options, limits, () => this.hookEdges.clear());
  }

  /** False from a DTMF fault until its input recovers: drop key events meanwhile. */
  get dtmfHealthy(): boolean {
    return !this.dtmf.faulted;
  }

  /** False from a hook fault until its input recovers: treat the line as out of order meanwhile. */
  get hookHealthy(): boolean {
    return !this.hookLatch.faulted;
  }

  /** A DTMF key went down or up (DtmfReceiver.onKey). */
  key(key: string, down: boolean, atMs: number): void {
    if (!down) {
      this.keyUp(atMs);
      return;
    }
    if (this.down !== undefined) this.keyUp(atMs);
    const { limits } = this;
    const { clock } = this.options;
    const timer = clock.schedule(limits.maxKeyDownMs, () => {
      this.stuck = true;
      this.dtmf.setHeld(true, clock.now());
      this.dtmf.report({ kind: 'dtmf-stuck', key, atMs: clock.now(), downMs: clock.now() - atMs }, clock.now());
    });
    this.down = { key, timer };
    if (this.keyDowns.add(atMs, limits.windowMs)) {
      this.dtmf.report({ kind: 'dtmf-chatter', atMs, events: limits.maxKeyDowns + 1, windowMs: limits.windowMs }, atMs);
    } else {
      this.dtmf.touch(atMs);
    }
  }

  /** A raw hook level change (HookSwitch.onChange). */
  hook(atMs: number): void {
    const { limits } = this;
    if (this.hookEdges.add(atMs, limits.windowMs)) {
      this.hookLatch.report(
        { kind: 'hook-chatter', atMs, events: limits.maxHookEdges + 1, windowMs: limits.windowMs },
        atMs,
      );
    } else {
      this.hookLatch.touch(atMs);
    }
  }

  /** Cancels the supervisor's timers (the board shuts down). */
  stop(): void {
    if (this.down !== undefined) this.options.clock.cancel(this.down.timer);
    this.down = undefined;
    this.dtmf.cancel();
    this.hookLatch.cancel();
  }

  private keyUp(atMs: number): void {
    const d = this.down;
    if (d === undefined) return;
    this.options.clock.cancel(d.timer);
    this.down = undefined;
    if (this.stuck) {
      this.stuck = false;
      this.dtmf.setHeld(false, atMs);
    }
  }
}
