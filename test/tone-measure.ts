/** Measuring tones in rendered samples, for the WAV tests: Goertzel power and on/off cadence. */

/**
 * Goertzel's algorithm: the power of `freq` in `samples` (the squared magnitude of one DFT bin,
 * normalised by N² so a full-scale sine gives about 0.25 whatever the window length).
 */
export function goertzel(samples: ArrayLike<number>, freq: number, sampleRate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]! / 32768 + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const n = samples.length;
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n);
}

/**
 * The lengths in ms of alternating sound/silence runs, judged `blockMs` at a time (a block is
 * sound when its RMS is above `threshold` of full scale). The first run is sound.
 */
export function cadence(samples: Int16Array, sampleRate: number, blockMs = 5, threshold = 0.01): number[] {
  const block = Math.round((sampleRate * blockMs) / 1000);
  const runs: number[] = [];
  let on = true;
  let length = 0;
  for (let at = 0; at + block <= samples.length; at += block) {
    let sum = 0;
    for (let i = at; i < at + block; i++) sum += (samples[i]! / 32768) ** 2;
    const sound = Math.sqrt(sum / block) > threshold;
    if (sound !== on) {
      runs.push(length);
      on = sound;
      length = 0;
    }
    length += blockMs;
  }
  runs.push(length);
  return runs;
}
