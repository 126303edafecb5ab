/**
 * A caller in a script, for the host (`lin`) build: the hook levels and DTMF keys of the
 * `WHAT@SECONDS` events (the simulator's `--events` syntax), played on the board's real clock.
 * A flash is what it is on the wire: the loop opened for 300 ms, then closed.
 */
import type { Clock } from '../../hal/clock.js';
import type { DtmfEvent, DtmfReceiver } from '../../hal/dtmf.js';
import type { HookSwitch } from '../../hal/hook.js';
import type { SimEvent } from '../sim/events.js';

/** How long a scripted key is held and a scripted flash opens the loop (ms). */
const KEY_MS = 100;
const FLASH_MS = 300;

export class ScriptedCaller implements HookSwitch, DtmfReceiver {
  onChange: ((offHook: boolean, atMs: number) => void) | undefined;
  onKey: ((event: DtmfEvent) => void) | undefined;
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
        this.hook(false);
        this.clock.schedule(FLASH_MS, () => this.hook(true));
        return;
      case 'key':
        this.key(event.key, true);
        this.clock.schedule(KEY_MS, () => this.key(event.key, false));
        return;
    }
  }

  private hook(offHook: boolean): void {
    this.offHook = offHook;
    this.onChange?.(offHook, this.clock.now());
  }

  private key(key: string, down: boolean): void {
    if (this.enabled) this.onKey?.({ key, down, atMs: this.clock.now() });
  }
}
