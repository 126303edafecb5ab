/**
 * DTMF test signals: key sequences at a level, twist and frequency offset, and what to mix into
 * them (seeded white noise, other audio at a relative level, dropouts). Used by tests, the bench and
 * `ringdown dtmf encode`; the sines come from the call-progress tone synthesizer.
 */
import { dbm0ToAmplitude, renderTone } from '../tones/synth.js';
import { keyFrequencies } from './dtmf-keys.js';

export interface DtmfSignalOptions {
  sampleRate?: number;
  /** Length of each tone (default 50 ms). */
  toneMs?: number;
  /** Silence between tones, and before the first and after the last (default 50 ms). */
  gapMs?: number;
  /** Level of the louder tone in dBm0 (default -10). */
  levelDbm0?: number;
  /** Row louder than column by this many dB (normal twist); negative for reverse twist. */
  twistDb?: number;
  /** Frequency deviation of the row and column tones, as fractions (0.015 is +1.5 %). */
  rowOffset?: number;
  columnOffset?: number;
}

/** Where a key's tone lies in a generated signal, in samples. */
export interface ToneSpan {
  key: string;
  start: number;
  end: number;
}

export interface DtmfSignal {
  samples: Int16Array;
  tones: ToneSpan[];
}

/** Renders `keys` (each of `0-9 * # A-D`; anything else is an error) as a DTMF signal. */
export function renderDtmf(keys: string, options: DtmfSignalOptions = {}): DtmfSignal {
  const rate = options.sampleRate ?? 8000;
  const tone = Math.round(((options.toneMs ?? 50) * rate) / 1000);
  const gap = Math.round(((options.gapMs ?? 50) * rate) / 1000);
  const level = options.levelDbm0 ?? -10;
  const twist = options.twistDb ?? 0;
  const samples = new Int16Array(gap + keys.length * (tone + gap));
  const scratch = new Int16Array(tone);
  const tones: ToneSpan[] = [];
  let at = gap;
  for (const key of keys) {
    const f = keyFrequencies(key);
    if (f === undefined) throw new Error(`'${key}' is not a DTMF key (0-9 * # A B C D)`);
    const parts: [number, number][] = [
      [f.row * (1 + (options.rowOffset ?? 0)), twist < 0 ? level + twist : level],
      [f.column * (1 + (options.columnOffset ?? 0)), twist > 0 ? level - twist : level],
    ];
    for (const [hz, dbm0] of parts) {
      renderTone({ name: key, frequencies: [hz], cadenceMs: [], levelDbm0: dbm0 }, rate, 0, scratch, 0, tone);
      mixInto(samples, scratch, at, 1);
    }
    tones.push({ key: key.toUpperCase(), start: at, end: at + tone });
    at += tone + gap;
  }
  return { samples, tones };
}

/** Adds `gain` times `source` into `target` from sample `at`, saturating at 16 bits. */
export function mixInto(target: Int16Array, source: ArrayLike<number>, at: number, gain: number): void {
  const end = Math.min(target.length, at + source.length);
  for (let i = Math.max(0, at); i < end; i++) {
    const v = target[i]! + gain * source[i - at]!;
    target[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
  }
}

/** Root mean square of samples [start, end). */
export function rms(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i]! * samples[i]!;
  return end > start ? Math.sqrt(sum / (end - start)) : 0;
}

/** RMS of a DTMF pair whose louder tone is at `levelDbm0` with `twistDb` between them. */
export function dtmfPairRms(levelDbm0: number, twistDb = 0): number {
  const a = dbm0ToAmplitude(levelDbm0);
  const b = dbm0ToAmplitude(levelDbm0 - Math.abs(twistDb));
  return Math.sqrt((a * a + b * b) / 2);
}

/** Deterministic uniform numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian white noise of the given RMS, deterministic for a seed. */
export function whiteNoise(count: number, rmsValue: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = rmsValue * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/**
 * RMS over the active parts of a signal (speech without its pauses): the 16 ms frames within 30 dB
 * of the loudest, a simple form of ITU-T P.56's active speech level.
 */
export function activeRms(samples: ArrayLike<number>): number {
  const frame = 128;
  let loudest = 0;
  for (let at = 0; at + frame <= samples.length; at += frame) loudest = Math.max(loudest, rms(samples, at, at + frame));
  let sum = 0;
  let n = 0;
  for (let at = 0; at + frame <= samples.length; at += frame) {
    const r = rms(samples, at, at + frame);
    if (r >= loudest / 31.6) {
      sum += r * r;
      n++;
    }
  }
  return n > 0 ? Math.sqrt(sum / n) : 0;
}

/** Mixes `other` into `target` (repeating it as needed) with its active level `relativeDb` to a reference RMS. */
export function mixAtLevel(target: Int16Array, other: Int16Array, referenceRms: number, relativeDb: number): void {
  const own = activeRms(other);
  if (own === 0 || other.length === 0) return;
  const gain = (referenceRms * Math.pow(10, relativeDb / 20)) / own;
  for (let at = 0; at < target.length; at += other.length) mixInto(target, other, at, gain);
}

/** Silences `ms` in the middle of every tone (a dropout that must not split a key). */
export function dropOut(signal: DtmfSignal, ms: number, sampleRate = 8000): void {
  const length = Math.round((ms * sampleRate) / 1000);
  for (const t of signal.tones) {
    const from = Math.floor((t.start + t.end - length) / 2);
    signal.samples.fill(0, from, from + length);
  }
}
