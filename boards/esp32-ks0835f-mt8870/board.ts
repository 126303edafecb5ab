/**
 * ESP32 + KS0835F SLIC + MT8870: the Ag1171 driver on this board's pins (see pins.ts for what is
 * and is not confirmed). Device-only (Moddable modules).
 */
import type { Board } from '../../hal/board.js';
import { openMt8870Board } from '../esp32-ag1171-mt8870/board.js';
import { ESP32_MENU_LIMITS } from '../slic/esp32-menu-limits.js';
import { OUTPUTS, PINS } from './pins.js';

export function createBoard(): Board {
  return { ...openMt8870Board(PINS, OUTPUTS), menuLimits: ESP32_MENU_LIMITS };
}
