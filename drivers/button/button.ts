/**
 * A push button on a Digital input (a doorbell at the gate): debounced, `onPress` once per press.
 * What a board's entry wires to `phone.ring('doorbell')`. Buttons bounce for a few ms; a level
 * must hold `debounceMs` to count.
 */
import type { Clock, TimerHandle } from '../../hal/clock.js';
import { modeOf, type DigitalClass, type DigitalPin, type PinSpec } from '../io/io.js';

export interface DigitalButtonOptions {
  clock: Clock;
  pin: PinSpec<DigitalClass>;
  /** Pressed pulls the pin low (default: true, with the internal pull-up). */
  activeLow?: boolean;
  /** How long a level must hold (default 20 ms). */
  debounceMs?: number;
  onPress: () => void;
}

export class DigitalButton {
  private readonly port: DigitalPin;
  private readonly clock: Clock;
  private readonly activeLow: boolean;
  private readonly debounceMs: number;
  private readonly onPress: () => void;
  private pressed: boolean;
  private timer: TimerHandle | undefined;

  constructor(options: DigitalButtonOptions) {
    this.clock = options.clock;
    this.activeLow = options.activeLow ?? true;
    this.debounceMs = options.debounceMs ?? 20;
    this.onPress = options.onPress;
    const { pin, io } = options.pin;
    const changed = (): void => this.changed();
    this.port = new io({
      pin,
      mode: this.activeLow ? modeOf(io.InputPullUp, 'InputPullUp') : modeOf(io.InputPullDown, 'InputPullDown'),
      edge: io.Rising | io.Falling,
      onReadable: changed,
    });
    this.pressed = this.level();
  }

  close(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.port.close();
  }

  private level(): boolean {
    return (this.port.read() === 1) !== this.activeLow;
  }

  private changed(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = this.clock.schedule(this.debounceMs, () => {
      this.timer = undefined;
      const now = this.level();
      if (now === this.pressed) return;
      this.pressed = now;
      if (now) this.onPress();
    });
  }
}
