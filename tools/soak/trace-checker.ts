/**
 * Checks a phone's trace, event by event, against the call semantics of the README: nothing of a
 * call runs after it hung up, one clip at a time, every `play-cut` cuts a clip that is playing,
 * no internal fault. It keeps O(1) state, so a soak of thousands of calls can feed it everything.
 * Pure (no Node): the XS soak bundles it.
 */
import type { TraceEvent } from '../../src/engine/trace.js';

/** Events the menu produces: none may appear outside a call or after the call hung up. */
const MENU_EVENTS: ReadonlySet<string> = new Set([
  'play', 'play-cut', 'delay', 'input', 'wait', 'timeout', 'match', 'nomatch', 'held', 'digits', 'failed', 'back', 'skip', 'hangup',
]);

export class TraceChecker {
  /** What went wrong, in order; empty while the trace obeys the rules. */
  readonly violations: string[] = [];
  private inCall = false;
  private hungUp = false;
  private playing: { clip: string; end: number } | undefined;
  private calls = 0;

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
      this.inCall = false;
      return;
    }
    if (e.type === 'error' && e.message.startsWith('internal fault')) this.fail(e, 'an event handler faulted');
    if (e.type === 'output' && e.on && !this.inCall) this.fail(e, 'an output was switched on outside a call');
    if (MENU_EVENTS.has(e.type) && e.type !== 'play-cut') {
      if (!this.inCall) this.fail(e, `${e.type} outside a call`);
      else if (this.hungUp) this.fail(e, `${e.type} after the call hung up`);
    }
    if (this.playing !== undefined && e.t >= this.playing.end) this.playing = undefined;
    switch (e.type) {
      case 'play':
        if (this.playing !== undefined) this.fail(e, `play while ${this.playing.clip} still plays`);
        this.playing = { clip: e.clip, end: e.t + e.ms };
        break;
      case 'play-cut':
        if (this.playing === undefined || this.playing.clip !== e.clip) this.fail(e, 'play-cut without a clip playing');
        this.playing = undefined;
        break;
      case 'hangup':
        if (this.playing !== undefined) this.fail(e, `hang-up while ${this.playing.clip} still plays`);
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
