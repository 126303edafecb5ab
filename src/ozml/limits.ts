/**
 * Bounds on what a menu may be. They keep parsing and running inside the chip's memory; every
 * bound has its own error message naming the limit.
 */
export interface MenuLimits {
  /** Characters in the whole document. */
  maxChars: number;
  /** Element nesting depth, the root counting as 1. */
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
  /** Commands (Delay, Speak, UserInput, Hangup) in the whole menu. */
  maxCommands: number;
  /** Characters in one attribute value or one text node. */
  maxTextChars: number;
}

export const DEFAULT_LIMITS: Readonly<MenuLimits> = {
  maxChars: 64 * 1024,
  maxDepth: 24,
  maxElements: 2000,
  maxCommands: 500,
  maxTextChars: 2000,
};
