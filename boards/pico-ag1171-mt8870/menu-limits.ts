/**
 * The menu limits of the Pico firmware: lower than the loader's defaults (src/ozml/limits.ts),
 * because the RP2040's 192 KB XS pool holds less. Measured in rp2040js with the loader's worst
 * shape (test/lanes/limit-menus.ts: chains nested 24 deep, scaled down): see the README's Pico
 * section. `menuLimits` in outputs.json beside this file must say the same (a tap test checks),
 * so `ringdown check --board pico-ag1171-mt8870` refuses before flashing what the board refuses.
 */
import type { MenuLimits } from '../../src/ozml/limits.js';

export const MENU_LIMITS: Readonly<MenuLimits> = {
  maxChars: 6554,
  maxDepth: 24,
  maxElements: 200,
  maxCommands: 50,
  maxTextChars: 2000,
};
