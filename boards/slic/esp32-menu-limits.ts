/**
 * The menu limits of the ESP32 boards' firmware: lower than the loader's defaults
 * (src/ozml/limits.ts), because a WROOM without PSRAM has too little heap for the loader's
 * largest menu (its 64 KB text could not be copied: `XS abort: memory full`). Measured in QEMU's
 * ESP32 machine with the loader's worst shape (test/lanes/limit-menus.ts: chains nested 24 deep,
 * scaled down) by `npm run measure:esp32`: see docs/status.md, "The ESP32 in QEMU". `menuLimits`
 * in each ESP32 board's outputs.json must say the same (a tap test checks), so `ringdown check
 * --board esp32-...` and `build` refuse before flashing what the board refuses.
 */
import type { MenuLimits } from '../../hal/menu-limits.js';

export const ESP32_MENU_LIMITS: Readonly<MenuLimits> = {
  maxChars: 9830,
  maxDepth: 24,
  maxElements: 300,
  maxCommands: 75,
  maxTextChars: 2000,
};
