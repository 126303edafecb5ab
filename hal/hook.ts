/**
 * The hook switch as the SLIC reports it: raw, undebounced loop-current levels with their times.
 * Debouncing, flash and rotary-pulse decoding are the core's job (src/line), not the driver's.
 */
export interface HookSwitch {
  /** The level now: true while loop current flows (handset off-hook, or a dial's make). */
  read(): boolean;
  /**
   * Set by the consumer; called on every raw level change, in order, with the Clock time in ms it
   * happened (on the SLIC boards stamped at the interrupt, so the call may come later than that).
   */
  onChange: ((offHook: boolean, atMs: number) => void) | undefined;
}
