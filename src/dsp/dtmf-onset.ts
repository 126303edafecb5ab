/**
 * The two checks the DTMF detector makes only when a key is about to go down: its tones must start
 * together from nothing (onset), and its row must have no third harmonic (an instrument's note has
 * one, a key's generator does not). Each keeps what it needs of the past in a fixed ring.
 */
import { HOP, KEY_BINS, SUB, WINDOW } from './dtmf-window.js';

/** Windows (before the run) kept for the onset check, and how many of them it looks at. */
const PAST = 32;
const ONSET_WINDOWS = 6;
/** Samples kept for the harmonic check (a power of two), and its window. */
const RING = 512;
const HARMONIC_WINDOW = 256;

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

/** The key bins' powers of the last PAST windows, and the onset check on them. */
export class OnsetCheck {
  /** The last PAST windows' powers of the eight key bins (ring), and where the ring is. */
  readonly #past = new Float32Array(PAST * KEY_BINS);
  #count = 0;
  readonly #lowR = new Float64Array(4);
  readonly #lowC = new Float64Array(4);
  readonly #onset: number;
  readonly #rank: number;

  /** `onset`: largest power ratio before the tone to now; `rank`: which quietest window is taken (1-4). */
  constructor(onset: number, rank: number) {
    this.#onset = onset;
    this.#rank = rank;
  }

  /** Keeps this window's key-bin powers for the onset check of later runs. */
  keep(p: Float32Array): void {
    const at = (this.#count++ % PAST) * KEY_BINS;
    const past = this.#past;
    for (let k = 0; k < KEY_BINS; k++) past[at + k] = p[k]!;
  }

  /**
   * Whether row r or column c (powers `p`) was already sounding before the tone's start `down`,
   * with `start` this window's first sample: in each of the last ONSET_WINDOWS windows that end
   * before it, at least `onset` against this window (the key).
   */
  startedBefore(p: Float32Array, r: number, c: number, down: number, start: number): boolean {
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
      const at = ((((this.#count - j) % PAST) + PAST) % PAST) * KEY_BINS;
      insertLow(lowR, this.#past[at + r]!);
      insertLow(lowC, this.#past[at + c]!);
      seen++;
    }
    const rank = this.#rank - 1;
    return !(seen > rank && lowR[rank]! <= p[r]! * this.#onset && lowC[rank]! <= p[c]! * this.#onset);
  }
}

/** The last RING samples of the input (loud sub-blocks only) and the harmonic check on them. */
export class HarmonicCheck {
  /** The samples (ring by sub-block) and a Hann window. */
  readonly #recent = new Int16Array(RING);
  readonly #hann = new Float32Array(HARMONIC_WINDOW);
  /** Whether each sub-block of the ring was loud enough to be kept (else it reads as silence). */
  readonly #loud = new Uint8Array(RING / SUB);
  readonly #harmonic: number;
  readonly #radiansPerHz: number;

  /** `harmonic`: largest power ratio of the third harmonic to the row; `radiansPerHz`: phase per Hz over a hop. */
  constructor(harmonic: number, radiansPerHz: number) {
    this.#harmonic = harmonic;
    this.#radiansPerHz = radiansPerHz;
    for (let i = 0; i < HARMONIC_WINDOW; i++)
      this.#hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / HARMONIC_WINDOW);
  }

  /** Sub-block number `index` was too quiet to keep: it reads as silence. */
  skip(index: number): void {
    this.#loud[index & (RING / SUB - 1)] = 0;
  }

  /** Keeps sub-block number `index`, the SUB samples of `src` from `at`. */
  keep(index: number, src: Int16Array, at: number): void {
    const recent = this.#recent;
    for (let n = at, end = at + SUB, j = (index * SUB) & (RING - 1); n < end; n++, j++) recent[j] = src[n]!;
    this.#loud[index & (RING / SUB - 1)] = 1;
  }

  /**
   * Whether the third harmonic of `hz`, over the last HARMONIC_WINDOW samples before sub-block
   * number `next` (Hann), is at most `harmonic` against `hz`.
   */
  ok(hz: number, next: number): boolean {
    return this.#power(3 * hz, next) <= this.#harmonic * this.#power(hz, next);
  }

  #power(hz: number, next: number): number {
    const w = (hz * this.#radiansPerHz) / HOP;
    const c = 2 * Math.cos(w);
    const recent = this.#recent;
    const hann = this.#hann;
    const loud = this.#loud;
    let a = 0;
    let b = 0;
    for (
      let i = 0, j = (next * SUB - HARMONIC_WINDOW) & (RING - 1);
      i < HARMONIC_WINDOW;
      i++, j = (j + 1) & (RING - 1)
    ) {
      const x = loud[(j / SUB) | 0] === 1 ? recent[j]! : 0;
      const s = x * hann[i]! + c * a - b;
      b = a;
      a = s;
    }
    return a * a + b * b - c * a * b;
  }
}
