/**
 * Bounds on what a menu may be, as a board states them (`Board.menuLimits`): the core's loader
 * enforces them (src/ozml/limits.ts holds the defaults and the checks).
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
