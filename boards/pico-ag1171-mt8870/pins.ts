/**
 * Raspberry Pi Pico (RP2040) GPIO ↔ module pin map of the Pico + Ag1171 + MT8870 board.
 * docs/line.md has the wiring table (supplies, level shifting, the I2S DAC's output coupling).
 *
 * GP0/GP1 are UART0 (the trace, 115200 8N1). Audio leaves through an I2S DAC module (PCM5102A or
 * MAX98357A class) driven by the RP2040's PIO, the one audio output the Moddable SDK has for the
 * RP2040 (modules/pins/i2s with the pico-extras `pico_audio_i2s` driver): LRCK must be the GPIO
 * after BCK. GP23-25 and GP29 are the Pico's own (SMPS mode, VBUS sense, LED, VSYS/3).
 */
export const PINS = {
  /** UART0 TX → USB-serial adapter RX: the firmware's trace. */
  tx: 0,
  /** UART0 RX: opened (the SDK needs a callback on the port) and what arrives discarded. */
  rx: 1,
  /** Ag1171 SHK (out, high = off-hook). */
  shk: 2,
  /** Ag1171 RM (ring mode, in). */
  rm: 3,
  /** Ag1171 F/R (forward/reverse, in). */
  fr: 4,
  /** I2S DAC DIN, BCK and LRCK (LRCK = BCK + 1, as pico_audio_i2s requires). */
  i2sData: 9,
  i2sBck: 10,
  i2sLrck: 11,
  /** MT8870 Q1..Q4 and StD. 5 V outputs: level-shift them (docs/line.md). */
  q1: 12,
  q2: 13,
  q3: 14,
  q4: 15,
  std: 16,
  /** Doorbell push button to GND (internal pull-up). */
  bell: 21,
  /** Door-strike relay driver. */
  door: 22,
  /** The Pico's own LED. */
  led: 25,
} as const;

/** The named outputs menus may use (`check --board` reads outputs.json beside this file). */
export const OUTPUTS = { door: { pin: PINS.door }, led: { pin: PINS.led } } as const;
