/**
 * Checks a phone's trace, event by event, against the call semantics of the README: nothing of a
 * call runs after it hung up, one clip at a time, every `play-cut` cuts a clip that is playing,
 * no internal fault. It keeps O(1) state, so a soak of thousands of calls can feed it everything.
 * With raw hook levels (`raw`), `onhook` means the loop opened (audio silenced, the call may go
 * on as a dial pulse or a flash) and `idle` ends the call. Pure (no Node): the XS soak bundles it.
 */
import type { TraceEvent } from '../../src/engine/trace.js';

/** Events the menu produces: none may appear outside a call or after the call hung up. */
const MENU_EVENTS: ReadonlySet<string> = new Set([
  'play',
  'play-cut',
  'delay',
  'input',
  'wait',
  'timeout',
  'match',
  'nomatch',
  'held',
  'digits',
  'failed',
  'back',
  'skip',
  'hangup',
]);

export class TraceChecker {
  /** What went wrong, in order; empty while the trace obeys the rules. */
  readonly violations: string[] = [];
  private inCall = false;
  private hungUp = false;
  /** The clip playing; `silenced` once a loop opening stopped its sound (raw levels). */
  private playing: { clip: string; end: number; silenced: boolean } | undefined;
  /** The clip that ended by itself, and when. */
  private endedNow: { clip: string; t: number } | undefined;
  private calls = 0;
  private readonly raw: boolean;

  constructor(options: { raw?: boolean } = {}) {
    this.raw = options.raw ?? false;
  }

  /** Calls seen so far (off-hooks that started the menu). */
  get callCount(): number {
    return this.calls;
  }

  /**
   * Feeds one event. `startsCall` tells whether an `offhook` found the phone idle (the caller
   * knows the phone's state; the trace alone does not say).
   */
  observe(e: TraceEvent, startsCall = false): void {
    if (e.type === 'offhook') {
      if (startsCall) {
        this.inCall = true;
        this.hungUp = false;
        this.playing = undefined;
        this.calls++;
      }
      return;
    }
    if (e.type === 'onhook') {
      if (!this.raw) this.inCall = false;
      else if (this.playing !== undefined) this.playing.silenced = true;
      return;
    }
    if (e.type === 'idle') {
      this.inCall = false;
      return;
    }
    if (e.type === 'error' && e.message.startsWith('internal fault')) this.fail(e, 'an event handler faulted');
    if (e.type === 'output' && e.on && !this.inCall) this.fail(e, 'an output was switched on outside a call');
    if (MENU_EVENTS.has(e.type) && e.type !== 'play-cut') {
      if (!this.inCall) this.fail(e, `${e.type} outside a call`);
      else if (this.hungUp) this.fail(e, `${e.type} after the call hung up`);
    }
    // A clip ends by itself at its length, unless a loop opening silenced it first: then the
    // menu waits for the line's decision and cuts it (or counts it as ended) afterwards.
    if (this.playing !== undefined && !this.playing.silenced && e.t >= this.playing.end) {
      this.endedNow = { clip: this.playing.clip, t: this.playing.end };
      this.playing = undefined;
    }
    switch (e.type) {
      case 'play':
        if (this.playing !== undefined && !this.playing.silenced)
          this.fail(e, `play while ${this.playing.clip} still plays`);
        this.playing = { clip: e.clip, end: e.t + e.ms, silenced: false };
        break;
      case 'play-cut': {
        // A cut at the very instant a clip ends (the call's TimeLimit, say) races its end: either order is right.
        const atItsEnd = this.endedNow !== undefined && this.endedNow.clip === e.clip && this.endedNow.t === e.t;
        if ((this.playing === undefined || this.playing.clip !== e.clip) && !atItsEnd)
          this.fail(e, 'play-cut without a clip playing');
        this.endedNow = undefined;
        this.playing = undefined;
        break;
      }
      case 'hangup':
        if (this.playing !== undefined && !this.playing.silenced)
          this.fail(e, `hang-up while ${this.playing.clip} still plays`);
        this.hungUp = true;
        break;
      case 'tone':
        if (!this.hungUp) this.fail(e, 'reorder tone before the hang-up');
        break;
    }
  }

  private fail(e: TraceEvent, what: string): void {
    if (this.violations.length < 20) this.violations.push(`t=${e.t} ${what}: ${JSON.stringify(e)}`);
  }
}
