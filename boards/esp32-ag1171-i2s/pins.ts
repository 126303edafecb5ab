/**
 * ESP32 GPIO ↔ module pin map of the guestbook board: Ag1171 SLIC, a PCM5102A I2S DAC for the
 * line's audio out, a PCM1808 I2S ADC on VOUT for the audio in (the keys are found in software on
 * it, and Record takes it), a microSD socket on SPI for the recordings. No internal DAC or ADC, so
 * GPIO25/26 are ordinary pins here. docs/boards.md has the wiring diagram and the parts.
 *
 * The two converters run on the ESP32's two I2S peripherals, each the clock master of its own
 * bus: the audio output on I2S1 (Moddable's audioOut default), the input on I2S0 (audioIn's).
 */
export const PINS = {
  /** Ag1171 SHK (out, high = off-hook); through a divider if the SLIC runs at 5 V. */
  shk: 36,
  /** Ag1171 RM (ring mode, in). */
  rm: 32,
  /** Ag1171 F/R (forward/reverse, in). */
  fr: 33,
  /** PCM5102A BCK (bit clock, 32 × 8 kHz). Its SCK is tied to GND: the DAC's PLL runs from BCK. */
  dacBck: 26,
  /** PCM5102A LRCK (word select, 8 kHz). */
  dacLrck: 25,
  /** PCM5102A DIN (16-bit samples, left-justified: FMT tied high). */
  dacData: 27,
  /**
   * PCM1808 SCKI, its system clock (256 × 8 kHz = 2.048 MHz). The ESP32 puts an I2S master clock
   * out on GPIO0, 1 or 3 only (its CLK_OUT pins; 1 and 3 are the console UART): GPIO0, a
   * strapping pin that must read high at reset, which the PCM1808's SCKI input does not drive.
   */
  adcMclk: 0,
  /** PCM1808 BCK. */
  adcBck: 14,
  /** PCM1808 LRCK. */
  adcLrck: 23,
  /** PCM1808 DOUT (24-bit I2S, FMT tied low; the ESP32 keeps the top 16 bits). Input only is fine. */
  adcData: 35,
  led: 22,
  /**
   * The microSD socket on SPI (3.3 V card; a module with its own regulator and level shifter may
   * take 5 V). The SPI pins go through the GPIO matrix (20 MHz, under its 26 MHz limit); CS on
   * GPIO13, not the usual GPIO5 (a strapping pin).
   */
  sdSck: 18,
  sdMiso: 19,
  sdMosi: 21,
  sdCs: 13,
} as const;

export const OUTPUTS = { led: { pin: PINS.led } } as const;
