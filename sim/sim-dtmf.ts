import type { Clock } from '../hal/clock.js';
import type { DtmfReceiver } from '../hal/dtmf.js';

/** The simulated DTMF receiver: the script presses keys; nothing is reported while disabled. */
export class SimDtmf implements DtmfReceiver {
  onKey: DtmfReceiver['onKey'];
  private enabled = true;

  constructor(private readonly clock: Clock) {}

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** A key pressed and released at once (the menu acts on key down). */
  press(key: string): void {
    if (!this.enabled) return;
    const atMs = this.clock.now();
    this.onKey?.({ key, down: true, atMs });
    this.onKey?.({ key, down: false, atMs });
  }
}
