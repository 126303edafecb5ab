/**
 * The parts of the ECMA-419 IO classes (Moddable `embedded:io/digital`, `embedded:io/digitalbank`)
 * that the drivers use, as structural types. Drivers receive the class itself in their options
 * (`{ pin, io: Digital }`), ECMA-419 style, so a board passes Moddable's classes and a test passes
 * fakes driven in virtual time. Nothing here imports a Moddable module.
 */

/** An open digital pin (ECMA-419 Digital instance). */
export interface DigitalPin {
  read(): number;
  write(value: 0 | 1): void;
  close(): void;
}

export interface DigitalPinOptions {
  pin: number;
  mode: number;
  /** Edges that call `onReadable` (Digital.Rising | Digital.Falling). */
  edge?: number;
  onReadable?: (this: DigitalPin) => void;
}

/** The ECMA-419 Digital class. */
export interface DigitalClass {
  new (options: DigitalPinOptions): DigitalPin;
  readonly Input: unknown;
  readonly InputPullUp: unknown;
  readonly InputPullDown: unknown;
  readonly Output: unknown;
  readonly Rising: number;
  readonly Falling: number;
}

/** An open bank of digital pins (ECMA-419 DigitalBank instance): bit n is pin n of the bank. */
export interface DigitalBankPort {
  read(): number;
  write(value: number): void;
  close(): void;
}

export interface DigitalBankOptions {
  /** Bit mask of the pins, relative to the bank. */
  pins: number;
  mode: number;
  /** ESP32: bank 0 holds GPIO 0–31, bank 1 GPIO 32–39. */
  bank?: number;
  /** Pins whose rising (falling) edge calls `onReadable` with the triggering pins. */
  rises?: number;
  falls?: number;
  onReadable?: (this: DigitalBankPort, triggered: number) => void;
}

/** The ECMA-419 DigitalBank class. */
export interface DigitalBankClass {
  new (options: DigitalBankOptions): DigitalBankPort;
  readonly Input: unknown;
}

/**
 * An input whose edges are stamped at the interrupt, read as a queue (drivers/pin-edges, in C):
 * its `onReadable` says edges are waiting, and however late XS gets to them each keeps its time.
 */
export interface EdgePin {
  /** The level now, 0 or 1. */
  read(): number;
  /** The oldest edge not yet taken as ticks * 2 + level (ticks: `Time.ticks`'s 32-bit counter at the edge); undefined when none is left. */
  take(): number | undefined;
  close(): void;
}

export interface EdgePinClass {
  new (options: { pin: number; onReadable: () => void }): EdgePin;
}

/** An input opened with its level changes delivered at the Clock times they happened. */
export interface StampedInput {
  /** The level now, 0 or 1. */
  read(): number;
  close(): void;
}

/** Opens `pin` so that each level change calls `onEdge` with the Clock time of the edge (in time order). */
export type OpenStampedInput = (pin: number, onEdge: (level: number, atMs: number) => void) => StampedInput;

/** A pin and the class that opens it: how a board names one wire of a module. */
export interface PinSpec<C> {
  pin: number;
  io: C;
}

/**
 * A class's mode constant (`Digital.Input`...) as the number its constructor takes. The SDK's own
 * typings give the constants as numbers, @moddable/typings 5.6 as `unknown`; this accepts both
 * and fails clearly on a class whose constant is not a number.
 */
export function modeOf(constant: unknown, name: string): number {
  if (typeof constant !== 'number') throw new TypeError(`${name} is not a numeric IO mode`);
  return constant;
}
