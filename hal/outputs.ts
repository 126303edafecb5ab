/**
 * Named digital outputs of a board (door-strike relay, LEDs). Menus use the names from the board
 * file, never pin numbers.
 */
export interface DigitalOutputs {
  /** The names this board offers, e.g. ["door", "led"]. */
  readonly names: readonly string[];
  /** Sets an output; unknown names are ignored (the menu checker rejects them before). */
  write(name: string, on: boolean): void;
}
