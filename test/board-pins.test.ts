/**
 * The ESP32 boards' pin maps against the modules they are for (ESP32-WROOM-32 and -WROVER): no
 * GPIO claimed twice, none of the module's flash (6-11) or a WROVER's PSRAM (16, 17), none of the
 * strapping pins (0, 2, 5, 12, 15), and GPIO26 left free because Moddable's DAC audio output
 * drives both DAC channels (25 and 26) whatever channel is configured. Inputs that must be
 * input-only-safe are allowed on 34-39; outputs are not.
 */
import { readdirSync } from 'node:fs';
import t from 'tap';

const RESERVED: Record<number, string> = {
  0: 'strapping', 2: 'strapping', 5: 'strapping', 12: 'strapping', 15: 'strapping',
  6: 'module flash', 7: 'module flash', 8: 'module flash', 9: 'module flash', 10: 'module flash', 11: 'module flash',
  16: 'WROVER PSRAM', 17: 'WROVER PSRAM', 26: 'DAC2 (driven by the audio output)',
  1: 'UART0 TX (console)', 3: 'UART0 RX (console)',
};
/** Pins the board drives: never an input-only GPIO (34-39). */
const OUTPUT_PINS = new Set(['rm', 'fr', 'door', 'led', 'dac']);

const boards = readdirSync('boards').filter((b) => b.startsWith('esp32-'));
for (const board of boards) {
  t.test(`${board}: every pin is usable and claimed once`, async (t) => {
    const { PINS } = (await import(`../boards/${board}/pins.js`)) as { PINS: Record<string, number> };
    const seen = new Map<number, string>();
    t.equal(PINS.dac, 25, 'audio leaves on DAC1 (GPIO25)');
    for (const [name, pin] of Object.entries(PINS)) {
      t.notOk(RESERVED[pin], `${name} on GPIO${pin}${RESERVED[pin] !== undefined ? `: ${RESERVED[pin]}` : ''}`);
      t.notOk(seen.has(pin), `${name} on GPIO${pin} is not also ${seen.get(pin) ?? ''}`);
      if (OUTPUT_PINS.has(name)) t.ok(pin < 34, `${name} (an output) is not on input-only GPIO${pin}`);
      seen.set(pin, name);
    }
    for (const name of ['q1', 'q2', 'q3', 'q4', 'std']) {
      if (PINS[name] !== undefined) t.ok(PINS[name]! < 32, `${name} is in DigitalBank bank 0`);
    }
  });
}
