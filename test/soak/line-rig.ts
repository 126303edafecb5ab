/**
 * A phone on the simulated board, driven event by event in virtual time, with the invariants of
 * an unattended line checked after every event and every timer:
 * - no event handler or timer callback throws;
 * - while the menu runs, something is pending (a clip or a timer): the line is never dead;
 * - once disconnected, the reorder tone plays (unless the loop is open: it is silenced then);
 * - after on-hook the line is idle, silent, and no timer of the call is left; with raw hook
 *   levels (`raw`), once the loop has stayed open past the flash window;
 * - a new off-hook starts the menu: the same first events as the very first call;
 * - the trace obeys the call semantics (TraceChecker).
 * Events are either decided call events (Phone's offHook/onHook/flash/key) or, with `raw`, what
 * the wires carry: hook levels (bounces, dial pulses, flashes), DTMF key presses and rings,
 * decoded by the line state machine inside Phone.
 * Pure (no Node): the property tests and the XS soak both use it.
 */
import { SimAudio } from '../../sim/sim-audio.js';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SimDtmf } from '../../sim/sim-dtmf.js';
import { SimHook } from '../../sim/sim-hook.js';
import { SimRinger } from '../../sim/sim-ringer.js';
import { SimLineFeed } from '../../sim/sim-line.js';
import { SimOutputs } from '../../sim/sim-outputs.js';
import { VirtualClock } from '../../sim/virtual-clock.js';
import { Phone } from '../../src/engine/phone.js';
import type { TraceEntry, TraceEvent } from '../../src/engine/trace.js';
import { NORTH_AMERICA, type LineProfile } from '../../src/line/profile.js';
import { walkCommands, type Menu } from '../../src/ozml/menu.js';
import { TraceChecker } from './trace-checker.js';

/**
 * What the caller does: decided call events (`offhook`, `onhook`, `flash`, `key`) or, on a raw
 * rig, raw ones (`hook` level changes, a `dtmf` key press, a `ring`).
 */
export type LineEvent =
  | { what: 'offhook' | 'onhook' | 'flash' | 'ring' }
  | { what: 'key' | 'dtmf'; key: string }
  | { what: 'hook'; offHook: boolean };

export interface RigOptions {
  menu: Menu;
  /** Every clip lasts this long; undefined estimates each from its text. */
  clipMs?: number;
  profile?: LineProfile;
  /** Keep the whole trace (tests); a soak keeps only the last few events. */
  keepTrace?: boolean;
  /** Called with every trace event (a call log recorder, say). */
  onTrace?: (e: TraceEvent) => void;
  /** Wire a hook switch, DTMF receiver and ringer: the phone decodes raw hook levels. */
  raw?: boolean;
}

/** Timer firings `settle` allows before it calls the line stuck. */
const MAX_SETTLE_FIRINGS = 100_000;
/** Events kept for a failure message when the whole trace is not kept. */
const TAIL = 40;

/** How a menu's first events look, without times: what every new call must start with. */
export function startOf(entries: readonly TraceEvent[]): string[] {
  return entries.map((e) => JSON.stringify({ ...e, t: 0 }));
}

export class LineRig {
  readonly clock = new VirtualClock();
  readonly audio: SimAudio;
  readonly outputs: SimOutputs;
  readonly line: SimLineFeed;
  readonly phone: Phone;
  readonly hook: SimHook;
  readonly dtmf: SimDtmf;
  readonly ringer: SimRinger;
  readonly checker: TraceChecker;
  /** The whole trace when `keepTrace`, else the last events. */
  readonly trace: TraceEvent[] = [];
  /** Breaches of the invariants above (the checker's included), in order. */
  readonly violations: string[] = [];
  /** Timers that outlive a call on purpose: an Output pulse ends even after the caller hangs up. */
  private readonly pulseOutputs: number;
  private readonly keep: boolean;
  private readonly onTrace: ((e: TraceEvent) => void) | undefined;
  private readonly raw: boolean;
  /** After the loop has been open this long, the line must be idle (raw rigs). */
  private readonly idleAfterMs: number;
  private hookChangedAt = 0;
  /** The first events of a call, recorded at the first off-hook, compared at every later one. */
  private firstStart: string[] | undefined;
  private capture: TraceEvent[] | undefined;

  constructor(options: RigOptions) {
    const clips = new SimClipLibrary(options.clipMs !== undefined ? { fixedMs: options.clipMs } : {});
    this.audio = new SimAudio(this.clock, (clip) => clips.lengthOf(clip));
    this.outputs = new SimOutputs(this.clock);
    this.line = new SimLineFeed(this.clock);
    this.keep = options.keepTrace ?? false;
    this.onTrace = options.onTrace;
    this.raw = options.raw ?? false;
    this.checker = new TraceChecker({ raw: this.raw });
    const profile = options.profile ?? NORTH_AMERICA;
    this.idleAfterMs = profile.timing.flashMaxMs + profile.timing.debounceMs + 5;
    this.hook = new SimHook(this.clock);
    this.dtmf = new SimDtmf(this.clock);
    this.ringer = new SimRinger(this.clock, (ringing) => (this.hook.ringing = ringing));
    const pulsed = new Set<string>();
    walkCommands(options.menu.commands, (c) => {
      if (c.kind === 'output' && c.pulseMs !== undefined) pulsed.add(c.name);
    });
    this.pulseOutputs = pulsed.size;
    this.phone = new Phone({
      menu: options.menu,
      clock: this.clock,
      audio: this.audio,
      line: this.line,
      clips,
      profile,
      outputs: this.outputs,
      trace: (e) => this.record(e),
      ...(this.raw ? { hook: this.hook, dtmf: this.dtmf, ringer: this.ringer } : {}),
    });
  }

  /** Fires every timer due up to `t`, then moves time to `t`. */
  advanceTo(t: number): void {
    for (let next = this.clock.nextAt(); next !== undefined && next <= t; next = this.clock.nextAt()) {
      this.guarded('timer', () => this.clock.step());
      this.checkState('after a timer');
    }
    this.clock.advanceTo(t);
    this.checkState('as time passed');
  }

  /** Delivers one event now and checks the line afterwards. */
  deliver(event: LineEvent): void {
    this.guarded(event.what, () => {
      switch (event.what) {
        case 'offhook':
          return this.phone.offHook();
        case 'onhook':
          return this.phone.onHook();
        case 'flash':
          return this.phone.flash();
        case 'key':
          return this.phone.key(event.key);
        case 'ring':
          return this.phone.ring();
        case 'dtmf':
          return this.dtmf.press(event.key);
        case 'hook':
          if (event.offHook !== this.hook.read()) this.hookChangedAt = this.clock.now();
          return this.hook.set(event.offHook);
      }
    });
    if (event.what === 'onhook') {
      if (this.phone.lineState !== 'idle')
        this.violation(`t=${this.clock.now()} on-hook left the line ${this.phone.lineState}`);
      if (this.audio.busy) this.violation(`t=${this.clock.now()} on-hook left audio playing`);
      if (this.clock.pending > this.pulseOutputs)
        this.violation(`t=${this.clock.now()} on-hook left ${this.clock.pending} timers pending`);
    }
    this.checkState(`after ${event.what}`);
  }

  /**
   * Runs the clock until nothing is pending (a handset left off-hook: the menu must end in the
   * reorder tone, never stay in a dead state). Returns the virtual time it took.
   */
  settle(): number {
    const from = this.clock.now();
    let firings = 0;
    while (this.clock.pending > 0) {
      if (++firings > MAX_SETTLE_FIRINGS) {
        this.violation(`t=${this.clock.now()} still busy after ${MAX_SETTLE_FIRINGS} timers`);
        break;
      }
      this.guarded('timer', () => this.clock.step());
      this.checkState('while settling');
    }
    const state = this.phone.lineState;
    if (state === 'menu') this.violation(`t=${this.clock.now()} the menu is running with nothing pending: a dead line`);
    if (state === 'ringing') this.violation(`t=${this.clock.now()} still ringing with nothing pending`);
    return this.clock.now() - from;
  }

  /**
   * Forgets what the simulated board recorded (sound segments, disconnects, output writes, rings): a long
   * soak keeps the board's memory flat so any growth it sees is the core's.
   */
  forgetBoardHistory(): void {
    const playing = this.audio.segments.filter((s) => s.end === undefined);
    this.audio.segments.length = 0;
    this.audio.segments.push(...playing);
    this.line.disconnects.length = 0;
    this.outputs.writes.length = 0;
    this.ringer.log.length = 0;
  }

  private checkState(when: string): void {
    this.finishCapture();
    const state = this.phone.lineState;
    const now = this.clock.now();
    const loopOpen = this.raw && !this.hook.read();
    // With raw levels a break silences the tone until the line state machine decides what it was
    // (a pulse, a flash, a hang-up): at the latest when the flash window closes.
    const deciding = this.raw && now - this.hookChangedAt <= this.idleAfterMs;
    if (state === 'menu' && this.clock.pending === 0)
      this.violation(`t=${now} ${when}: menu state with nothing pending (dead line)`);
    if (state === 'disconnected' && !loopOpen && !deciding && !this.audio.busy)
      this.violation(`t=${now} ${when}: disconnected without the reorder tone`);
    if (loopOpen && state !== 'ringing' && now - this.hookChangedAt > this.idleAfterMs) {
      // On-hook past the flash window: idle, silent, nothing of the call pending.
      if (state !== 'idle')
        this.violation(`t=${now} ${when}: on-hook since ${this.hookChangedAt} but the line is ${state}`);
      if (this.audio.busy) this.violation(`t=${now} ${when}: on-hook since ${this.hookChangedAt} but audio plays`);
      if (this.clock.pending > this.pulseOutputs)
        this.violation(
          `t=${now} ${when}: on-hook since ${this.hookChangedAt} but ${this.clock.pending} timers pending`,
        );
    }
  }

  /** A call's first events end with the handler that started it; compared with the first call's. */
  private finishCapture(): void {
    if (this.capture === undefined) return;
    const start = startOf(this.capture.filter((e) => e.type !== 'ring-stop'));
    this.capture = undefined;
    if (this.firstStart === undefined) this.firstStart = start;
    else if (start.join('\n') !== this.firstStart.join('\n')) {
      this.violation(
        `t=${this.clock.now()} a new off-hook started ${JSON.stringify(start)}, the first call ${JSON.stringify(this.firstStart)}`,
      );
    }
    if (this.phone.lineState === 'idle' || this.phone.lineState === 'ringing')
      this.violation(`t=${this.clock.now()} off-hook left the line ${this.phone.lineState}`);
  }

  private guarded(what: string, run: () => unknown): void {
    try {
      run();
    } catch (e) {
      this.violation(`t=${this.clock.now()} ${what} threw ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private record(e: TraceEvent): void {
    this.trace.push(e);
    if (!this.keep && this.trace.length > TAIL) this.trace.splice(0, this.trace.length - TAIL);
    // An off-hook starts a call when it finds the phone idle or ringing (the state changes after).
    const state = this.phone.lineState;
    const startsCall = e.type === 'offhook' && (state === 'idle' || state === 'ringing');
    if (startsCall) this.capture = [];
    this.capture?.push(e);
    const seen = this.checker.violations.length;
    this.checker.observe(e, startsCall);
    for (const v of this.checker.violations.slice(seen)) this.violation(v);
    this.onTrace?.(e);
  }

  private violation(message: string): void {
    if (this.violations.length < 20) this.violations.push(message);
  }
}

/** For failure messages: the trace as one line per event, without the `t` noise repeated. */
export function describeTrace(trace: readonly (TraceEvent | TraceEntry)[]): string {
  return trace.map((e) => JSON.stringify(e)).join('\n');
}
