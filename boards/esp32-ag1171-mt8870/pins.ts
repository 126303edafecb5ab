/**
 * ESP32 GPIO ↔ module pin map of the ESP32 + Ag1171 + MT8870 board. docs/line.md has the wiring
 * table with supply voltages, level shifting and the audio coupling.
 *
 * For ESP32-WROOM-32 and ESP32-WROVER modules (and dev boards built on them): GPIO6-11 (the
 * module's flash), GPIO16/17 (a WROVER's PSRAM) and GPIO26 are left alone: Moddable's DAC audio
 * output drives GPIO26 (DAC2) as well as GPIO25 (DAC1), whatever channel is asked for.
 */
export const PINS = {
  /** Ag1171 SHK (out, high = off-hook). Input-only GPIO; through a divider if the SLIC runs at 5 V. */
  shk: 34,
  /** Ag1171 RM (ring mode, in). */
  rm: 32,
  /** Ag1171 F/R (forward/reverse, in). */
  fr: 33,
  /** ESP32 DAC1 → coupling capacitor → Ag1171 VIN. */
  dac: 25,
  /** MT8870 Q1..Q4 and StD: one DigitalBank (bank 0). 5 V outputs: level-shift them. */
  q1: 13,
  q2: 27,
  q3: 18,
  q4: 19,
  std: 21,
  /** Door-strike relay driver and LED. */
  door: 23,
  led: 22,
  /** Doorbell push button to GND (internal pull-up): `DigitalButton` → `phone.ring('doorbell')`. */
  bell: 4,
} as const;

/** The named outputs menus may use (`check --board` reads outputs.json beside this file). */
export const OUTPUTS = { door: { pin: PINS.door }, led: { pin: PINS.led } } as const;
