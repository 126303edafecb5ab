/**
 * Bounds on what a menu may be. They keep parsing and running inside the chip's memory; every
 * bound has its own error message naming the limit.
 */
import type { MenuLimits } from '../../hal/menu-limits.js';
export type { MenuLimits };

export const DEFAULT_LIMITS: Readonly<MenuLimits> = {
  maxChars: 64 * 1024,
  maxDepth: 24,
  maxElements: 2000,
  maxCommands: 500,
  maxTextChars: 2000,
};
