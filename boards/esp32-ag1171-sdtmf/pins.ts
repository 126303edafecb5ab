/**
 * ESP32 GPIO ↔ module pin map of the ESP32 + Ag1171 board without an MT8870: the keys are found
 * in software from the SLIC's VOUT sampled by the ADC. docs/line.md has the wiring table.
 */
export const PINS = {
  /** Ag1171 SHK (out, high = off-hook); through a divider if the SLIC runs at 5 V. */
  shk: 36,
  /** Ag1171 RM (ring mode, in). */
  rm: 32,
  /** Ag1171 F/R (forward/reverse, in). */
  fr: 33,
  /** ESP32 DAC1 → coupling capacitor → Ag1171 VIN. */
  dac: 25,
  /**
   * Ag1171 VOUT → coupling capacitor → mid-rail bias → ADC1 channel 6 (GPIO34), sampled by
   * drivers/adc-in: the manifest's `defines.adcIn.pin` names the same GPIO (ADC1 only: 32-39).
   */
  adc: 34,
  door: 23,
  led: 22,
  /** Doorbell push button to GND (internal pull-up): `DigitalButton` → `phone.ring('doorbell')`. */
  bell: 4,
  /**
   * The SD card option (`recordings=sdcard`): a microSD socket on SPI (3.3 V card; a module with
   * its own regulator and level shifter may take 5 V). The SPI pins go through the GPIO matrix
   * (20 MHz, under its 26 MHz limit); CS on GPIO13, not the usual GPIO5 (a strapping pin).
   */
  sdSck: 18,
  sdMiso: 19,
  sdMosi: 21,
  sdCs: 13,
} as const;

export const OUTPUTS = { door: { pin: PINS.door }, led: { pin: PINS.led } } as const;
