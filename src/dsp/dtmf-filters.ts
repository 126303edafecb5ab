/**
 * The DTMF detector's arithmetic (the part of its cost that grows with the samples and the
 * filters): each 32-sample sub-block's energy and Goertzel filters, and each window's tapered DFT.
 * `TS_DTMF_FILTERS` is the reference; a board may pass a native one (drivers/dtmf-native/dtmf-native.c).
 */
import { BINS, FREQUENCIES, HOP, KEY_BINS, POWER_SCALE, SUB, SUBS, TAPER, dtmfFilterConstants } from './dtmf-window.js';

/**
 * What one window's taper works on: the sub-blocks' values (rings), the constants, and where the
 * results go. The detector allocates one and passes it for every window; `TS_DTMF_FILTERS.taper`
 * documents what each array holds.
 */
export interface DtmfTaperWork {
  /** Each filter's block values, `taps` per filter (`goertzel`'s `re`/`im` with stride `taps`). */
  readonly re: Float32Array;
  readonly im: Float32Array;
  /** Filter k's taps: taper times e^{-jw SUB i}, at k * taps + i. */
  readonly tapRe: Float32Array;
  readonly tapIm: Float32Array;
  readonly taps: number;
  /** From |w|^2 to power. */
  readonly scale: number;
  /** Out: each filter's power (its length is the number of filters). */
  readonly power: Float32Array;
  /** In and out: each filter's last window value. */
  readonly lastRe: Float32Array;
  readonly lastIm: Float32Array;
  /** Each filter's own phase advance over a hop, conjugated: e^{-jw HOP}. */
  readonly rotRe: Float32Array;
  readonly rotIm: Float32Array;
  /** Out: the phase advance since the last window, less the filter's own, for the first `advanced` filters. */
  readonly advRe: Float64Array;
  readonly advIm: Float64Array;
  readonly advanced: number;
}

/**
 * The detector's arithmetic; everything it decides stays in TypeScript. A native implementation
 * (C in a Moddable module, drivers/dtmf-native/dtmf-native.c) must give the numbers `TS_DTMF_FILTERS`
 * gives, bit for bit: doubles throughout (as JavaScript numbers), every operation in the same
 * order, the Float32Arrays read as float32 and stored rounded to float32 (the Float64Arrays as
 * doubles).
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
   * Each filter k's (k below `work.power.length`) tapered window: the sum over i below `taps` of
   * its block value at ring slot (first + i) % taps times tap[k * taps + i] (complex);
   * `power[k] = scale |w|^2`; for k below `advanced`, the phase advance since the last window,
   * `adv[k] = w conj(last[k]) rot[k]`; then `last[k] = w`.
   */
  taper(work: DtmfTaperWork, first: number): void;
}

/**
 * The detector's own arithmetic, the reference for a native `DtmfFilters`. Goertzel filters four
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
      let a0 = 0,
        b0 = 0,
        a1 = 0,
        b1 = 0,
        a2 = 0,
        b2 = 0,
        a3 = 0,
        b3 = 0;
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
  taper(work, first) {
    const { re, im, tapRe, tapIm, taps, scale, power, lastRe, lastIm, rotRe, rotIm, advRe, advIm, advanced } = work;
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
 * The detector's filter state at a sample rate: the Goertzel constants, the sub-blocks' rings and
 * the taper's workspace (allocated once; nothing per block).
 */
export class DtmfFilterState {
  /** Per-bin constants: 2cos(w), cos(w), sin(w). */
  readonly coef: Float32Array;
  readonly cos: Float32Array;
  readonly sin: Float32Array;
  /** The last SUBS sub-blocks' energies (ring). */
  readonly subEnergy = new Float64Array(SUBS);
  readonly work: DtmfTaperWork;

  constructor(rate: number) {
    ({ coef: this.coef, cos: this.cos, sin: this.sin } = dtmfFilterConstants(rate));
    const rotRe = new Float32Array(BINS);
    const rotIm = new Float32Array(BINS);
    const tapRe = new Float32Array(BINS * SUBS);
    const tapIm = new Float32Array(BINS * SUBS);
    for (let k = 0; k < BINS; k++) {
      const w = (2 * Math.PI * FREQUENCIES[k]!) / rate;
      rotRe[k] = Math.cos(w * HOP);
      rotIm[k] = -Math.sin(w * HOP);
      for (let i = 0; i < SUBS; i++) {
        tapRe[k * SUBS + i] = TAPER[i]! * Math.cos(w * SUB * i);
        tapIm[k * SUBS + i] = -TAPER[i]! * Math.sin(w * SUB * i);
      }
    }
    // Normalised so a steady tone's power equals its share of the tapered energy; phase advances of the key bins.
    this.work = {
      re: new Float32Array(BINS * SUBS),
      im: new Float32Array(BINS * SUBS),
      tapRe,
      tapIm,
      taps: SUBS,
      scale: POWER_SCALE,
      power: new Float32Array(BINS),
      lastRe: new Float32Array(BINS),
      lastIm: new Float32Array(BINS),
      rotRe,
      rotIm,
      advRe: new Float64Array(BINS),
      advIm: new Float64Array(BINS),
      advanced: KEY_BINS,
    };
  }
}
