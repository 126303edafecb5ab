/**
 * ESP32 + Ag1171 SLIC, no DTMF chip: the DtmfReceiver is the software decoder on the line audio
 * (`AdcDtmfReceiver` from hal/drivers/adc-dtmf.ts, sampling VOUT on the ADC at 8 kHz).
 * Device-only (Moddable modules).
 */
import type { Board } from '../../hal/board.js';
import { AdcDtmfReceiver } from '../../hal/drivers/adc-dtmf.js';
import { openSlicBoard } from '../../hal/drivers/slic-board.js';
import { OUTPUTS, PINS } from './pins.js';

export function createBoard(): Board {
  return openSlicBoard({
    slic: { shk: PINS.shk, rm: PINS.rm, fr: PINS.fr },
    outputs: OUTPUTS,
    bell: PINS.bell,
    dtmf: (clock) => new AdcDtmfReceiver({ clock, pin: PINS.adc, sampleRate: 8000 }),
  });
}
