/**
 * The line state machine: raw hook levels (with their times) in, call events out. Pure: time
 * comes from the Clock, every decision is a timer on it, so it runs the same in virtual time.
 *
 * - Debounce: a level counts once it has held `debounceMs`; its edge is the last raw change.
 * - During a call, a break shorter than `pulseBreakMinMs` is noise and reported as nothing. Once
 *   a break has lasted that long the phone is told the loop is open (`loop-open`: audio stops at
 *   once, whatever the break turns out to be).
 * - The make that ends a break decides it: up to `pulseBreakMaxMs` it is a dial pulse, counted
 *   until the line has been made `interDigitMs` (then `digit`, 10 pulses = 0); up to
 *   `flashMaxMs` it is a `flash`. A break still open when the flash window closes is a `hangup`.
 * - While ringing, an off-hook must hold `ringTripMs` (ringing current makes SHK chatter).
 */
import type { Clock, TimerHandle } from '../../hal/clock.js';
import type { LineTiming } from './profile.js';

export type LineEvent =
  /** The handset was lifted from idle (or lifted to answer a ring). */
  | { kind: 'offhook' }
  /** The loop opened during a call: the handset went down, or a dial pulse or flash began. */
  | { kind: 'loop-open' }
  /** The loop closed again after a break that was neither a pulse, a flash nor a hang-up. */
  | { kind: 'resume' }
  /** A dialed digit: `pulses` pulses, `key` '1'..'9' or '0' for 10. */
  | { kind: 'digit'; key: string; pulses: number }
  /** A pulse train of more than ten pulses: not a digit, dropped. */
  | { kind: 'bad-digit'; pulses: number }
  | { kind: 'flash' }
  /** The break outlasted the flash window: the call is over. */
  | { kind: 'hangup' };

export interface HookDecoderOptions {
  clock: Clock;
  timing: LineTiming;
  onEvent: (event: LineEvent) => void;
  /** The raw level at start: true when off-hook (default false). */
  offHook?: boolean;
}

type State = 'idle' | 'offhook' | 'open' | 'pulsing';

/** The key a rotary dial's pulse count stands for: 1..9, 10 = '0'; undefined beyond. */
export function pulsesToKey(pulses: number): string | undefined {
  if (!Number.isInteger(pulses) || pulses < 1 || pulses > 10) return undefined;
  return pulses === 10 ? '0' : String(pulses);
}

export class HookDecoder {
  private readonly clock: Clock;
  private readonly timing: LineTiming;
  private readonly onEvent: (event: LineEvent) => void;
  private state: State;
  /** The debounced level and the raw one with the time it last changed. */
  private level: boolean;
  private raw: boolean;
  private rawAt: number;
  private ringing = false;
  private breakAt = 0;
  private pulses = 0;
  /** Whether `loop-open` was reported for the current break or pulse train. */
  private reportedOpen = false;
  private debounceTimer: TimerHandle | undefined;
  private stepTimer: TimerHandle | undefined;

  constructor(options: HookDecoderOptions) {
    this.clock = options.clock;
    this.timing = options.timing;
    this.onEvent = options.onEvent;
    this.level = this.raw = options.offHook ?? false;
    this.rawAt = this.clock.now();
    this.state = this.level ? 'offhook' : 'idle';
  }

  /** Whether a call is in progress as far as the line knows (off-hook, or deciding a break). */
  get inCall(): boolean {
    return this.state !== 'idle';
  }

  /** A raw level change from the hook switch, at `atMs` on the Clock. */
  input(offHook: boolean, atMs: number = this.clock.now()): void {
    if (offHook === this.raw) return;
    this.raw = offHook;
    this.rawAt = Math.min(atMs, this.clock.now());
    this.cancel('debounce');
    if (offHook === this.level) return; // bounced back before it held: nothing happened
    const wait = Math.max(0, this.rawAt + this.holdMs(offHook) - this.clock.now());
    this.debounceTimer = this.clock.schedule(wait, () => {
      this.debounceTimer = undefined;
      this.settle();
    });
  }

  /** Tells the decoder the ringer is on (longer hold before a ring trip) or off. */
  setRinging(ringing: boolean): void {
    this.ringing = ringing;
  }

  /**
   * Takes a level as already decided, reporting nothing: for call events that reach the phone
   * another way (the simulator's `offhook`/`onhook` tokens). Any break being decided is dropped.
   */
  assume(offHook: boolean): void {
    this.cancel('debounce');
    this.cancel('step');
    this.level = this.raw = offHook;
    this.rawAt = this.clock.now();
    this.pulses = 0;
    this.reportedOpen = false;
    this.state = offHook ? 'offhook' : 'idle';
  }

  private settle(): void {
    const edge = this.rawAt;
    this.level = this.raw;
    if (this.level) this.made(edge);
    else this.broke(edge);
  }

  private broke(at: number): void {
    if (this.state === 'idle') return;
    this.cancel('step');
    this.state = 'open';
    this.breakAt = at;
    if (this.reportedOpen) {
      this.scheduleWindow();
      return;
    }
    const limit = this.breakAt + this.timing.pulseBreakMinMs;
    this.schedule(limit, () => this.unlessSettling(limit, false, () => this.openLongEnough()));
  }

  /** The break has outlasted noise: the phone hears of it, and the flash window runs. */
  private openLongEnough(): void {
    this.reportedOpen = true;
    this.onEvent({ kind: 'loop-open' });
    this.scheduleWindow();
  }

  /**
   * The window is decided 1 ms after its last ms, so a make in that ms counts as a flash
   * whichever way events of one ms are ordered.
   */
  private scheduleWindow(): void {
    const limit = this.breakAt + this.timing.flashMaxMs;
    this.schedule(limit + 1, () => this.unlessSettling(limit, true, () => this.windowClosed()));
  }

  private windowClosed(): void {
    this.state = 'idle';
    this.pulses = 0;
    this.reportedOpen = false;
    this.onEvent({ kind: 'hangup' });
  }

  private made(at: number): void {
    this.cancel('step');
    if (this.state === 'idle') {
      this.state = 'offhook';
      this.onEvent({ kind: 'offhook' });
      return;
    }
    if (this.state !== 'open') return;
    const length = at - this.breakAt;
    const t = this.timing;
    if (length < t.pulseBreakMinMs) {
      // Noise inside a call or a pulse train: as if the break never happened.
      if (this.pulses > 0) this.waitForNextPulse(at);
      else this.state = 'offhook';
      if (this.pulses === 0 && this.reportedOpen) this.resume();
      return;
    }
    if (length <= t.pulseBreakMaxMs) {
      this.pulses++;
      this.waitForNextPulse(at);
      return;
    }
    if (length <= t.flashMaxMs) {
      this.state = 'offhook';
      this.endDigit();
      this.reportedOpen = false;
      this.onEvent({ kind: 'flash' });
    }
  }

  private waitForNextPulse(makeAt: number): void {
    this.state = 'pulsing';
    const limit = makeAt + this.timing.interDigitMs;
    this.schedule(limit, () =>
      this.unlessSettling(limit, false, () => {
        this.state = 'offhook';
        if (!this.endDigit()) this.resume();
      }),
    );
  }

  /**
   * Runs `decide` at a window's edge `limit`, unless a raw change from before the edge (or at it,
   * when `inclusive`) is still settling: that change decides, once it has held (its own settle
   * runs first); if it does not hold, this looks again then.
   */
  private unlessSettling(limit: number, inclusive: boolean, decide: () => void): void {
    const pending = this.raw !== this.level && (inclusive ? this.rawAt <= limit : this.rawAt < limit);
    if (!pending) {
      decide();
      return;
    }
    const settleAt = this.rawAt + this.holdMs(this.raw);
    if (this.clock.now() < settleAt) {
      this.schedule(settleAt, () => this.unlessSettling(limit, inclusive, decide));
      return;
    }
    this.cancel('debounce');
    this.settle();
  }

  /** How long a raw level must hold to count. */
  private holdMs(offHook: boolean): number {
    return offHook && this.ringing && this.state === 'idle' ? this.timing.ringTripMs : this.timing.debounceMs;
  }

  /** Reports the pulses counted so far as a digit (or a bad one); false when there were none. */
  private endDigit(): boolean {
    const pulses = this.pulses;
    if (pulses === 0) return false;
    this.pulses = 0;
    this.reportedOpen = false;
    const key = pulsesToKey(pulses);
    this.onEvent(key !== undefined ? { kind: 'digit', key, pulses } : { kind: 'bad-digit', pulses });
    return true;
  }

  private resume(): void {
    this.reportedOpen = false;
    this.onEvent({ kind: 'resume' });
  }

  /** Sets the one decision timer (window close, inter-digit pause) to fire at Clock time `at`. */
  private schedule(at: number, fire: () => void): void {
    this.cancel('step');
    this.stepTimer = this.clock.schedule(Math.max(0, at - this.clock.now()), () => {
      this.stepTimer = undefined;
      fire();
    });
  }

  private cancel(which: 'debounce' | 'step'): void {
    const handle = which === 'debounce' ? this.debounceTimer : this.stepTimer;
    if (handle !== undefined) this.clock.cancel(handle);
    if (which === 'debounce') this.debounceTimer = undefined;
    else this.stepTimer = undefined;
  }
}
