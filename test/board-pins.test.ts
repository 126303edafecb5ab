/**
 * The ESP32 boards' pin maps against the modules they are for (ESP32-WROOM-32 and -WROVER): no
 * GPIO claimed twice, none of the module's flash (6-11) or a WROVER's PSRAM (16, 17), none of the
 * strapping pins (0, 2, 5, 12, 15), and on a board with the internal DAC GPIO26 left free because
 * Moddable's DAC audio output drives both DAC channels (25 and 26) whatever channel is configured.
 * Inputs that must be input-only-safe are allowed on 34-39; outputs are not. A board with I2S
 * converters names the same pins in its manifest's audioOut and audioIn (or i2sIn: drivers/i2s-in)
 * defines as in pins.ts; a board sampling audio on the built-in ADC (drivers/adc-in) names its
 * `adc` pin in `defines.adcIn.pin`, a GPIO of ADC1 (32-39: continuous mode has no ADC2).
 */
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';

const RESERVED: Record<number, string> = {
  0: 'strapping',
  2: 'strapping',
  5: 'strapping',
  12: 'strapping',
  15: 'strapping',
  6: 'module flash',
  7: 'module flash',
  8: 'module flash',
  9: 'module flash',
  10: 'module flash',
  11: 'module flash',
  16: 'WROVER PSRAM',
  17: 'WROVER PSRAM',
  26: 'DAC2 (driven by the audio output)',
  1: 'UART0 TX (console)',
  3: 'UART0 RX (console)',
};
/** Pins the board drives: never an input-only GPIO (34-39). */
const OUTPUT_PINS = new Set([
  'rm',
  'fr',
  'door',
  'led',
  'dac',
  'dacBck',
  'dacLrck',
  'dacData',
  'adcMclk',
  'adcBck',
  'adcLrck',
  'sdSck',
  'sdMosi',
  'sdCs',
]);
/**
 * The one strapping pin a board may use, and for what: the ESP32 puts an I2S master clock out on
 * GPIO0, 1 or 3 only (CLK_OUT1-3; 1 and 3 are the console), and an input there (a converter's
 * SCKI) does not pull it low at reset.
 */
const ALLOWED: Record<string, number> = { adcMclk: 0 };

interface Defines {
  audioOut?: { i2s?: Record<string, number> };
  audioIn?: { i2s?: Record<string, number> };
  /** drivers/i2s-in's pins, for an ADC that needs 32-bit slots. */
  i2sIn?: Record<string, number>;
  /** drivers/adc-in's GPIO, for audio on the built-in ADC. */
  adcIn?: { pin?: number };
}

const boards = readdirSync('boards').filter((b) => b.startsWith('esp32-'));
for (const board of boards) {
  t.test(`${board}: every pin is usable and claimed once`, async (t) => {
    const { PINS } = (await import(`../boards/${board}/pins.js`)) as { PINS: Record<string, number> };
    const seen = new Map<number, string>();
    const internalDac = PINS.dac !== undefined;
    const defines =
      (JSON.parse(readFileSync(`boards/${board}/manifest.json`, 'utf8')) as { defines?: Defines }).defines ?? {};
    if (internalDac) t.equal(PINS.dac, 25, 'audio leaves on DAC1 (GPIO25)');
    else {
      t.equal(defines.audioOut?.i2s?.DAC, undefined, 'no internal DAC: audio leaves on I2S');
      t.same(
        [defines.audioOut?.i2s?.bck_pin, defines.audioOut?.i2s?.lr_pin, defines.audioOut?.i2s?.dataout_pin],
        [PINS.dacBck, PINS.dacLrck, PINS.dacData],
        'the audioOut I2S defines name the DAC pins of pins.ts',
      );
    }
    if (PINS.adcData !== undefined && defines.audioIn?.i2s?.adc === undefined) {
      const input = defines.i2sIn ?? defines.audioIn?.i2s;
      t.same(
        [input?.mck_pin, input?.bck_pin, input?.lr_pin, input?.datain],
        [PINS.adcMclk, PINS.adcBck, PINS.adcLrck, PINS.adcData],
        'the I2S input defines name the ADC pins of pins.ts',
      );
      t.not(
        input?.num,
        defines.audioOut?.i2s?.num,
        'input and output on the two I2S peripherals, each its own clock master',
      );
    }
    if (PINS.adc !== undefined || defines.adcIn !== undefined) {
      t.equal(defines.adcIn?.pin, PINS.adc, 'the adcIn define names the ADC pin of pins.ts');
      t.ok(PINS.adc !== undefined && PINS.adc >= 32 && PINS.adc <= 39, `adc on GPIO${PINS.adc}: an ADC1 pin`);
    }
    for (const [name, pin] of Object.entries(PINS)) {
      const reserved = ALLOWED[name] === pin || (pin === 26 && !internalDac) ? undefined : RESERVED[pin];
      t.notOk(reserved, `${name} on GPIO${pin}${reserved !== undefined ? `: ${reserved}` : ''}`);
      t.notOk(seen.has(pin), `${name} on GPIO${pin} is not also ${seen.get(pin) ?? ''}`);
      if (OUTPUT_PINS.has(name)) t.ok(pin < 34, `${name} (an output) is not on input-only GPIO${pin}`);
      seen.set(pin, name);
    }
    for (const name of ['q1', 'q2', 'q3', 'q4', 'std']) {
      if (PINS[name] !== undefined) t.ok(PINS[name]! < 32, `${name} is in DigitalBank bank 0`);
    }
  });
}
