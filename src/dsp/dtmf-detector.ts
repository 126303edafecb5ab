/**
 * A software DTMF detector for 8 kHz 16-bit audio: blocks of samples in, key down / key up events
 * with sample times out. Pure (no host APIs), no allocation per block, so it runs on XS on the chip.
 * Its limits follow ITU-T Q.23 / Q.24 and Bellcore LSSGR TR-NWT-000506 §6, tightened on real
 * recordings. docs/dtmf.md describes the method, each check and where its limit comes from.
 *
 * Parts: `dtmf-window.ts` (the tapered window), `dtmf-filters.ts` (its arithmetic, replaceable by a
 * board's native one), `dtmf-thresholds.ts` (the limits, a clean and a barge-in set, and the checks),
 * `dtmf-run.ts` (the run of windows that puts a key down), `dtmf-onset.ts` (the checks at key down).
 */
import { DtmfFilterState, TS_DTMF_FILTERS, type DtmfFilters } from './dtmf-filters.js';
import { keyAt } from './dtmf-keys.js';
import { OnsetCheck, HarmonicCheck } from './dtmf-onset.js';
import type { DtmfDetectorOptions, DtmfKeyEvent } from './dtmf-options.js';
import { DtmfRun } from './dtmf-run.js';
import { dtmfThresholds, runPasses, windowPasses, type DtmfThresholds, type WindowLevels } from './dtmf-thresholds.js';
import {
  BINS,
  DIAL_A,
  DIAL_B,
  DIAL_C,
  FREQUENCIES,
  GUARD,
  SUB,
  SUBS,
  TAPER_SQUARED,
  WINDOW,
  coveredSamples,
  windowGain,
} from './dtmf-window.js';

export { TS_DTMF_FILTERS, type DtmfFilters, type DtmfTaperWork } from './dtmf-filters.js';
export { STRICT_DTMF_OPTIONS, type DtmfDetectorOptions, type DtmfKeyEvent } from './dtmf-options.js';
export { DTMF_FILTER_BLOCK, dtmfFilterConstants } from './dtmf-window.js';

/** A held key stays down while its tones hold this share and half the minimum level. */
const HOLD_SHARE = 0.3;

export class DtmfDetector {
  readonly #onKey: (event: DtmfKeyEvent) => void;
  readonly #filters: DtmfFilters;
  readonly #t: DtmfThresholds;
  readonly #state: DtmfFilterState;
  readonly #run: DtmfRun;
  readonly #onset: OnsetCheck;
  readonly #harmonic: HarmonicCheck;
  /** This window's levels (one object, refilled every window). */
  readonly #levels: WindowLevels = { r: 0, c: 4, pr: 0, pc: 0, rowNext: 0, colNext: 0, guard: 0, rest: 1, strength: 0 };
  /** Samples of a sub-block not yet complete. */
  readonly #buffer = new Int16Array(SUB);
  #filled = 0;
  #subBlocks = 0;
  #sample = 0;
  // The key that is down: its strongest window, where its tone ends so far, windows without it.
  #heldKey = -1;
  #heldRef = 0;
  #heldEnd = 0;
  #misses = 0;
  #enabled = true;

  constructor(options: DtmfDetectorOptions) {
    const rate = options.sampleRate ?? 8000;
    this.#onKey = options.onKey;
    this.#filters = options.filters ?? TS_DTMF_FILTERS;
    const t = dtmfThresholds(options, rate);
    this.#t = t;
    this.#state = new DtmfFilterState(rate);
    this.#run = new DtmfRun(t, this.#state.work.advRe, this.#state.work.advIm);
    this.#onset = new OnsetCheck(t.onset, t.onsetRank);
    this.#harmonic = new HarmonicCheck(t.harmonic, t.radiansPerHz);
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
    this.#run.clear();
  }

  /** While disabled, windows are still analysed (to stay in step) but no key goes down. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    if (!enabled) this.flush();
  }

  /** Runs every filter over the SUB samples of `src` from `at` and keeps each one's value for the sub-block. */
  #subBlock(src: Int16Array, at: number): void {
    const index = this.#subBlocks;
    const slot = index % SUBS;
    const state = this.#state;
    const work = state.work;
    const energy = this.#filters.energy(src, at, SUB);
    state.subEnergy[slot] = energy;
    if (energy < this.#t.quietEnergy) {
      // Too quiet to hold any part of a key: skip the filters (most of the cost) and store zeros.
      this.#harmonic.skip(index);
      const re = work.re;
      const im = work.im;
      for (let k = 0; k < BINS; k++) {
        re[k * SUBS + slot] = 0;
        im[k * SUBS + slot] = 0;
      }
    } else {
      this.#harmonic.keep(index, src, at);
      this.#filters.goertzel(src, at, SUB, state.coef, state.cos, state.sin, work.re, work.im, SUBS, slot);
    }
    this.#subBlocks = index + 1;
    if (this.#subBlocks >= SUBS && this.#subBlocks % 2 === 0) this.#endWindow();
  }

  /** Combines the last SUBS sub-blocks into the tapered window's DFT, power and phase advance. */
  #endWindow(): void {
    const first = this.#subBlocks % SUBS; // ring slot of the oldest sub-block
    const work = this.#state.work;
    const subEnergy = this.#state.subEnergy;
    let energy = 0;
    for (let i = 0; i < SUBS; i++) energy += TAPER_SQUARED[i]! * subEnergy[(first + i) % SUBS]!;
    if (energy < this.#t.minPower) {
      // Quieter than one tone at the minimum level: no key; skip the per-filter work.
      work.power.fill(0);
      work.lastRe.fill(0);
      work.lastIm.fill(0);
      work.advRe.fill(0);
      work.advIm.fill(0);
    } else {
      this.#filters.taper(work, first);
    }
    this.#decide(energy, this.#subBlocks * SUB - WINDOW);
  }

  /** Judges the window of `total` tapered energy that starts at sample `start`. */
  #decide(total: number, start: number): void {
    const t = this.#t;
    const w = this.#measure(total);
    const valid = this.#enabled && windowPasses(t.clean, t.minPower, w);
    const loose = valid || (this.#enabled && windowPasses(t.barge, t.minPower, w));
    const key = loose ? w.r * 4 + (w.c - 4) : -1;
    if (this.#heldKey >= 0) this.#hold(key, w.rest, start);
    const run = this.#run;
    if (key < 0) run.miss();
    else run.add(key, w, start, w.pr + w.pc >= t.downShare * w.rest, valid);
    const runShare = key >= 0 && key !== this.#heldKey ? run.share() : 0;
    if (this.#heldKey < 0 && key >= 0 && run.gap === 0 && !run.vetoed && this.#runPasses(valid, runShare))
      this.#down(start);
    this.#onset.keep(this.#state.work.power);
  }

  /** This window's strongest row and column and the levels the checks need. */
  #measure(total: number): WindowLevels {
    const p = this.#state.work.power;
    const w = this.#levels;
    let r = 0;
    for (let k = 1; k < 4; k++) if (p[k]! > p[r]!) r = k;
    let c = 4;
    for (let k = 5; k < 8; k++) if (p[k]! > p[c]!) c = k;
    let rowNext = 0;
    let colNext = 0;
    for (let k = 0; k < 4; k++) if (k !== r && p[k]! > rowNext) rowNext = p[k]!;
    for (let k = 4; k < 8; k++) if (k !== c && p[k]! > colNext) colNext = p[k]!;
    w.r = r;
    w.c = c;
    w.rowNext = rowNext;
    w.colNext = colNext;
    // Each tone's power, allowing for what the window loses on a tone off its bin (up to 2.3 dB at
    // 1.5 %), from this window's phase advance.
    w.pr = p[r]! / windowGain(this.#deviation(r), this.#t.radiansPerHz);
    w.pc = p[c]! / windowGain(this.#deviation(c), this.#t.radiansPerHz);
    w.guard = p[GUARD]!;
    // Dial tone: 350 + 440 Hz, or 425 Hz (which the 440 Hz filter also hears: take the larger).
    w.rest = Math.max(total - p[DIAL_A]! - Math.max(p[DIAL_B]!, p[DIAL_C]!), 1);
    w.strength = Math.sqrt(w.pr) + Math.sqrt(w.pc);
    return w;
  }

  /** Whether the run passes either path (`valid`: this window passed the clean one), `share` its pair's share. */
  #runPasses(valid: boolean, share: number): boolean {
    const run = this.#run;
    const { r, c } = this.#levels;
    const p = this.#state.work.power;
    if (valid && runPasses(this.#t.clean, run, share) && run.steady(r, c, p[r]!, p[c]!)) return true;
    return runPasses(this.#t.barge, run, share) && run.bargeSteady(r, c);
  }

  /** Puts the run's key down, unless it is too short or fails the onset or harmonic check (which veto the run). */
  #down(start: number): void {
    const run = this.#run;
    const { r, c } = this.#levels;
    const down = run.onset();
    if (run.end - down < this.#t.minTone) return;
    if (
      this.#onset.startedBefore(this.#state.work.power, r, c, down, start) ||
      !this.#harmonic.ok(FREQUENCIES[r]!, this.#subBlocks)
    ) {
      run.vetoed = true;
      return;
    }
    this.#heldKey = run.key;
    this.#heldRef = run.ref;
    this.#heldEnd = run.end;
    this.#misses = 0;
    this.#onKey({ key: keyAt(r, c - 4), down: true, sample: down });
  }

  /** Keeps the held key down while its tones last (more leniently than to go down), else counts misses. */
  #hold(key: number, rest: number, start: number): void {
    const p = this.#state.work.power;
    const minPower = this.#t.minPower;
    const hr = this.#heldKey >> 2;
    const hc = (this.#heldKey & 3) + 4;
    const holds = p[hr]! >= minPower / 2 && p[hc]! >= minPower / 2 && p[hr]! + p[hc]! >= HOLD_SHARE * rest;
    if (holds && (key < 0 || key === this.#heldKey)) {
      this.#misses = 0;
      const s = Math.sqrt(p[hr]!) + Math.sqrt(p[hc]!);
      if (s > this.#heldRef) this.#heldRef = s;
      if (s >= 0.5 * this.#heldRef) this.#heldEnd = start + coveredSamples(Math.min(1, s / this.#heldRef));
    } else if (++this.#misses >= this.#t.releaseWindows) {
      this.#release();
    }
  }

  /** Bin k's deviation in Hz by this window's phase advance, limited to the tolerance. */
  #deviation(k: number): number {
    const work = this.#state.work;
    const hz = Math.atan2(work.advIm[k]!, work.advRe[k]!) / this.#t.radiansPerHz;
    const limit = this.#t.tolerance * FREQUENCIES[k]!;
    return hz > limit ? limit : hz < -limit ? -limit : hz;
  }

  #release(): void {
    const k = this.#heldKey;
    this.#heldKey = -1;
    this.#misses = 0;
    this.#onKey({ key: keyAt(k >> 2, k & 3), down: false, sample: Math.round(this.#heldEnd) });
  }
}
