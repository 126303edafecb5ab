/**
 * The DTMF detector's options: what each check accepts (docs/dtmf.md gives the standard or the
 * recording each default comes from), and the key events it reports.
 */
import type { DtmfFilters } from './dtmf-filters.js';

/** A key going down or up at a sample index (counted from the receiver's first sample). */
export interface DtmfKeyEvent {
  key: string;
  down: boolean;
  sample: number;
}

export interface DtmfDetectorOptions {
  /** Called for every key down and key up, in order; a down's time is earlier than the call. */
  onKey: (event: DtmfKeyEvent) => void;
  /** Sample rate of the input; the receiver is tuned for 8000. */
  sampleRate?: number;
  minLevelDbm0?: number;
  normalTwistDb?: number;
  reverseTwistDb?: number;
  /** Accepted frequency deviation, as a fraction. */
  tolerance?: number;
  minWindows?: number;
  releaseWindows?: number;
  /** Other tones of a group must be this much weaker, in dB. */
  purityDb?: number;
  /** Share of the window's energy (less dial tone) the two tones must hold. */
  share?: number;
  /** The guard tone between the groups must be this much weaker than the weaker key tone, in dB. */
  guardDb?: number;
  /** Shortest tone that is a key, in ms, as measured from its first and last windows. */
  minToneMs?: number;
  /** Share the two tones must hold in two windows of the run for a key to go down. */
  downShare?: number;
  /** Largest change of either tone's frequency over the run, in Hz, for a key to go down. */
  maxDriftHz?: number;
  // The barge-in path (a key under our own prompt leaking back through the hybrid): looser level
  // checks per window, paid for by a stricter pitch check over the last windows.
  /** Other tones of a group must be this much weaker, in dB (barge-in path). */
  bargePurityDb?: number;
  /** Share of the window's energy the two tones must hold (barge-in path). */
  bargeShare?: number;
  /** Twist accepted on the barge-in path, in dB (Q.24's 8 / 4 dB plus 1 dB for the speech under it). */
  bargeNormalTwistDb?: number;
  bargeReverseTwistDb?: number;
  /** Largest mean deviation of either tone over the last windows, as a fraction (barge-in path). */
  bargeTolerance?: number;
  /** Largest spread of either tone's frequency over the last windows, in Hz (barge-in path). */
  bargeDriftHz?: number;
  /** Windows of the run before the barge-in path may put a key down. */
  bargeWindows?: number;
  /** Windows the tone filled alike (of the last three) that the pitch check needs. */
  bargeSteadyWindows?: number;
  /**
   * Share of the energy the pair must hold over the run's last windows that the tone fills (their
   * sums, onset left out) for a key to go down on the clean path.
   */
  runShare?: number;
  /** The same for the barge-in path. */
  bargeRunShare?: number;
  /** Largest change of the twist over those windows, in dB (clean path): both tones of a key start, hold and stop together. */
  twistSpreadDb?: number;
  /** The same for the barge-in path. */
  bargeTwistSpreadDb?: number;
  /** Rejects a pair whose measured column is within this fraction of twice its row (a note and its octave). */
  octave?: number;
  /**
   * Largest level of either tone before the key, in dB against the key (in the `onsetRank`-th
   * quietest of the windows that end before the tone starts): a key's tones start from nothing, a
   * note that was already sounding does not. Default -6; a large value (100) turns the check off.
   */
  onsetDb?: number;
  /** Largest level of the row's third harmonic, in dB against the row, when the key goes down (default -15; 100: off). */
  harmonicDb?: number;
  /** Which of the quietest windows before the tone the onset check takes (1: the quietest; default 3, at most 4). */
  onsetRank?: number;
  /**
   * Normal twist of the run on the barge-in path (the row's power over the column's, summed over
   * the windows the share is judged on), in dB: speech and music fall with frequency, so their
   * harmonics that line up on a row and a column mostly have the row louder.
   */
  bargeRunNormalTwistDb?: number;
  /** The guard tone must be this much weaker than the weaker key tone on the barge-in path, in dB. */
  bargeGuardDb?: number;
  /** Failing windows forgiven inside a run that the barge-in path still accepts. */
  bargeMaxGaps?: number;
  /**
   * The arithmetic, done elsewhere (a board's native module: drivers/dtmf-native/dtmf-native). Default:
   * `TS_DTMF_FILTERS`, the reference a native one must equal bit for bit.
   */
  filters?: DtmfFilters;
}

/**
 * Stricter settings for a line where talk-off matters more than keys under loud speech (a door
 * phone whose prompt leaks back, a handset near a radio). On the bench's real recordings (one run,
 * docs/dtmf.md, after the onset and harmonic checks): no false key in 3 h of prompts and 0.7 per
 * hour of music (defaults: 0 and 0.8; spandsp: 0 and 1.5), but keys under speech 10 dB below them
 * 99.2 % (defaults 99.94 %), and three Q.24 conditions fail: 2 of 32 keys with 8 dB twist and the
 * tones 1.5 % apart (with and without noise), 3 of the 32 bench keys under speech. Since those
 * checks, the defaults are almost as good on talk-off.
 */
export const STRICT_DTMF_OPTIONS: Readonly<Omit<DtmfDetectorOptions, 'onKey'>> = {
  runShare: 0.85,
  bargeRunShare: 0.75,
  twistSpreadDb: 3,
  bargeTwistSpreadDb: 6,
};
