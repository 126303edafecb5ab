/**
 * The DTMF detector's run: consecutive windows that pass with one pair of tones (up to two failing
 * windows inside it forgiven), and what a key needs of them to go down: how many passed, the pair's
 * share and twist over the last ones, and each tone's frequency and its drift from the phase
 * advance between windows. Fixed-size rings; nothing allocated per window.
 */
import type { DtmfThresholds, RunSummary, WindowLevels } from './dtmf-thresholds.js';
import { FREQUENCIES, WINDOW, coveredSamples } from './dtmf-window.js';

/** Windows (the last ones the pair filled alike) over which the barge-in path judges its pitch. */
const RECENT = 3;
/** Windows of the run (the last ones) over which the pair's share of the energy is judged. */
const SHARE_WINDOWS = 8;

export class DtmfRun implements RunSummary {
  /** The pair (row * 4 + column), or -1 when there is no run. */
  key = -1;
  length = 0;
  /** Failing windows since the last passing one, and inside the run so far. */
  gap = 0;
  gaps = 0;
  /** Windows where the two tones hold `downShare` of the energy, and that pass the clean path. */
  strong = 0;
  strict = 0;
  /** The run's twist (row over column power) and its spread over the windows `share()` last used. */
  twist = 1;
  twistSpread = 1;
  /** The run failed the onset or harmonic check: it puts no key down. */
  vetoed = false;
  /** Its strongest window's strength, and where its tone ends (so far), from the last window it fills at least half. */
  ref = 0;
  end = 0;
  #firstStart = 0;
  #firstStrength = 0;
  #prevStrength = 0;
  readonly #t: DtmfThresholds;
  /** This window's phase advance per bin, less the bin's own (the filters' workspace). */
  readonly #advRe: Float64Array;
  readonly #advIm: Float64Array;
  /** The run's last windows (ring): the pair's strength, its power, the rest of the energy, the twist. */
  readonly #shareStrength = new Float64Array(SHARE_WINDOWS);
  readonly #sharePair = new Float64Array(SHARE_WINDOWS);
  readonly #shareRest = new Float64Array(SHARE_WINDOWS);
  readonly #shareTwist = new Float64Array(SHARE_WINDOWS);
  #shareCount = 0;
  // The run's phase advance of its row (0) and column (1), summed, weighted by strength.
  readonly #accRe = new Float64Array(2);
  readonly #accIm = new Float64Array(2);
  // Lowest and highest frequency deviation of the run's row (0, 1) and column (2, 3), in Hz.
  readonly #drift = new Float64Array(4);
  /** The run's last RECENT deviations of its row and column (rings), for the barge-in path. */
  readonly #recentRow = new Float64Array(RECENT);
  readonly #recentCol = new Float64Array(RECENT);
  #recentCount = 0;

  constructor(thresholds: DtmfThresholds, advRe: Float64Array, advIm: Float64Array) {
    this.#t = thresholds;
    this.#advRe = advRe;
    this.#advIm = advIm;
  }

  /** Ends the run. */
  clear(): void {
    this.key = -1;
    this.length = 0;
  }

  /** A window where no pair passes: forgiven inside a run up to twice in a row, else the run ends. */
  miss(): void {
    if (this.key >= 0 && this.gap < 2) {
      this.gap++;
      this.gaps++;
    } else {
      this.clear();
    }
  }

  /** A window where `key` passes (`valid`: the clean path; `strong`: holding `downShare`), starting at sample `start`. */
  add(key: number, w: WindowLevels, start: number, strong: boolean, valid: boolean): void {
    if (key !== this.key) {
      this.#begin(key, w, start);
      this.strong = strong ? 1 : 0;
      this.strict = valid ? 1 : 0;
      this.end = start + WINDOW;
      return;
    }
    const strength = w.strength;
    this.#addShare(w);
    this.length++;
    this.gap = 0;
    this.#accumulate(0, w.r);
    this.#accumulate(1, w.c);
    // Deviation per window, only between windows the tone fills alike (not onset or end).
    if (Math.min(strength, this.#prevStrength) >= 0.8 * Math.max(strength, this.#prevStrength)) {
      const rowHz = this.#track(0, w.r);
      const colHz = this.#track(2, w.c);
      const at = this.#recentCount++ % RECENT;
      this.#recentRow[at] = rowHz;
      this.#recentCol[at] = colHz;
    }
    this.#prevStrength = strength;
    if (strength > this.ref) this.ref = strength;
    if (strong) this.strong++;
    if (valid) this.strict++;
    if (strength >= 0.5 * this.ref) this.end = start + coveredSamples(Math.min(1, strength / this.ref));
  }

  /** The tone's first sample, from how much of the run's first window it filled. */
  onset(): number {
    const covered = coveredSamples(Math.min(1, this.#firstStrength / this.ref));
    return Math.round(this.#firstStart + WINDOW - covered);
  }

  #begin(key: number, w: WindowLevels, start: number): void {
    const strength = w.strength;
    this.key = key;
    this.vetoed = false;
    this.gaps = 0;
    this.length = 1;
    this.gap = 0;
    this.#firstStart = start;
    this.#firstStrength = strength;
    this.ref = strength;
    this.#prevStrength = strength;
    this.#recentCount = 0;
    this.#drift[0] = Infinity;
    this.#drift[1] = -Infinity;
    this.#drift[2] = Infinity;
    this.#drift[3] = -Infinity;
    this.#accRe[0] = 0;
    this.#accIm[0] = 0;
    this.#accRe[1] = 0;
    this.#accIm[1] = 0;
    this.#shareCount = 0;
    this.#addShare(w);
  }

  #addShare(w: WindowLevels): void {
    const at = this.#shareCount++ % SHARE_WINDOWS;
    this.#shareTwist[at] = w.pr / w.pc;
    this.#shareStrength[at] = w.strength;
    this.#sharePair[at] = w.pr + w.pc;
    this.#shareRest[at] = w.rest;
  }

  /**
   * The pair's share of the energy over the run's last windows that the tone fills (its strength
   * at least 0.75 of the run's strongest: not the onset, where the tone fills part of the window);
   * sets `twist` and `twistSpread` over the same windows.
   */
  share(): number {
    const n = this.#shareCount < SHARE_WINDOWS ? this.#shareCount : SHARE_WINDOWS;
    const floor = 0.75 * this.ref;
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
    this.twistSpread = Math.sqrt(hi / lo);
    this.twist = pair > 0 ? twistSum / pair : 1;
    return rest > 0 ? pair / rest : 0;
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
    const hz = Math.atan2(this.#advIm[k]!, this.#advRe[k]!) / this.#t.radiansPerHz;
    if (hz < this.#drift[at]!) this.#drift[at] = hz;
    if (hz > this.#drift[at + 1]!) this.#drift[at + 1] = hz;
    return hz;
  }

  /**
   * The clean path's pitch check: whether the run's row r and column c (this window's powers of
   * their bins, uncorrected: `rowPower`, `colPower`) are within tolerance of their nominal frequencies and steady. A key's generator is
   * crystal-locked, while a voice that lines up two harmonics on a row and a column glides in pitch
   * within a few windows, or swells and fades (no two windows alike).
   */
  steady(r: number, c: number, rowPower: number, colPower: number): boolean {
    const t = this.#t;
    const d = this.#drift;
    if (d[0]! > d[1]! || d[2]! > d[3]!) return false;
    // The weaker tone's phase carries more of the stronger one's leakage: allow it up to twice the drift.
    const rowSlack = Math.min(2, Math.max(1, Math.sqrt(colPower / rowPower)));
    const colSlack = Math.min(2, Math.max(1, Math.sqrt(rowPower / colPower)));
    if (d[1]! - d[0]! > t.maxDrift * rowSlack || d[3]! - d[2]! > t.maxDrift * colSlack) return false;
    const rowHz = Math.atan2(this.#accIm[0]!, this.#accRe[0]!) / t.radiansPerHz;
    const colHz = Math.atan2(this.#accIm[1]!, this.#accRe[1]!) / t.radiansPerHz;
    const column = FREQUENCIES[c]! + colHz;
    if (Math.abs(column - 2 * (FREQUENCIES[r]! + rowHz)) <= t.octave * column) return false;
    return Math.abs(rowHz) <= t.tolerance * FREQUENCIES[r]! && Math.abs(colHz) <= t.tolerance * FREQUENCIES[c]!;
  }

  /**
   * The barge-in path's pitch check: over the last RECENT windows the pair filled alike, each tone
   * within `bargeTolerance` of nominal on average and moving less than `bargeDriftHz`.
   */
  bargeSteady(r: number, c: number): boolean {
    const n = this.#recentCount < RECENT ? this.#recentCount : RECENT;
    if (n < this.#t.bargeSteadyWindows) return false;
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
    return hi - lo <= this.#t.bargeDrift && Math.abs(sum / n) <= this.#t.bargeTolerance * hz;
  }
}
