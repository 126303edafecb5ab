/**
 * The SLIC's control of the loop: what an exchange does to tell a phone that the far end has gone.
 * On an Ag1171 a polarity reversal is the F/R pin; where a SLIC cannot do it, `disconnect` may do
 * nothing: the reorder tone that follows still tells the caller.
 */
export interface LineFeed {
  /** Signals that the call is over (a brief open loop or polarity reversal, per the board). */
  disconnect(): void;
}
