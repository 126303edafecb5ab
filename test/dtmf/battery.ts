/**
 * The DTMF bench battery: named conditions, each a signal and what a Q.24 receiver should find in
 * it (`keys`: every key, nothing else; `none`: nothing; `any`: Q.24 leaves it open, shown only).
 */
import { syntheticSpeech } from './synthetic-speech.js';
import { DTMF_KEYS } from '../../src/dsp/dtmf-keys.js';
import {
  dropOut,
  dtmfPairRms,
  mixAtLevel,
  mixInto,
  renderDtmf,
  seededRandom,
  whiteNoise,
  type DtmfSignalOptions,
} from '../../src/dsp/dtmf-signal.js';
import { renderTone } from '../../src/tones/synth.js';

export type Want = 'keys' | 'none' | 'any';

export interface Condition {
  name: string;
  want: Want;
  samples: Int16Array;
  /** The keys sent, in order ('' for none). */
  keys: string;
}

const KEYS = DTMF_KEYS.repeat(2);

function keys(name: string, want: Want, options: DtmfSignalOptions, mix?: (s: Int16Array) => void): Condition {
  const signal = renderDtmf(KEYS, { gapMs: 50.125, ...options });
  mix?.(signal.samples);
  return { name, want, samples: signal.samples, keys: want === 'none' ? '' : KEYS };
}

function noise(snrDb: number, levelDbm0 = -10, twistDb = 0, seed = 1): (s: Int16Array) => void {
  return (s) =>
    mixInto(s, whiteNoise(s.length, dtmfPairRms(levelDbm0, twistDb) / Math.pow(10, snrDb / 20), seed), 0, 1);
}

function dialTone(levelDbm0: number): (s: Int16Array) => void {
  return (s) => {
    const tone = new Int16Array(s.length);
    renderTone({ name: 'dial', frequencies: [350, 440], cadenceMs: [], levelDbm0 }, 8000, 0, tone, 0, tone.length);
    mixInto(s, tone, 0, 1);
  };
}

/**
 * Seeded synthetic music: three-note chords and a melody on an equal-tempered scale, each note six
 * decaying harmonics (a plucked-string colour), 120 bpm.
 */
export function syntheticMusic(seconds: number, seed: number): Int16Array {
  const out = new Float32Array(seconds * 8000);
  const random = seededRandom(seed);
  const note = (midi: number, at: number, length: number, gain: number): void => {
    const hz = 440 * Math.pow(2, (midi - 69) / 12);
    for (let h = 1; h <= 6 && hz * h < 3800; h++) {
      const w = (2 * Math.PI * hz * h) / 8000;
      for (let i = 0; i < length && at + i < out.length; i++)
        out[at + i]! += (gain / h) * Math.exp(-i / (length / 3)) * Math.sin(w * i);
    }
  };
  for (let beat = 0; beat * 4000 < out.length; beat++) {
    const root = 55 + Math.floor(random() * 24);
    if (beat % 2 === 0) for (const step of [0, 4, 7]) note(root + step, beat * 4000, 8000, 2500);
    note(67 + Math.floor(random() * 24), beat * 4000 + (random() < 0.5 ? 0 : 2000), 2000, 3500);
  }
  const samples = new Int16Array(out.length);
  for (let i = 0; i < out.length; i++) samples[i] = Math.max(-32768, Math.min(32767, Math.round(out[i]!)));
  return samples;
}

/** Every condition of the bench; speech comes from (and is cached in) `speechDir`. */
export function battery(speechDir: string): Condition[] {
  const speech = syntheticSpeech(speechDir, 600);
  const list: Condition[] = [keys('nominal, 50 ms on / 50 off, -10 dBm0', 'keys', {})];
  for (const ms of [60, 50, 45, 40, 35, 30, 25, 23, 20]) {
    list.push(
      keys(`duration ${ms} ms, 40 ms pause`, ms >= 40 ? 'keys' : ms <= 23 ? 'none' : 'any', {
        toneMs: ms,
        gapMs: 40.125,
      }),
    );
  }
  for (const pct of [1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 4, -4]) {
    const want: Want = Math.abs(pct) <= 1.5 ? 'keys' : Math.abs(pct) >= 3.5 ? 'none' : 'any';
    list.push(
      keys(`frequency ${pct > 0 ? '+' : ''}${pct} % (both tones)`, want, {
        rowOffset: pct / 100,
        columnOffset: pct / 100,
      }),
    );
  }
  list.push(keys('frequency row +1.5 %, column -1.5 %', 'keys', { rowOffset: 0.015, columnOffset: -0.015 }));
  list.push(keys('frequency row -1.5 %, column +1.5 %', 'keys', { rowOffset: -0.015, columnOffset: 0.015 }));
  list.push(keys('twist +8 dB (normal)', 'keys', { twistDb: 8 }));
  list.push(keys('twist -4 dB (reverse)', 'keys', { twistDb: -4 }));
  list.push(keys('twist +8 dB, tones 1.5 % apart', 'keys', { twistDb: 8, rowOffset: -0.015, columnOffset: 0.015 }));
  list.push(keys('twist -4 dB, tones 1.5 % apart', 'keys', { twistDb: -4, rowOffset: 0.015, columnOffset: -0.015 }));
  list.push(keys('twist +12 dB', 'any', { twistDb: 12 }));
  list.push(keys('twist -8 dB', 'any', { twistDb: -8 }));
  for (const level of [0, -10, -20, -25, -30, -40]) {
    list.push(keys(`level ${level} dBm0 per tone`, level >= -25 ? 'keys' : 'any', { levelDbm0: level }));
  }
  for (const snr of [30, 20, 15, 10])
    list.push(keys(`white noise, SNR ${snr} dB`, snr >= 15 ? 'keys' : 'any', {}, noise(snr, -10, 0, snr)));
  list.push(keys('white noise 15 dB, -25 dBm0', 'keys', { levelDbm0: -25 }, noise(15, -25, 0, 7)));
  list.push(
    keys(
      'noise 15 dB + twist +8 dB + 1.5 % apart',
      'keys',
      { twistDb: 8, rowOffset: -0.015, columnOffset: 0.015 },
      noise(15, -10, 8, 8),
    ),
  );
  list.push(keys('dial tone 350+440 at the keys level', 'keys', {}, dialTone(-10)));
  list.push(keys('dial tone 10 dB above the keys', 'any', {}, dialTone(0)));
  list.push(
    keys('speech 10 dB below the keys (barge-in)', 'keys', {}, (s) =>
      mixAtLevel(s, speech.subarray(8000 * 60, 8000 * 120), dtmfPairRms(-10), -10),
    ),
  );
  list.push(
    keys('speech 10 dB below, twist -4 dB', 'any', { twistDb: -4 }, (s) =>
      mixAtLevel(s, speech.subarray(8000 * 200, 8000 * 260), dtmfPairRms(-10, 4), -10),
    ),
  );
  list.push(
    keys('dropout 10 ms in 100 ms tones', 'keys', { toneMs: 100 }, (s) =>
      dropOut({ samples: s, tones: tonesOf(s, 100) }, 10),
    ),
  );
  list.push({
    name: `talk-off: ${Math.round(speech.length / 8000)} s espeak-ng speech`,
    want: 'none',
    samples: speech,
    keys: '',
  });
  list.push({ name: 'talk-off: 300 s synthetic music', want: 'none', samples: syntheticMusic(300, 5), keys: '' });
  list.push({
    name: 'talk-off: 60 s white noise',
    want: 'none',
    samples: Int16Array.from(whiteNoise(8000 * 60, dtmfPairRms(-10), 9), (v) => Math.round(v)),
    keys: '',
  });
  return list;
}

/** Where the tones of a `keys()` signal with `toneMs` lie (for dropouts after mixing). */
function tonesOf(samples: Int16Array, toneMs: number): { key: string; start: number; end: number }[] {
  return renderDtmf(KEYS, { gapMs: 50.125, toneMs }).tones.filter((t) => t.end <= samples.length);
}
