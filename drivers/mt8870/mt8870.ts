/**
 * MT8870 (CM8870, HT9170) DTMF receiver: four data outputs Q1..Q4 latch the code of the tone
 * pair and StD (delayed steering) goes high once a valid tone has lasted its guard time, low when
 * it ends. All five are read through one ECMA-419 DigitalBank with an interrupt on StD's rising
 * edge (key down; Q1..Q4 are valid then) and falling edge (key up).
 * Codes (MT8870 datasheet, Table 1 "Functional Decode Table"): 1–9 are the digits, 10 is `0`,
 * 11 `*`, 12 `#`, 13 `A`, 14 `B`, 15 `C`, 0 `D`.
 */
import type { Clock } from '../../hal/clock.js';
import type { DtmfEvent, DtmfReceiver } from '../../hal/dtmf.js';
import { modeOf, type DigitalBankClass, type DigitalBankPort } from '../io/io.js';

const KEYS = 'D1234567890*#ABC';

/** The key an MT8870 code (Q4 Q3 Q2 Q1 as a number 0..15) stands for. */
export function mt8870Key(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 && code < 16 ? KEYS[code] : undefined;
}

export interface Mt8870Pins {
  q1: number;
  q2: number;
  q3: number;
  q4: number;
  std: number;
}

export interface Mt8870Options {
  clock: Clock;
  /** The DigitalBank class (`embedded:io/digitalbank`). */
  io: DigitalBankClass;
  /** GPIO numbers; all five in one bank (ESP32: all below 32, or all 32–39). */
  pins: Mt8870Pins;
}

/** Bank number and bit of each pin; throws with a clear message if the pins span two banks. */
export function bankLayout(pins: Mt8870Pins): { bank: number; bits: Mt8870Pins; mask: number } {
  const all = [pins.q1, pins.q2, pins.q3, pins.q4, pins.std];
  const bank = Math.floor(pins.q1 / 32);
  if (all.some((p) => !Number.isInteger(p) || p < 0 || Math.floor(p / 32) !== bank)) {
    throw new Error(`MT8870 pins ${all.join(', ')} must all be GPIOs of one bank (0-31 or 32-39)`);
  }
  if (new Set(all).size !== all.length) throw new Error(`MT8870 pins ${all.join(', ')} must differ`);
  const bit = (p: number): number => 1 << (p - bank * 32);
  const bits = { q1: bit(pins.q1), q2: bit(pins.q2), q3: bit(pins.q3), q4: bit(pins.q4), std: bit(pins.std) };
  return { bank, bits, mask: bits.q1 | bits.q2 | bits.q3 | bits.q4 | bits.std };
}

export class Mt8870 implements DtmfReceiver {
  onKey: ((event: DtmfEvent) => void) | undefined;
  private readonly clock: Clock;
  private readonly bits: Mt8870Pins;
  private readonly port: DigitalBankPort;
  private enabled = true;
  /** The key whose StD is high, and whether its key down was reported. */
  private held: { key: string; reported: boolean } | undefined;

  constructor(options: Mt8870Options) {
    this.clock = options.clock;
    const { bank, bits, mask } = bankLayout(options.pins);
    this.bits = bits;
    const sample = (): void => this.sample();
    this.port = new options.io({
      pins: mask,
      mode: modeOf(options.io.Input, 'Input'),
      bank,
      rises: bits.std,
      falls: bits.std,
      onReadable: sample,
    });
  }

  /** While false no key is reported (a key held across the change reports no key up either). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  close(): void {
    this.port.close();
  }

  private sample(): void {
    const value = this.port.read();
    const b = this.bits;
    const std = (value & b.std) !== 0;
    if (std && this.held === undefined) {
      const code = (value & b.q1 ? 1 : 0) | (value & b.q2 ? 2 : 0) | (value & b.q3 ? 4 : 0) | (value & b.q4 ? 8 : 0);
      const key = mt8870Key(code)!;
      this.held = { key, reported: this.enabled };
      if (this.enabled) this.onKey?.({ key, down: true, atMs: this.clock.now() });
    } else if (!std && this.held !== undefined) {
      const { key, reported } = this.held;
      this.held = undefined;
      if (reported) this.onKey?.({ key, down: false, atMs: this.clock.now() });
    }
  }
}
