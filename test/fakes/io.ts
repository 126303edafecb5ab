/**
 * Fake ECMA-419 IO classes driven in virtual time, for driver tests on Node: `Wires` holds the
 * level of every GPIO and logs each write with its virtual time; `fakeDigital`/`fakeDigitalBank`
 * return classes shaped like `embedded:io/digital` and `embedded:io/digitalbank` that read and
 * drive those wires and call `onReadable` on the edges they were opened for.
 */
import type { VirtualClock } from '../../sim/virtual-clock.js';
import type {
  DigitalBankClass,
  DigitalBankOptions,
  DigitalBankPort,
  DigitalClass,
  DigitalPin,
  DigitalPinOptions,
} from '../../drivers/io/io.js';

type Listener = (level: 0 | 1) => void;

export class Wires {
  readonly writes: { at: number; pin: number; value: 0 | 1 }[] = [];
  private readonly levels = new Map<number, 0 | 1>();
  private readonly listeners = new Map<number, Listener[]>();
  readonly modes = new Map<number, unknown>();

  constructor(readonly clock: VirtualClock) {}

  level(pin: number): 0 | 1 {
    return this.levels.get(pin) ?? 0;
  }

  /** Drives a pin from outside (the module's output); edge listeners hear changes. */
  set(pin: number, value: 0 | 1): void {
    if (this.level(pin) === value) return;
    this.levels.set(pin, value);
    for (const l of this.listeners.get(pin) ?? []) l(value);
  }

  /** Sets a pin at virtual time `at` (absolute, from a clock at 0). */
  at(at: number, pin: number, value: 0 | 1): void {
    this.clock.schedule(at - this.clock.now(), () => this.set(pin, value));
  }

  write(pin: number, value: 0 | 1): void {
    this.levels.set(pin, value);
    this.writes.push({ at: this.clock.now(), pin, value });
  }

  listen(pin: number, listener: Listener): () => void {
    const list = this.listeners.get(pin) ?? [];
    list.push(listener);
    this.listeners.set(pin, list);
    return () => list.splice(list.indexOf(listener), 1);
  }

  /** The writes to one pin as [time, value]. */
  writesTo(pin: number): [number, 0 | 1][] {
    return this.writes.filter((w) => w.pin === pin).map((w) => [w.at, w.value]);
  }
}

const RISING = 1;
const FALLING = 2;

/** Mode constants as Moddable numbers them (modules/io: Input 0, InputPullUp 1, InputPullDown 2,
 * Output 8); `wires.modes` records each pin's mode by name so tests read them plainly. */
const MODES = { Input: 0, InputPullUp: 1, InputPullDown: 2, Output: 8 } as const;
const MODE_NAMES = new Map<number, string>(Object.entries(MODES).map(([name, value]) => [value, name]));

export function fakeDigital(wires: Wires): DigitalClass {
  return class FakeDigital implements DigitalPin {
    static readonly Input = MODES.Input;
    static readonly InputPullUp = MODES.InputPullUp;
    static readonly InputPullDown = MODES.InputPullDown;
    static readonly Output = MODES.Output;
    static readonly Rising = RISING;
    static readonly Falling = FALLING;
    private readonly pin: number;
    private readonly unlisten: (() => void) | undefined;

    constructor(options: DigitalPinOptions) {
      this.pin = options.pin;
      wires.modes.set(options.pin, MODE_NAMES.get(options.mode) ?? options.mode);
      const { onReadable, edge } = options;
      if (onReadable !== undefined && edge !== undefined) {
        this.unlisten = wires.listen(options.pin, (level) => {
          if (edge & (level === 1 ? RISING : FALLING)) onReadable.call(this);
        });
      }
    }

    read(): number {
      return wires.level(this.pin);
    }

    write(value: 0 | 1): void {
      wires.write(this.pin, value);
    }

    close(): void {
      this.unlisten?.();
    }
  };
}

export function fakeDigitalBank(wires: Wires): DigitalBankClass {
  return class FakeDigitalBank implements DigitalBankPort {
    static readonly Input = MODES.Input;
    private readonly pins: number[] = [];
    private readonly base: number;
    private readonly unlisten: (() => void)[] = [];

    constructor(options: DigitalBankOptions) {
      this.base = (options.bank ?? 0) * 32;
      const { onReadable, rises = 0, falls = 0 } = options;
      for (let bit = 0; bit < 32; bit++) {
        const mask = 2 ** bit;
        if ((options.pins & mask) === 0) continue;
        const pin = this.base + bit;
        this.pins.push(pin);
        wires.modes.set(pin, MODE_NAMES.get(options.mode) ?? options.mode);
        if (onReadable === undefined) continue;
        this.unlisten.push(
          wires.listen(pin, (level) => {
            if ((level === 1 ? rises : falls) & mask) onReadable.call(this, mask);
          }),
        );
      }
    }

    read(): number {
      let value = 0;
      for (const pin of this.pins) if (wires.level(pin) === 1) value |= 2 ** (pin - this.base);
      return value;
    }

    write(value: number): void {
      for (const pin of this.pins) wires.write(pin, value & (2 ** (pin - this.base)) ? 1 : 0);
    }

    close(): void {
      for (const u of this.unlisten) u();
    }
  };
}
