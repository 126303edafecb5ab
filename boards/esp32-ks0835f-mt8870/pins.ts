/**
 * ESP32 + KS0835F SLIC module + MT8870. The KS0835F offers the Ag1171's three logic signals
 * under the same names (SHK out; RM and F/R in) and the same VIN/VOUT audio pair, so the Ag1171
 * driver runs it; only SHK's pin differs from esp32-ag1171-mt8870 (its header order is not
 * the Ag1171's: follow the silkscreen). Not yet confirmed on hardware: if SHK reads inverted, set
 * `shkActiveHigh: false` in board.ts.
 */
import { OUTPUTS, PINS as AG1171_PINS } from '../esp32-ag1171-mt8870/pins.js';

/** SHK on GPIO35; RM and F/R on the Ag1171 board's GPIO32/33 (GPIO26 is the DAC's second channel). */
export const PINS = { ...AG1171_PINS, shk: 35 } as const;

export { OUTPUTS };
