import type { ToneSpec } from './tone.js';

/** Linear amplitude of one sine at `dbm0`, for 16-bit samples where 0 dBm0 is 3.14 dB below full scale. */
export function dbm0ToAmplitude(dbm0: number): number {
  return 32767 * Math.pow(10, (dbm0 - 3.14) / 20);
}

/** Whether the tone sounds at `ms` into it, by its cadence. */
export function toneIsOn(tone: ToneSpec, ms: number): boolean {
  const cadence = tone.cadenceMs;
  if (cadence.length === 0) return true;
  let period = 0;
  for (const d of cadence) period += d;
  if (period <= 0) return true;
  let at = ms % period;
  for (let i = 0; i < cadence.length; i++) {
    if (at < cadence[i]!) return i % 2 === 0;
    at -= cadence[i]!;
  }
  return false;
}

/**
 * Renders a tone into `out` (sines summed, cadence applied), `count` samples from `offset`,
 * where sample `offset` is `startSample` samples after the tone began: phase stays continuous
 * across calls, so a player can render block by block.
 */
export function renderTone(
  tone: ToneSpec,
  sampleRate: number,
  startSample: number,
  out: Int16Array,
  offset: number,
  count: number,
): void {
  const amplitude = dbm0ToAmplitude(tone.levelDbm0);
  const freqs = tone.frequencies;
  for (let i = 0; i < count; i++) {
    const n = startSample + i;
    const ms = (n * 1000) / sampleRate;
    let v = 0;
    if (toneIsOn(tone, ms)) {
      for (let k = 0; k < freqs.length; k++) v += Math.sin((2 * Math.PI * freqs[k]! * n) / sampleRate);
      v *= amplitude;
    }
    out[offset + i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
}
