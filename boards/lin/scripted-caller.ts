/**
 * A caller in a script, for the host (`lin`) build: the hook levels, DTMF keys and doorbell
 * presses of the `WHAT@SECONDS` events (the simulator's `--events` syntax), played on the board's
 * real clock. Everything reaches the phone as it would from the pins: `offhook`/`onhook` are loop
 * closures/openings through the line state machine, `flash` is the loop opened for 300 ms,
 * `dial:N` is N break/make pulses at 10 pps, `break:MS` the loop opened for MS ms, and `ring` a
 * doorbell press (the board's `bell`), `say:FILE` the caller starting to speak (the board's
 * `onSay` puts the audio on its audio input). `ringdown sim --levels` plays a script the same way.
 */
import type { Clock } from '../../hal/clock.js';
import type { DtmfEvent, DtmfReceiver } from '../../hal/dtmf.js';
import type { HookSwitch } from '../../hal/hook.js';
import { digitPulses, pulseTrain } from '../../src/line/rotary.js';
import type { SimEvent } from '../../sim/events.js';

/** How long a scripted flash opens the loop (ms). */
export const FLASH_MS = 300;

export class ScriptedCaller implements HookSwitch, DtmfReceiver {
  onChange: ((offHook: boolean, atMs: number) => void) | undefined;
  onKey: ((event: DtmfEvent) => void) | undefined;
  /** The doorbell button, as the board's `bell`: the entry sets `onPress`. */
  readonly bell: { onPress: (() => void) | undefined } = { onPress: undefined };
  /** `say:FILE`: the caller starts saying FILE's audio now (set by the board). */
  onSay: ((file: string) => void) | undefined;
  private offHook = false;
  private enabled = true;

  constructor(private readonly clock: Clock) {}

  /** Schedules every event from now; call once the phone has taken `onChange` and `onKey`. */
  play(events: readonly SimEvent[]): void {
    for (const event of events) this.clock.schedule(event.at, () => this.happen(event));
  }

  read(): boolean {
    return this.offHook;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  private happen(event: SimEvent): void {
    switch (event.what) {
      case 'offhook':
        return this.hook(true);
      case 'onhook':
        return this.hook(false);
      case 'flash':
        return this.openFor(FLASH_MS);
      case 'break':
        return this.openFor(event.ms);
      case 'dial':
        for (const change of pulseTrain(digitPulses(event.key) ?? 0))
          this.clock.schedule(change.atMs, () => this.hook(change.offHook));
        return;
      case 'key':
        // Pressed and released at once, as the simulator's receiver reports a scripted key
        // (the menu acts on key down; a held key would only keep a timer pending).
        this.key(event.key, true);
        this.key(event.key, false);
        return;
      case 'ring':
        this.bell.onPress?.();
        return;
      case 'say':
        this.onSay?.(event.file);
        return;
    }
  }

  private openFor(ms: number): void {
    this.hook(false);
    this.clock.schedule(ms, () => this.hook(true));
  }

  private hook(offHook: boolean): void {
    if (offHook === this.offHook) return;
    this.offHook = offHook;
    this.onChange?.(offHook, this.clock.now());
  }

  private key(key: string, down: boolean): void {
    if (this.enabled) this.onKey?.({ key, down, atMs: this.clock.now() });
  }
}
