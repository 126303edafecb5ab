/**
 * A software DTMF receiver for 8 kHz 16-bit audio: blocks of samples in, key down / key up events
 * with sample times out. Pure (no host APIs), no allocation per block, so it runs on XS on the chip.
 *
 * Method. Twelve Goertzel filters (the eight DTMF frequencies, dial tone's 350, 440 and 425 Hz, and
 * a guard at 1075 Hz between the groups) run over 32-sample sub-blocks, four filters per pass over
 * the samples (XS cost: locals, one read per sample for four). Each sub-block yields one
 * complex value per frequency; five consecutive ones, weighted 1-2-3-2-1, make the DFT of a tapered
 * 160-sample (20 ms) window, one every 64 samples (8 ms). The taper keeps a neighbouring row 20 dB
 * and a column or the other group 25-50 dB down, where a plain window leaks at -13 dB. Per window
 * the receiver takes the strongest row and column, corrects each for the window's loss off its bin
 * (from the tone's phase advance since the last window), and tests them:
 * - level: each tone at least `minLevelDbm0` (-36 dBm0; ITU-T Q.24 Annex A / Bellcore LSSGR
 *   TR-NWT-000506 §6 ask for operation from 0 to -25 dBm0 per tone, less twist);
 * - twist: the row at most `normalTwistDb` (10.5) louder or `reverseTwistDb` (6) quieter than the
 *   column (Q.24 / LSSGR: accept 8 dB normal and 4 dB reverse twist);
 * - purity: each tone `purityDb` (12) above the others of its group, and above the 1075 Hz guard by
 *   `guardDb` (10): a voice whose harmonics land on a row and a column has others in between;
 * - share: the two tones hold `share` (half) of the window's energy, dial tone not counted (speech
 *   and music spread their energy; dial tone at the keys' level does not mask them).
 * A key goes down when a run of at least `minWindows` (3) passing windows with one pair:
 * - has its tones within `tolerance` (2 %) of nominal, measured from the phase advance of each
 *   tone between windows (exact for a steady tone, unambiguous to +/-62.5 Hz). Q.24 / LSSGR: accept
 *   +/-1.5 %, reject +/-3.5 %; Q.23 lets a sender be 1.8 % off, so 2 % (not the midpoint: music on
 *   an equal-tempered scale has note pairs 2.5 % off a key);
 * - is steady: each tone's frequency moves less than `maxDriftHz` (12; twice that for a tone weaker
 *   than the other, whose phase carries more of the other's leakage) between windows the tone fills
 *   alike, and two windows have the pair hold `downShare` (0.8) of the energy. A key's generator is
 *   crystal-locked; a voice that lines up two harmonics glides in pitch or swells and fades;
 * - lasts at least `minToneMs` (30 ms), measured from how much of its first and last windows the
 *   tone fills (Q.24: accept 40 ms, reject under 23 ms).
 * Barge-in path (a key pressed while our prompt leaks back through the SLIC's hybrid, speech 10 dB
 * below the keys). Speech's first formant puts harmonics of 4-7 dB below a tone in a neighbouring
 * row for most of a key, and loud syllables take half the window's energy, so the checks above lose
 * about 2 % of such keys. A window may instead pass looser checks (`bargePurityDb` 2.5, `bargeShare`
 * 0.6, `bargeGuardDb` 6, twist within Q.24's 8 / 4 dB plus 1), and a run of at least `bargeWindows`
 * (3) such windows, with at most `bargeMaxGaps` (1) failing window forgiven inside it and the row at
 * most `bargeRunNormalTwistDb` (6) louder than the column over the run (speech and music fall with
 * frequency: their harmonics that line up on a key mostly have the row louder; a key from a phone
 * has a few dB), goes down when, over the last windows the pair filled alike (two or three), each
 * tone is on average within `bargeTolerance` (0.5 %) of nominal and spreads less than
 * `bargeDriftHz` (10). (Purity 2.5 and guard 6, not 4 and 10, and the run twist and gap limits:
 * chosen together on the real recordings, docs/dtmf.md: keys under real speech 10 dB below 99.75 %
 * -> 99.94 %, no speech talk-off.)
 * Speech that lines up two harmonics is rarely that close and glides off it within a few windows
 * (at 1 % or 20 Hz, held-out voices and loud speech give false keys); music whose chord holds notes
 * 0.2 % off a row and a column spreads its energy over more notes (the share of 0.6 rejects it, 0.4
 * does not). A key's generator is crystal-locked (far inside 0.5 %); keys further off still pass the
 * clean-signal checks above. Measured (docs/dtmf.md): 480 of 480 keys under
 * speech at -10 dB (471 before), no talk-off added on 627 s of speech, 909 s of other voices and
 * 1200 s of synthetic music.
 * Both paths also judge the run's last windows that the tone fills (up to 8, the onset left out),
 * found on real recordings (docs/dtmf.md: Asterisk prompts and game music, line-filtered):
 * - share: the pair holds `runShare` (0.75) of their energy summed (`bargeRunShare` 0.6 on the
 *   barge-in path); a loud window no longer carries a chord whose other notes come and go;
 * - cadence: the twist moves less than `twistSpreadDb` (4; `bargeTwistSpreadDb` 6) across them. A
 *   key's tones start, hold and stop together; two melody notes that cross-fade (one swelling on a
 *   row, one fading on a column) pass every other check for three windows. 4 dB, not less: a pure
 *   pair with 8 dB twist 1.5 % off its bins moves 3 dB through the window's leakage;
 * - octave: the measured column is not within `octave` (1 %) of twice the measured row (a note and
 *   its octave, 2 % off C's row and column, is no key; keys 1.5 % off in opposite directions sit
 *   1.2-1.3 % from an octave).
 * At key down, two more checks (found on the same recordings; cost only when a key is about to go down):
 * - onset: a key's tones start together from nothing. Of the last `ONSET_WINDOWS` (6) windows that
 *   end before the tone's start, the `onsetRank`-th quietest (3rd: one or two quiet windows in a
 *   melody are not enough) must have each tone `onsetDb` (-6 dB) below it now. A note that was
 *   already sounding when the other arrives is no key; the previous key's tail (40 ms pause) and
 *   speech under a key are far below that;
 *   A tone already sounding before the ring of the last 32 windows (256 ms) is no key either;
 *   windows before the input's first count as silence;
 * - harmonic: the row's third harmonic (2091-2823 Hz, clear of every key tone) over the last 32 ms
 *   (Hann) at most `harmonicDb` (-15 dB) against the row: an instrument's note has one, a key's
 *   generator does not (the second harmonics fall beside the columns and cannot be told apart).
 *   A run that fails it once puts no key down (a note's harmonic comes and goes).
 * Both checks fail a run for good: it puts no key down until another run starts.
 * A second-harmonic check (each tone's harmonic 12-20 dB below it, leakage of the pair allowed for)
 * was measured and left out: alone, at 15-18 dB, it removed 4-6 of 57 false keys on the tuning
 * recordings and lost up to 7 more of 960 keys under speech 10 dB below; with the checks above it
 * removed none.
 * `STRICT_DTMF_OPTIONS` trades keys under loud speech (and 8 dB twist 1.5 % off) for less talk-off.
 * Up to two failing windows inside a run are forgiven. A held key goes up after `releaseWindows` (3)
 * windows in a row without it (a window where another pair passes either path counts as without it:
 * speech in the pause must not hold a key into the next one that shares its row), so a gap of 40 ms (Q.24 / LSSGR interdigit pause) ends it and a
 * dropout of 10 ms (LSSGR: must not split a digit) does not. Down and up times are the first and
 * last sample of the tone, from how much of the first and last window the tone filled.
 * Quiet input (a sub-block or window below what a key at the minimum level needs) skips the filters.
 * The arithmetic (energy, filters, the window's DFT) goes through `DtmfFilters`: `TS_DTMF_FILTERS`
 * by default, or a board's native one (hal/drivers/dtmf-native.c), equal to it bit for bit.
 */
import { dbm0ToAmplitude } from '../tones/synth.js';
import { COLUMN_HZ, ROW_HZ, keyAt } from './dtmf-keys.js';

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
   * The arithmetic, done elsewhere (a board's native module: hal/drivers/dtmf-native). Default:
   * `TS_DTMF_FILTERS`, the reference a native one must equal bit for bit.
   */
  filters?: DtmfFilters;
}

/**
 * The receiver's arithmetic: each 32-sample sub-block's energy and Goertzel filters, and each
 * window's tapered DFT, power and phase advance per filter (the part of its cost that grows with
 * the samples and the filters); everything it decides stays in TypeScript. A board may pass a
 * native implementation (C in a Moddable module, hal/drivers/dtmf-native.c), which must give the
 * numbers `TS_DTMF_FILTERS` gives, bit for bit: doubles throughout (as JavaScript numbers), every
 * operation in the same order, the receiver's Float32Arrays read as float32 and stored rounded to
 * float32 (its Float64Arrays as doubles).
 */
export interface DtmfFilters {
  /** The sum of the squares of `count` samples of `src` from `at` (exact: at most 2^41). */
  energy(src: Int16Array, at: number, count: number): number;
  /**
   * Runs filter k (for k below `coef.length`: s = x + coef[k] s1 - s2, from zero) over `count`
   * samples of `src` from `at`, and stores its value for the block from its last two states as
   * `re[k * stride + slot] = s1 - cos[k] s2` and `im[k * stride + slot] = sin[k] s2`.
   */
  goertzel(
    src: Int16Array,
    at: number,
    count: number,
    coef: Float32Array,
    cos: Float32Array,
    sin: Float32Array,
    re: Float32Array,
    im: Float32Array,
    stride: number,
    slot: number,
  ): void;
  /**
   * Each filter k's (k below `power.length`) tapered window: the sum over i below `taps` of its
   * block value at ring slot (first + i) % taps (`re`/`im` as `goertzel` stores them, stride
   * `taps`) times tap[k * taps + i] (complex); `power[k] = scale |w|^2`; for k below `advanced`,
   * the phase advance since the last window, `adv[k] = w conj(last[k]) rot[k]`; then `last[k] = w`.
   */
  taper(
    re: Float32Array,
    im: Float32Array,
    tapRe: Float32Array,
    tapIm: Float32Array,
    taps: number,
    first: number,
    scale: number,
    power: Float32Array,
    lastRe: Float32Array,
    lastIm: Float32Array,
    rotRe: Float32Array,
    rotIm: Float32Array,
    advRe: Float64Array,
    advIm: Float64Array,
    advanced: number,
  ): void;
}

/**
 * The receiver's own arithmetic, the reference for a native `DtmfFilters`. Goertzel filters four
 * per pass over the samples, each filter's state in locals (on XS a local costs far less than a
 * typed-array element, and one read of each sample serves four filters).
 */
export const TS_DTMF_FILTERS: DtmfFilters = {
  energy(src, at, count) {
    let energy = 0;
    for (let n = at, end = at + count; n < end; n++) energy += src[n]! * src[n]!;
    return energy;
  },
  goertzel(src, at, count, coef, cos, sin, re, im, stride, slot) {
    const end = at + count;
    const bins = coef.length;
    let k = 0;
    for (; k + 4 <= bins; k += 4) {
      const c0 = coef[k]!;
      const c1 = coef[k + 1]!;
      const c2 = coef[k + 2]!;
      const c3 = coef[k + 3]!;
      let a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
      for (let n = at; n < end; n++) {
        const x = src[n]!;
        const s0 = x + c0 * a0 - b0;
        b0 = a0;
        a0 = s0;
        const s1 = x + c1 * a1 - b1;
        b1 = a1;
        a1 = s1;
        const s2 = x + c2 * a2 - b2;
        b2 = a2;
        a2 = s2;
        const s3 = x + c3 * a3 - b3;
        b3 = a3;
        a3 = s3;
      }
      // The block's DFT, up to a phase that is the same for every block: s1 - e^{-jw} s2.
      re[k * stride + slot] = a0 - cos[k]! * b0;
      im[k * stride + slot] = sin[k]! * b0;
      re[(k + 1) * stride + slot] = a1 - cos[k + 1]! * b1;
      im[(k + 1) * stride + slot] = sin[k + 1]! * b1;
      re[(k + 2) * stride + slot] = a2 - cos[k + 2]! * b2;
      im[(k + 2) * stride + slot] = sin[k + 2]! * b2;
      re[(k + 3) * stride + slot] = a3 - cos[k + 3]! * b3;
      im[(k + 3) * stride + slot] = sin[k + 3]! * b3;
    }
    for (; k < bins; k++) {
      const c = coef[k]!;
      let a = 0;
      let b = 0;
      for (let n = at; n < end; n++) {
        const s = src[n]! + c * a - b;
        b = a;
        a = s;
      }
      re[k * stride + slot] = a - cos[k]! * b;
      im[k * stride + slot] = sin[k]! * b;
    }
  },
  taper(re, im, tapRe, tapIm, taps, first, scale, power, lastRe, lastIm, rotRe, rotIm, advRe, advIm, advanced) {
    for (let k = 0; k < power.length; k++) {
      let wr = 0;
      let wi = 0;
      const row = k * taps;
      for (let i = 0, j = first; i < taps; i++, j = j === taps - 1 ? 0 : j + 1) {
        const tr = tapRe[row + i]!;
        const ti = tapIm[row + i]!;
        const r = re[row + j]!;
        const m = im[row + j]!;
        wr += r * tr - m * ti;
        wi += r * ti + m * tr;
      }
      power[k] = scale * (wr * wr + wi * wi);
      if (k < advanced) {
        const pr = lastRe[k]!;
        const pi = -lastIm[k]!;
        const dr = wr * pr - wi * pi;
        const di = wr * pi + wi * pr;
        const rr = rotRe[k]!;
        const ri = rotIm[k]!;
        advRe[k] = dr * rr - di * ri;
        advIm[k] = dr * ri + di * rr;
      }
      lastRe[k] = wr;
      lastIm[k] = wi;
    }
  },
};

/**
 * The filters' constants at a sample rate, as the receiver holds them (float32): 2cos(w), cos(w)
 * and sin(w) of each of its frequencies, in its order (rows, columns, 350, 440, 425, 1075 Hz).
 */
export function dtmfFilterConstants(sampleRate = 8000): { coef: Float32Array; cos: Float32Array; sin: Float32Array } {
  const coef = new Float32Array(BINS);
  const cos = new Float32Array(BINS);
  const sin = new Float32Array(BINS);
  for (let k = 0; k < BINS; k++) {
    const w = (2 * Math.PI * FREQUENCIES[k]!) / sampleRate;
    coef[k] = 2 * Math.cos(w);
    cos[k] = Math.cos(w);
    sin[k] = Math.sin(w);
  }
  return { coef, cos, sin };
}

/** Samples per filter block (sub-block) the receiver hands `DtmfFilters`, always from sample 32n of its input. */
export const DTMF_FILTER_BLOCK = 32;

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

/** Goertzel sub-block length; five make a window, a window every two (8 ms). */
const SUB = 32;
const HOP = 2 * SUB;
/** Window taper by sub-block (a stepped triangle: sidelobes 20-50 dB down where rows and columns lie). */
const TAPER = [1, 2, 3, 2, 1];
const SUBS = TAPER.length;
const WINDOW = SUBS * SUB;
/** Filters run four at a time, so twelve: the 8 key tones, dial tone (350, 440; 425 in Europe), a guard. */
const FREQUENCIES = [...ROW_HZ, ...COLUMN_HZ, 350, 440, 425, 1075];
const BINS = FREQUENCIES.length;
const DIAL_A = 8;
const DIAL_B = 9;
/** A guard between the groups, where a voice that puts harmonics on a row and a column has more. */
const GUARD = 11;
const DIAL_C = 10;
/** Windows (the last ones the pair filled alike) over which the barge-in path judges its pitch. */
const RECENT = 3;
/** Windows of the run (the last ones) over which the pair's share of the energy is judged. */
const SHARE_WINDOWS = 8;
/** Windows (before the run) kept for the onset check, and how many of them it looks at. */
const PAST = 32;
/** Samples kept for the harmonic check (a power of two), and its window. */
const RING = 512;
const HARMONIC_WINDOW = 256;
const ONSET_WINDOWS = 6;
/** A held key stays down while its tones hold this share and half the minimum level. */
const HOLD_SHARE = 0.3;
/** Sum of the taper over the samples, and of its square. */
const TAPER_SUM = SUB * TAPER.reduce((a, b) => a + b, 0);
const TAPER_SQUARES = SUB * TAPER.reduce((a, b) => a + b * b, 0);
const TAPER_SQUARED = TAPER.map((t) => t * t);
/** From |DFT|^2 to the tone's share of the tapered energy. */
const POWER_SCALE = (2 * TAPER_SQUARES) / (TAPER_SUM * TAPER_SUM);

/** Puts v into `low` (ascending) if it is among its smallest. */
function insertLow(low: Float64Array, v: number): void {
  let i = low.length - 1;
  if (!(v < low[i]!)) return;
  while (i > 0 && low[i - 1]! > v) {
    low[i] = low[i - 1]!;
    i--;
  }
  low[i] = v;
}

/**
 * How many samples at one end of a window a tone covers, from its strength there relative to a
 * full window (the taper's cumulative sum, inverted).
 */
function coveredSamples(ratio: number): number {
  let sum = 0;
  for (let i = 0; i < SUBS; i++) {
    const step = (SUB * TAPER[i]!) / TAPER_SUM;
    if (sum + step >= ratio) return SUB * (i + (ratio - sum) / step);
    sum += step;
  }
  return WINDOW;
}

export class DtmfDetector {
  readonly #onKey: (event: DtmfKeyEvent) => void;
  readonly #minPower: number;
  /** A sub-block with less energy than this (a tone 20 dB under the minimum level) is skipped. */
  readonly #quietEnergy: number;
  readonly #normalTwist: number;
  readonly #reverseTwist: number;
  readonly #tolerance: number;
  readonly #minWindows: number;
  readonly #releaseWindows: number;
  readonly #radiansPerHz: number;
  readonly #maxDrift: number;
  readonly #purity: number;
  readonly #share: number;
  readonly #guard: number;
  readonly #downShare: number;
  readonly #minTone: number;
  readonly #bargePurity: number;
  readonly #bargeShare: number;
  readonly #bargeTolerance: number;
  readonly #bargeDrift: number;
  readonly #bargeWindows: number;
  readonly #bargeSteadyWindows: number;
  readonly #bargeNormalTwist: number;
  readonly #bargeReverseTwist: number;
  readonly #runShareMin: number;
  readonly #bargeRunShareMin: number;
  /** The run's last windows (ring): the pair's strength, its power, the rest of the energy. */
  readonly #shareStrength = new Float64Array(SHARE_WINDOWS);
  readonly #sharePair = new Float64Array(SHARE_WINDOWS);
  readonly #shareRest = new Float64Array(SHARE_WINDOWS);
  readonly #shareTwist = new Float64Array(SHARE_WINDOWS);
  readonly #twistSpread: number;
  readonly #cleanTwistSpread: number;
  readonly #octave: number;
  /** The last PAST windows' powers of the eight key bins (ring), and where the ring is. */
  readonly #past = new Float32Array(PAST * 8);
  #pastCount = 0;
  readonly #onset: number;
  readonly #harmonic: number;
  /** The last WINDOW samples (ring by sub-block) and a Hann window for the harmonic check. */
  readonly #recent = new Int16Array(RING);
  readonly #hann = new Float32Array(HARMONIC_WINDOW);
  /** Whether each sub-block of the ring was loud enough to be kept (else it reads as silence). */
  readonly #loud = new Uint8Array(RING / SUB);
  readonly #onsetRank: number;
  readonly #bargeRunNormalTwist: number;
  readonly #bargeGuard: number;
  readonly #bargeMaxGaps: number;
  /** Failing windows forgiven inside the run so far. */
  #runGaps = 0;
  /** The run's twist (row over column power) over the windows #runShare() last used. */
  #runTwist = 1;
  readonly #lowR = new Float64Array(4);
  readonly #lowC = new Float64Array(4);
  /** The run failed the onset check: it puts no key down. */
  #runVetoed = false;
  /** Twist spread over the windows #runShare() last used (amplitude ratio, max over min). */
  #runTwistSpread = 1;
  #shareCount = 0;
  // Per-bin constants: 2cos(w), cos(w), sin(w); e^{-jw HOP}; taper times e^{-jw SUB i}.
  readonly #coef = new Float32Array(BINS);
  readonly #cos = new Float32Array(BINS);
  readonly #sin = new Float32Array(BINS);
  readonly #rotRe = new Float32Array(BINS);
  readonly #rotIm = new Float32Array(BINS);
  readonly #tapRe = new Float32Array(BINS * SUBS);
  readonly #tapIm = new Float32Array(BINS * SUBS);
  // Samples of a sub-block not yet complete; the last SUBS sub-blocks' values and energies
  // (rings); the last window's values.
  readonly #buffer = new Int16Array(SUB);
  readonly #subRe = new Float32Array(BINS * SUBS);
  readonly #subIm = new Float32Array(BINS * SUBS);
  readonly #subEnergy = new Float64Array(SUBS);
  readonly #winRe = new Float32Array(BINS);
  readonly #winIm = new Float32Array(BINS);
  readonly #power = new Float32Array(BINS);
  // Phase advance of each bin from the last window to this one, less the bin's own.
  readonly #advRe = new Float64Array(BINS);
  readonly #advIm = new Float64Array(BINS);
  // The run's phase advance of its row (0) and column (1), summed, weighted by strength.
  readonly #accRe = new Float64Array(2);
  readonly #accIm = new Float64Array(2);
  // Lowest and highest frequency deviation of the run's row (0, 1) and column (2, 3), in Hz.
  readonly #drift = new Float64Array(4);
  /** The run's last RECENT deviations of its row and column (rings), for the barge-in path. */
  readonly #recentRow = new Float64Array(RECENT);
  readonly #recentCol = new Float64Array(RECENT);
  #recentCount = 0;
  #filled = 0;
  #subBlocks = 0;
  #sample = 0;
  // The run of windows passing with one pair (up to two failing windows inside it are forgiven).
  #runKey = -1;
  #runLength = 0;
  #runGap = 0;
  #runFirstStart = 0;
  #runFirstStrength = 0;
  #runPrevStrength = 0;
  #runRef = 0;
  /** Windows of the run where the two tones hold `downShare` of the energy. */
  #runStrong = 0;
  /** Windows of the run that pass the clean-signal checks (the others pass the barge-in ones). */
  #runStrict = 0;
  /** Where the run's tone ends (so far), from the last window it fills at least half. */
  #runEnd = 0;
  // The key that is down.
  #heldKey = -1;
  #heldRef = 0;
  #heldEnd = 0;
  #misses = 0;
  #enabled = true;
  readonly #filters: DtmfFilters;

  constructor(options: DtmfDetectorOptions) {
    const rate = options.sampleRate ?? 8000;
    this.#onKey = options.onKey;
    this.#filters = options.filters ?? TS_DTMF_FILTERS;
    const a = dbm0ToAmplitude(options.minLevelDbm0 ?? -36);
    this.#minPower = (TAPER_SQUARES * a * a) / 2;
    this.#quietEnergy = (SUB * a * a) / 2 / 100;
    this.#normalTwist = Math.pow(10, (options.normalTwistDb ?? 10.5) / 10);
    this.#reverseTwist = Math.pow(10, (options.reverseTwistDb ?? 6) / 10);
    this.#tolerance = options.tolerance ?? 0.02;
    this.#minWindows = options.minWindows ?? 3;
    this.#releaseWindows = options.releaseWindows ?? 3;
    this.#radiansPerHz = (2 * Math.PI * HOP) / rate;
    this.#maxDrift = options.maxDriftHz ?? 12;
    this.#purity = Math.pow(10, (options.purityDb ?? 12) / 10);
    this.#share = options.share ?? 0.5;
    this.#guard = Math.pow(10, (options.guardDb ?? 10) / 10);
    this.#downShare = options.downShare ?? 0.8;
    this.#minTone = ((options.minToneMs ?? 30) * rate) / 1000;
    this.#bargePurity = Math.pow(10, (options.bargePurityDb ?? 2.5) / 10);
    this.#bargeShare = options.bargeShare ?? 0.6;
    this.#bargeTolerance = options.bargeTolerance ?? 0.005;
    this.#bargeDrift = options.bargeDriftHz ?? 10;
    this.#bargeWindows = options.bargeWindows ?? 3;
    this.#bargeSteadyWindows = options.bargeSteadyWindows ?? 2;
    this.#bargeNormalTwist = Math.pow(10, (options.bargeNormalTwistDb ?? 9) / 10);
    this.#bargeReverseTwist = Math.pow(10, (options.bargeReverseTwistDb ?? 5) / 10);
    this.#runShareMin = options.runShare ?? 0.75;
    this.#twistSpread = Math.pow(10, (options.bargeTwistSpreadDb ?? 6) / 20);
    this.#cleanTwistSpread = Math.pow(10, (options.twistSpreadDb ?? 4) / 20);
    this.#octave = options.octave ?? 0.01;
    this.#bargeRunShareMin = options.bargeRunShare ?? 0.6;
    this.#onset = Math.pow(10, (options.onsetDb ?? -6) / 10);
    this.#harmonic = Math.pow(10, (options.harmonicDb ?? -15) / 10);
    for (let i = 0; i < HARMONIC_WINDOW; i++) this.#hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / HARMONIC_WINDOW);
    this.#bargeRunNormalTwist = Math.pow(10, (options.bargeRunNormalTwistDb ?? 6) / 10);
    this.#bargeMaxGaps = options.bargeMaxGaps ?? 1;
    this.#bargeGuard = Math.pow(10, (options.bargeGuardDb ?? 6) / 10);
    this.#onsetRank = Math.max(1, Math.min(4, options.onsetRank ?? 3));
    for (let k = 0; k < BINS; k++) {
      const w = (2 * Math.PI * FREQUENCIES[k]!) / rate;
      this.#coef[k] = 2 * Math.cos(w);
      this.#cos[k] = Math.cos(w);
      this.#sin[k] = Math.sin(w);
      this.#rotRe[k] = Math.cos(w * HOP);
      this.#rotIm[k] = -Math.sin(w * HOP);
      for (let i = 0; i < SUBS; i++) {
        this.#tapRe[k * SUBS + i] = TAPER[i]! * Math.cos(w * SUB * i);
        this.#tapIm[k * SUBS + i] = -TAPER[i]! * Math.sin(w * SUB * i);
      }
    }
  }

  /** Samples consumed so far (inside `onKey`: up to the one that completed the decision). */
  get sample(): number {
    return this.#sample;
  }

  /**
   * Consumes `count` samples of `block` from `offset` (default: all). Any block length works;
   * events fire as soon as a decision is made (a key down about 40 ms after the tone starts).
   */
  push(block: Int16Array, offset = 0, count = block.length - offset): void {
    const end = offset + count;
    const base = this.#sample - offset;
    const buffer = this.#buffer;
    let i = offset;
    while (i < end) {
      if (this.#filled === 0 && end - i >= SUB) {
        // Whole sub-blocks straight from the caller's block.
        this.#sample = base + i + SUB;
        this.#subBlock(block, i);
        i += SUB;
      } else {
        let filled = this.#filled;
        while (filled < SUB && i < end) buffer[filled++] = block[i++]!;
        this.#filled = filled === SUB ? 0 : filled;
        if (filled === SUB) {
          this.#sample = base + i;
          this.#subBlock(buffer, 0);
        }
      }
    }
    this.#sample = base + end;
  }

  /** Ends the input: a key still down goes up at the end of its tone. */
  flush(): void {
    if (this.#heldKey >= 0) this.#release();
    this.#runKey = -1;
    this.#runLength = 0;
  }

  /** While disabled, windows are still analysed (to stay in step) but no key goes down. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    if (!enabled) this.flush();
  }

  /** Runs every filter over the SUB samples of `src` from `at` and keeps each one's value for the sub-block. */
  #subBlock(src: Int16Array, at: number): void {
    const slot = this.#subBlocks % SUBS;
    const end = at + SUB;
    const filters = this.#filters;
    const energy = filters.energy(src, at, SUB);
    this.#subEnergy[slot] = energy;
    if (energy < this.#quietEnergy) {
      // Too quiet to hold any part of a key: skip the filters (most of the cost) and store zeros.
      this.#loud[this.#subBlocks & (RING / SUB - 1)] = 0;
      for (let k = 0; k < BINS; k++) {
        this.#subRe[k * SUBS + slot] = 0;
        this.#subIm[k * SUBS + slot] = 0;
      }
      this.#endSubBlock();
      return;
    }
    // Kept for the harmonic check (quiet sub-blocks are not: they count as silence there).
    const recent = this.#recent;
    for (let n = at, j = (this.#subBlocks * SUB) & (RING - 1); n < end; n++, j++) recent[j] = src[n]!;
    this.#loud[this.#subBlocks & (RING / SUB - 1)] = 1;
    filters.goertzel(src, at, SUB, this.#coef, this.#cos, this.#sin, this.#subRe, this.#subIm, SUBS, slot);
    this.#endSubBlock();
  }

  #endSubBlock(): void {
    this.#subBlocks++;
    if (this.#subBlocks >= SUBS && this.#subBlocks % 2 === 0) this.#endWindow();
  }

  /** Combines the last SUBS sub-blocks into the tapered window's DFT, power and phase advance. */
  #endWindow(): void {
    const first = this.#subBlocks % SUBS; // ring slot of the oldest sub-block
    const winRe = this.#winRe;
    const winIm = this.#winIm;
    const subEnergy = this.#subEnergy;
    let energy = 0;
    for (let i = 0; i < SUBS; i++) energy += TAPER_SQUARED[i]! * subEnergy[(first + i) % SUBS]!;
    if (energy < this.#minPower) {
      // Quieter than one tone at the minimum level: no key; skip the per-filter work.
      this.#power.fill(0);
      winRe.fill(0);
      winIm.fill(0);
      this.#advRe.fill(0);
      this.#advIm.fill(0);
      this.#decide(energy, this.#subBlocks * SUB - WINDOW);
      return;
    }
    // Normalised so a steady tone's power equals its share of the tapered energy; phase advances of the key bins.
    this.#filters.taper(this.#subRe, this.#subIm, this.#tapRe, this.#tapIm, SUBS, first, POWER_SCALE, this.#power, winRe, winIm, this.#rotRe, this.#rotIm, this.#advRe, this.#advIm, 8);
    this.#decide(energy, this.#subBlocks * SUB - WINDOW);
  }

  #decide(total: number, start: number): void {
    const p = this.#power;
    let r = 0;
    for (let k = 1; k < 4; k++) if (p[k]! > p[r]!) r = k;
    let c = 4;
    for (let k = 5; k < 8; k++) if (p[k]! > p[c]!) c = k;
    let rowNext = 0;
    let colNext = 0;
    for (let k = 0; k < 4; k++) if (k !== r && p[k]! > rowNext) rowNext = p[k]!;
    for (let k = 4; k < 8; k++) if (k !== c && p[k]! > colNext) colNext = p[k]!;
    // Each tone's power, allowing for what the window loses on a tone off its bin (up to 2.3 dB at
    // 1.5 %), from this window's phase advance.
    const pr = p[r]! / this.#gain(this.#deviation(r));
    const pc = p[c]! / this.#gain(this.#deviation(c));
    // Dial tone: 350 + 440 Hz, or 425 Hz (which the 440 Hz filter also hears: take the larger).
    const rest = Math.max(total - p[DIAL_A]! - Math.max(p[DIAL_B]!, p[DIAL_C]!), 1);
    const basic =
      this.#enabled &&
      pr >= this.#minPower &&
      pc >= this.#minPower &&
      pr <= pc * this.#normalTwist &&
      pc <= pr * this.#reverseTwist &&
      p[GUARD]! * this.#bargeGuard <= (pr < pc ? pr : pc);
    const valid = basic && p[GUARD]! * this.#guard <= (pr < pc ? pr : pc) && pr >= rowNext * this.#purity && pc >= colNext * this.#purity && pr + pc >= this.#share * rest;
    const loose =
      valid ||
      (basic &&
        pr <= pc * this.#bargeNormalTwist &&
        pc <= pr * this.#bargeReverseTwist &&
        pr >= rowNext * this.#bargePurity &&
        pc >= colNext * this.#bargePurity &&
        pr + pc >= this.#bargeShare * rest);
    const key = loose ? r * 4 + (c - 4) : -1;
    const strength = Math.sqrt(pr) + Math.sqrt(pc);

    if (this.#heldKey >= 0) this.#hold(key, rest, start);

    const strong = pr + pc >= this.#downShare * rest;
    if (key < 0) {
      if (this.#runKey >= 0 && this.#runGap < 2) {
        this.#runGap++;
        this.#runGaps++;
      } else {
        this.#runKey = -1;
        this.#runLength = 0;
      }
    } else if (key === this.#runKey) {
      this.#addShare(strength, pr + pc, rest, pr / pc);
      this.#runLength++;
      this.#runGap = 0;
      this.#accumulate(0, r);
      this.#accumulate(1, c);
      // Deviation per window, only between windows the tone fills alike (not onset or end).
      if (Math.min(strength, this.#runPrevStrength) >= 0.8 * Math.max(strength, this.#runPrevStrength)) {
        const rowHz = this.#track(0, r);
        const colHz = this.#track(2, c);
        const at = this.#recentCount++ % RECENT;
        this.#recentRow[at] = rowHz;
        this.#recentCol[at] = colHz;
      }
      this.#runPrevStrength = strength;
      if (strength > this.#runRef) this.#runRef = strength;
      if (strong) this.#runStrong++;
      if (valid) this.#runStrict++;
      if (strength >= 0.5 * this.#runRef) this.#runEnd = start + coveredSamples(Math.min(1, strength / this.#runRef));

    } else {
      this.#startRun(key, start, strength);
      this.#shareCount = 0;
      this.#addShare(strength, pr + pc, rest, pr / pc);
      this.#runStrong = strong ? 1 : 0;
      this.#runStrict = valid ? 1 : 0;
      this.#runEnd = start + WINDOW;
    }

    const runShare = key >= 0 && key !== this.#heldKey ? this.#runShare() : 0;
    const clean =
      valid &&
      this.#runStrict >= this.#minWindows &&
      this.#runStrong >= 2 &&
      runShare >= this.#runShareMin &&
      this.#runTwistSpread <= this.#cleanTwistSpread &&
      this.#steady(r, c);
    const barge = !clean && this.#runLength >= this.#bargeWindows && this.#runGaps <= this.#bargeMaxGaps && this.#runTwist <= this.#bargeRunNormalTwist && runShare >= this.#bargeRunShareMin && this.#runTwistSpread <= this.#twistSpread && this.#bargeSteady(r, c);
    if (this.#heldKey < 0 && key >= 0 && this.#runGap === 0 && !this.#runVetoed && (clean || barge)) {
      const covered = coveredSamples(Math.min(1, this.#runFirstStrength / this.#runRef));
      const down = Math.round(this.#runFirstStart + WINDOW - covered);
      if (this.#runEnd - down >= this.#minTone && !this.#startedBefore(r, c, down, start) && this.#harmonicOk(r)) {
        this.#heldKey = key;
        this.#heldRef = this.#runRef;
        this.#heldEnd = this.#runEnd;
        this.#misses = 0;
        this.#onKey({ key: keyAt(r, c - 4), down: true, sample: down });
      }
    }
    this.#keepPast();
  }

  /** Keeps this window's key-bin powers for the onset check of later runs. */
  #keepPast(): void {
    const at = (this.#pastCount++ % PAST) * 8;
    const p = this.#power;
    const past = this.#past;
    for (let k = 0; k < 8; k++) past[at + k] = p[k]!;
  }

  /**
   * Whether row r or column c was already sounding before the tone's start `down`: in each of the
   * last ONSET_WINDOWS windows that end before it, at least `onsetDb` against this window (the key).
   * Marks the run vetoed when so.
   */
  #startedBefore(r: number, c: number, down: number, start: number): boolean {
    const p = this.#power;
    const lowR = this.#lowR;
    const lowC = this.#lowC;
    lowR.fill(Infinity);
    lowC.fill(Infinity);
    let seen = 0;
    // Window j back (this one is j = 0) started at start - HOP * j.
    // Windows before the input's first count as silence (the ring starts zeroed); a tone that
    // started before the ring's oldest window is no key either (a key goes down within tens of ms).
    for (let j = 1; j < PAST && seen < ONSET_WINDOWS; j++) {
      if (start - HOP * j + WINDOW > down + SUB / 2) continue;
      const at = (((this.#pastCount - j) % PAST) + PAST) % PAST * 8;
      insertLow(lowR, this.#past[at + r]!);
      insertLow(lowC, this.#past[at + c]!);
      seen++;
    }
    const rank = this.#onsetRank - 1;
    if (seen > rank && lowR[rank]! <= p[r]! * this.#onset && lowC[rank]! <= p[c]! * this.#onset) return false;
    this.#runVetoed = true;
    return true;
  }

  /** Whether the row's third harmonic, over the last window (Hann), is at most `harmonicDb` against the row. */
  #harmonicOk(r: number): boolean {
    const f = FREQUENCIES[r]!;
    if (this.#hannPower(3 * f) <= this.#harmonic * this.#hannPower(f)) return true;
    this.#runVetoed = true;
    return false;
  }

  #hannPower(hz: number): number {
    const w = (hz * this.#radiansPerHz) / HOP;
    const c = 2 * Math.cos(w);
    const recent = this.#recent;
    const hann = this.#hann;
    let a = 0;
    let b = 0;
    for (let i = 0, j = (this.#subBlocks * SUB - HARMONIC_WINDOW) & (RING - 1); i < HARMONIC_WINDOW; i++, j = (j + 1) & (RING - 1)) {
      const x = this.#loud[(j / SUB) | 0] === 1 ? recent[j]! : 0;
      const s = x * hann[i]! + c * a - b;
      b = a;
      a = s;
    }
    return a * a + b * b - c * a * b;
  }

  #addShare(strength: number, pair: number, rest: number, twist: number): void {
    const at = this.#shareCount++ % SHARE_WINDOWS;
    this.#shareTwist[at] = twist;
    this.#shareStrength[at] = strength;
    this.#sharePair[at] = pair;
    this.#shareRest[at] = rest;
  }

  /**
   * The pair's share of the energy over the run's last windows that the tone fills (its strength
   * at least 0.75 of the run's strongest: not the onset, where the tone fills part of the window).
   */
  #runShare(): number {
    const n = this.#shareCount < SHARE_WINDOWS ? this.#shareCount : SHARE_WINDOWS;
    const floor = 0.75 * this.#runRef;
    let pair = 0;
    let rest = 0;
    let lo = Infinity;
    let hi = 0;
    let twistSum = 0;
    for (let i = 0; i < n; i++) {
      if (this.#shareStrength[i]! < floor) continue;
      pair += this.#sharePair[i]!;
      rest += this.#shareRest[i]!;
      const t = this.#shareTwist[i]!;
      twistSum += t * this.#sharePair[i]!;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    this.#runTwistSpread = Math.sqrt(hi / lo);
    this.#runTwist = pair > 0 ? twistSum / pair : 1;
    return rest > 0 ? pair / rest : 0;
  }

  #startRun(key: number, start: number, strength: number): void {
    this.#runKey = key;
    this.#runVetoed = false;
    this.#runGaps = 0;
    this.#runLength = 1;
    this.#runGap = 0;
    this.#runFirstStart = start;
    this.#runFirstStrength = strength;
    this.#runRef = strength;
    this.#runPrevStrength = strength;
    this.#recentCount = 0;
    this.#drift[0] = Infinity;
    this.#drift[1] = -Infinity;
    this.#drift[2] = Infinity;
    this.#drift[3] = -Infinity;
    this.#accRe[0] = 0;
    this.#accIm[0] = 0;
    this.#accRe[1] = 0;
    this.#accIm[1] = 0;
  }

  /** Keeps the held key down while its tones last (more leniently than to go down), else counts misses. */
  #hold(key: number, rest: number, start: number): void {
    const p = this.#power;
    const hr = this.#heldKey >> 2;
    const hc = (this.#heldKey & 3) + 4;
    const holds = p[hr]! >= this.#minPower / 2 && p[hc]! >= this.#minPower / 2 && p[hr]! + p[hc]! >= HOLD_SHARE * rest;
    if (holds && (key < 0 || key === this.#heldKey)) {
      this.#misses = 0;
      const s = Math.sqrt(p[hr]!) + Math.sqrt(p[hc]!);
      if (s > this.#heldRef) this.#heldRef = s;
      if (s >= 0.5 * this.#heldRef) this.#heldEnd = start + coveredSamples(Math.min(1, s / this.#heldRef));
    } else if (++this.#misses >= this.#releaseWindows) {
      this.#release();
    }
  }

  /** Adds this window's phase advance of bin k to the run's sum, weighted by its strength. */
  #accumulate(slot: number, k: number): void {
    const re = this.#advRe[k]!;
    const im = this.#advIm[k]!;
    const m = Math.sqrt(re * re + im * im);
    this.#accRe[slot] = this.#accRe[slot]! + re * m;
    this.#accIm[slot] = this.#accIm[slot]! + im * m;
  }

  /** Widens the run's range of deviation of bin k (slots `at`, `at + 1`) by this window's. */
  #track(at: number, k: number): number {
    const hz = Math.atan2(this.#advIm[k]!, this.#advRe[k]!) / this.#radiansPerHz;
    if (hz < this.#drift[at]!) this.#drift[at] = hz;
    if (hz > this.#drift[at + 1]!) this.#drift[at + 1] = hz;
    return hz;
  }

  /**
   * The barge-in path: over the last RECENT windows the pair filled alike, each tone within
   * `bargeTolerance` of nominal on average and moving less than `bargeDriftHz`.
   */
  #bargeSteady(r: number, c: number): boolean {
    const n = this.#recentCount < RECENT ? this.#recentCount : RECENT;
    if (n < this.#bargeSteadyWindows) return false;
    return this.#onPitch(this.#recentRow, n, FREQUENCIES[r]!) && this.#onPitch(this.#recentCol, n, FREQUENCIES[c]!);
  }

  #onPitch(ring: Float64Array, n: number, hz: number): boolean {
    let lo = Infinity;
    let hi = -Infinity;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = ring[i]!;
      sum += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi - lo <= this.#bargeDrift && Math.abs(sum / n) <= this.#bargeTolerance * hz;
  }

  /**
   * Whether the run's row and column are within tolerance of their nominal frequencies and steady:
   * a key's generator is crystal-locked, while a voice that lines up two harmonics on a row and a
   * column glides in pitch within a few windows, or swells and fades (no two windows alike).
   */
  #steady(r: number, c: number): boolean {
    const d = this.#drift;
    if (d[0]! > d[1]! || d[2]! > d[3]!) return false;
    // The weaker tone's phase carries more of the stronger one's leakage: allow it up to twice the drift.
    const p = this.#power;
    const rowSlack = Math.min(2, Math.max(1, Math.sqrt(p[c]! / p[r]!)));
    const colSlack = Math.min(2, Math.max(1, Math.sqrt(p[r]! / p[c]!)));
    if (d[1]! - d[0]! > this.#maxDrift * rowSlack || d[3]! - d[2]! > this.#maxDrift * colSlack) return false;
    const rowHz = Math.atan2(this.#accIm[0]!, this.#accRe[0]!) / this.#radiansPerHz;
    const colHz = Math.atan2(this.#accIm[1]!, this.#accRe[1]!) / this.#radiansPerHz;
    const column = FREQUENCIES[c]! + colHz;
    if (Math.abs(column - 2 * (FREQUENCIES[r]! + rowHz)) <= this.#octave * column) return false;
    return Math.abs(rowHz) <= this.#tolerance * FREQUENCIES[r]! && Math.abs(colHz) <= this.#tolerance * FREQUENCIES[c]!;
  }

  /** Bin k's deviation in Hz by this window's phase advance, limited to the tolerance. */
  #deviation(k: number): number {
    const hz = Math.atan2(this.#advIm[k]!, this.#advRe[k]!) / this.#radiansPerHz;
    const limit = this.#tolerance * FREQUENCIES[k]!;
    return hz > limit ? limit : hz < -limit ? -limit : hz;
  }

  /** The window's power gain on a tone `hz` off its bin (1 on it). */
  #gain(hz: number): number {
    const theta = (hz * this.#radiansPerHz) / HOP;
    let re = 0;
    let im = 0;
    for (let i = 0; i < SUBS; i++) {
      re += TAPER[i]! * Math.cos(theta * SUB * i);
      im -= TAPER[i]! * Math.sin(theta * SUB * i);
    }
    const half = theta / 2;
    const sub = Math.abs(half) < 1e-9 ? SUB : Math.sin(half * SUB) / Math.sin(half);
    return ((re * re + im * im) * sub * sub) / (TAPER_SUM * TAPER_SUM);
  }

  #release(): void {
    const k = this.#heldKey;
    this.#heldKey = -1;
    this.#misses = 0;
    this.#onKey({ key: keyAt(k >> 2, k & 3), down: false, sample: Math.round(this.#heldEnd) });
  }
}
