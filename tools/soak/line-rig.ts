/**
 * A phone on the simulated board, driven event by event in virtual time, with the invariants of
 * an unattended line checked after every event and every timer:
 * - no event handler or timer callback throws;
 * - while the menu runs, something is pending (a clip or a timer): the line is never dead;
 * - once disconnected, the reorder tone plays;
 * - after on-hook the line is idle, silent, and no timer of the call is left;
 * - a new off-hook starts the menu: the same first events as the very first call;
 * - the trace obeys the call semantics (TraceChecker).
 * Pure (no Node): the property tests and the XS soak both use it.
 */
import { SimAudio } from '../../boards/sim/sim-audio.js';
import { SimClipLibrary } from '../../boards/sim/sim-clips.js';
import { SimLineFeed } from '../../boards/sim/sim-line.js';
import { SimOutputs } from '../../boards/sim/sim-outputs.js';
import { VirtualClock } from '../../boards/sim/virtual-clock.js';
import { Phone } from '../../src/engine/phone.js';
import type { TraceEntry, TraceEvent } from '../../src/engine/trace.js';
import { NORTH_AMERICA, type LineProfile } from '../../src/line/profile.js';
import { walkCommands, type Menu } from '../../src/ozml/menu.js';
import { TraceChecker } from './trace-checker.js';

/** What the caller (or the wiring) does to the phone, as today's Phone API takes it. */
export type LineEvent = { what: 'offhook' | 'onhook' | 'flash' } | { what: 'key'; key: string };

export interface RigOptions {
  menu: Menu;
  /** Every clip lasts this long; undefined estimates each from its text. */
  clipMs?: number;
  profile?: LineProfile;
  /** Keep the whole trace (tests); a soak keeps only the last few events. */
  keepTrace?: boolean;
  /** Called with every trace event (a call log recorder, say). */
  onTrace?: (e: TraceEvent) => void;
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
  readonly checker = new TraceChecker();
  /** The whole trace when `keepTrace`, else the last events. */
  readonly trace: TraceEvent[] = [];
  /** Breaches of the invariants above (the checker's included), in order. */
  readonly violations: string[] = [];
  /** Timers that outlive a call on purpose: an Output pulse ends even after the caller hangs up. */
  private readonly pulseOutputs: number;
  private readonly keep: boolean;
  private readonly onTrace: ((e: TraceEvent) => void) | undefined;
  private startsCall = false;
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
      profile: options.profile ?? NORTH_AMERICA,
      outputs: this.outputs,
      trace: (e) => this.record(e),
    });
  }

  /** Fires every timer due up to `t`, then moves time to `t`. */
  advanceTo(t: number): void {
    for (let next = this.clock.nextAt(); next !== undefined && next <= t; next = this.clock.nextAt()) {
      this.guarded('timer', () => this.clock.step());
      this.checkState('after a timer');
    }
    this.clock.advanceTo(t);
  }

  /** Delivers one event now and checks the line afterwards. */
  deliver(event: LineEvent): void {
    const before = this.phone.lineState;
    this.startsCall = event.what === 'offhook' && before === 'idle';
    this.capture = this.startsCall ? [] : undefined;
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
      }
    });
    this.startsCall = false;
    if (this.capture !== undefined) {
      const start = startOf(this.capture);
      this.capture = undefined;
      if (this.firstStart === undefined) this.firstStart = start;
      else if (start.join('\n') !== this.firstStart.join('\n')) {
        this.violation(`t=${this.clock.now()} a new off-hook started ${JSON.stringify(start)}, the first call ${JSON.stringify(this.firstStart)}`);
      }
      if (this.phone.lineState === 'idle') this.violation(`t=${this.clock.now()} off-hook left the line idle`);
    }
    if (event.what === 'onhook') {
      if (this.phone.lineState !== 'idle') this.violation(`t=${this.clock.now()} on-hook left the line ${this.phone.lineState}`);
      if (this.audio.busy) this.violation(`t=${this.clock.now()} on-hook left audio playing`);
      if (this.clock.pending > this.pulseOutputs) this.violation(`t=${this.clock.now()} on-hook left ${this.clock.pending} timers pending`);
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
    return this.clock.now() - from;
  }

  /**
   * Forgets what the simulated board recorded (sound segments, disconnects, output writes): a long
   * soak keeps the board's memory flat so any growth it sees is the core's.
   */
  forgetBoardHistory(): void {
    const playing = this.audio.segments.filter((s) => s.end === undefined);
    this.audio.segments.length = 0;
    this.audio.segments.push(...playing);
    this.line.disconnects.length = 0;
    this.outputs.writes.length = 0;
  }

  private checkState(when: string): void {
    const state = this.phone.lineState;
    if (state === 'menu' && this.clock.pending === 0) this.violation(`t=${this.clock.now()} ${when}: menu state with nothing pending (dead line)`);
    if (state === 'disconnected' && !this.audio.busy) this.violation(`t=${this.clock.now()} ${when}: disconnected without the reorder tone`);
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
    this.capture?.push(e);
    const seen = this.checker.violations.length;
    this.checker.observe(e, e.type === 'offhook' && this.startsCall);
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
