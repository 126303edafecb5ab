/**
 * The DTMF detector's analysis window: which frequencies it filters, how 32-sample sub-blocks make a
 * tapered 20 ms window every 8 ms, and what the taper does to a tone (its gain off a bin, how much of
 * a window a tone fills). docs/dtmf.md explains the choices.
 */
import { COLUMN_HZ, ROW_HZ } from './dtmf-keys.js';

/** Goertzel sub-block length; five make a window, a window every two (8 ms). */
export const SUB = 32;
export const HOP = 2 * SUB;
/** Window taper by sub-block (a stepped triangle: sidelobes 20-50 dB down where rows and columns lie). */
export const TAPER: readonly number[] = [1, 2, 3, 2, 1];
export const SUBS = TAPER.length;
export const WINDOW = SUBS * SUB;
/** Filters run four at a time, so twelve: the 8 key tones, dial tone (350, 440; 425 in Europe), a guard. */
export const FREQUENCIES: readonly number[] = [...ROW_HZ, ...COLUMN_HZ, 350, 440, 425, 1075];
export const BINS = FREQUENCIES.length;
/** The key tones' filters: rows 0-3, columns 4-7. */
export const KEY_BINS = 8;
export const DIAL_A = 8;
export const DIAL_B = 9;
export const DIAL_C = 10;
/** A guard between the groups, where a voice that puts harmonics on a row and a column has more. */
export const GUARD = 11;
/** Sum of the taper over the samples, and of its square. */
export const TAPER_SUM = SUB * TAPER.reduce((a, b) => a + b, 0);
export const TAPER_SQUARES = SUB * TAPER.reduce((a, b) => a + b * b, 0);
export const TAPER_SQUARED: readonly number[] = TAPER.map((t) => t * t);
/** From |DFT|^2 to the tone's share of the tapered energy. */
export const POWER_SCALE = (2 * TAPER_SQUARES) / (TAPER_SUM * TAPER_SUM);

/** Samples per filter block (sub-block) the detector hands `DtmfFilters`, always from sample 32n of its input. */
export const DTMF_FILTER_BLOCK = SUB;

/**
 * The filters' constants at a sample rate, as the detector holds them (float32): 2cos(w), cos(w)
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

/**
 * How many samples at one end of a window a tone covers, from its strength there relative to a
 * full window (the taper's cumulative sum, inverted).
 */
export function coveredSamples(ratio: number): number {
  let sum = 0;
  for (let i = 0; i < SUBS; i++) {
    const step = (SUB * TAPER[i]!) / TAPER_SUM;
    if (sum + step >= ratio) return SUB * (i + (ratio - sum) / step);
    sum += step;
  }
  return WINDOW;
}

/** The window's power gain on a tone `hz` off its bin (1 on it), with `radiansPerHz` the phase per Hz over a hop. */
export function windowGain(hz: number, radiansPerHz: number): number {
  const theta = (hz * radiansPerHz) / HOP;
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
