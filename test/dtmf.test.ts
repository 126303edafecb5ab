/**
 * The software DTMF receiver against the conformance targets of ITU-T Q.24 / Bellcore LSSGR, on
 * generated signals, each limit just inside (accepted) and just outside (rejected).
 */
import t from 'tap';
import { dbm0ToAmplitude, renderTone } from '../src/tones/synth.js';
import { decodeDtmf } from '../src/dsp/dtmf-decode.js';
import { DTMF_KEYS, keyFrequencies } from '../src/dsp/dtmf-keys.js';
import { DtmfDetector, type DtmfKeyEvent } from '../src/dsp/dtmf-detector.js';
import {
  dropOut,
  dtmfPairRms,
  mixInto,
  renderDtmf,
  whiteNoise,
  type DtmfSignalOptions,
} from '../src/dsp/dtmf-signal.js';

/** Keys found in a signal of all 16 keys rendered with `options` (and `mix` applied). */
function found(options: DtmfSignalOptions, mix?: (samples: Int16Array) => void): string {
  const signal = renderDtmf(DTMF_KEYS, options);
  mix?.(signal.samples);
  return decodeDtmf(signal.samples)
    .map((k) => k.key)
    .join('');
}

function noise(levelDbm0: number, twistDb: number, snrDb: number, seed: number): (s: Int16Array) => void {
  return (s) =>
    mixInto(s, whiteNoise(s.length, dtmfPairRms(levelDbm0, twistDb) / Math.pow(10, snrDb / 20), seed), 0, 1);
}

t.test('all 16 keys, with their start and end within 3 ms', async (t) => {
  const signal = renderDtmf(DTMF_KEYS, { toneMs: 60, gapMs: 60 });
  const keys = decodeDtmf(signal.samples);
  t.equal(keys.map((k) => k.key).join(''), DTMF_KEYS);
  for (let i = 0; i < keys.length; i++) {
    t.ok(
      Math.abs(keys[i]!.start - signal.tones[i]!.start) <= 24,
      `${keys[i]!.key} starts at ${keys[i]!.start}, tone at ${signal.tones[i]!.start}`,
    );
    t.ok(
      Math.abs(keys[i]!.end - signal.tones[i]!.end) <= 24,
      `${keys[i]!.key} ends at ${keys[i]!.end}, tone at ${signal.tones[i]!.end}`,
    );
  }
});

t.test('events do not depend on how the audio is cut into blocks', async (t) => {
  const signal = renderDtmf('159#', { toneMs: 45, gapMs: 45 });
  const run = (block: number): DtmfKeyEvent[] => {
    const events: DtmfKeyEvent[] = [];
    const d = new DtmfDetector({ onKey: (e) => events.push(e) });
    for (let at = 0; at < signal.samples.length; at += block)
      d.push(signal.samples, at, Math.min(block, signal.samples.length - at));
    d.flush();
    return events;
  };
  const whole = run(signal.samples.length);
  t.equal(whole.length, 8);
  t.same(run(1), whole);
  t.same(run(7), whole);
  t.same(run(160), whole);
  t.same(
    whole.map((e) => `${e.key}${e.down ? 'v' : '^'}`),
    ['1v', '1^', '5v', '5^', '9v', '9^', '#v', '#^'],
  );
});

t.test('frequency: +/-1.5 % accepted, +/-3.5 % rejected, on the row, the column and both', async (t) => {
  for (const sign of [1, -1]) {
    for (const [name, row, column] of [
      ['row', 1, 0],
      ['column', 0, 1],
      ['both', 1, 1],
    ] as const) {
      const at = (pct: number): DtmfSignalOptions => ({
        rowOffset: (row * sign * pct) / 100,
        columnOffset: (column * sign * pct) / 100,
      });
      t.equal(found(at(1.5)), DTMF_KEYS, `${name} ${sign * 1.5} %`);
      t.equal(found(at(3.5)), '', `${name} ${sign * 3.5} %`);
    }
  }
});

t.test('duration: 40 ms tones with 40 ms pauses accepted, 22 ms tones rejected', async (t) => {
  // 40.125 ms pauses move each tone 1 sample against the receiver's 8 ms windows, over 64 tones.
  const four = DTMF_KEYS.repeat(4);
  const accept = renderDtmf(four, { toneMs: 40, gapMs: 40.125 });
  t.equal(
    decodeDtmf(accept.samples)
      .map((k) => k.key)
      .join(''),
    four,
  );
  const reject = renderDtmf(four, { toneMs: 22, gapMs: 40.125 });
  t.same(decodeDtmf(reject.samples), []);
});

t.test('twist: 8 dB normal and 4 dB reverse accepted; 12 dB normal and 8 dB reverse rejected', async (t) => {
  t.equal(found({ twistDb: 8 }), DTMF_KEYS);
  t.equal(found({ twistDb: -4 }), DTMF_KEYS);
  t.equal(found({ twistDb: 12 }), '');
  t.equal(found({ twistDb: -8 }), '');
  t.equal(found({ twistDb: 8, rowOffset: -0.015, columnOffset: 0.015 }), DTMF_KEYS, 'with the tones 1.5 % apart');
});

t.test('level: 0 to -25 dBm0 per tone accepted, -40 dBm0 rejected', async (t) => {
  for (const level of [0, -10, -25]) t.equal(found({ levelDbm0: level }), DTMF_KEYS, `${level} dBm0`);
  t.equal(found({ levelDbm0: -25, twistDb: 8 }), DTMF_KEYS, '-25 dBm0 with 8 dB twist');
  t.equal(found({ levelDbm0: -40 }), '');
});

t.test('white noise at 15 dB SNR (seeded), at -10 and -25 dBm0', async (t) => {
  t.equal(found({}, noise(-10, 0, 15, 1)), DTMF_KEYS);
  t.equal(found({ levelDbm0: -25 }, noise(-25, 0, 15, 2)), DTMF_KEYS);
  t.equal(found({ toneMs: 40, gapMs: 40 }, noise(-10, 0, 15, 3)), DTMF_KEYS, '40 ms tones');
  t.same(
    decodeDtmf(
      whiteNoise(8000 * 20, dtmfPairRms(-10), 4).reduce((s, v, i) => ((s[i] = v), s), new Int16Array(8000 * 20)),
    ),
    [],
    'noise alone: no key',
  );
});

t.test('a 10 ms dropout does not split a key; a 40 ms gap does', async (t) => {
  const short = renderDtmf(DTMF_KEYS, { toneMs: 100 });
  dropOut(short, 10);
  t.equal(
    decodeDtmf(short.samples)
      .map((k) => k.key)
      .join(''),
    DTMF_KEYS,
  );
  const long = renderDtmf(DTMF_KEYS, { toneMs: 120 });
  dropOut(long, 40);
  t.equal(
    decodeDtmf(long.samples)
      .map((k) => k.key)
      .join(''),
    [...DTMF_KEYS].map((k) => k + k).join(''),
  );
});

t.test('dial tone (350 + 440 Hz) at the keys level does not mask them, nor is a key', async (t) => {
  const dial = (s: Int16Array): void => {
    const tone = new Int16Array(s.length);
    renderTone({ name: 'dial', frequencies: [350, 440], cadenceMs: [], levelDbm0: -10 }, 8000, 0, tone, 0, tone.length);
    mixInto(s, tone, 0, 1);
  };
  t.equal(found({ levelDbm0: -10 }, dial), DTMF_KEYS);
  const alone = new Int16Array(8000 * 5);
  dial(alone);
  t.same(decodeDtmf(alone), []);
});

t.test('disabled, the receiver reports nothing; a key down when disabled goes up', async (t) => {
  const signal = renderDtmf('5', { toneMs: 300 });
  const events: DtmfKeyEvent[] = [];
  const d = new DtmfDetector({ onKey: (e) => events.push(e) });
  d.push(signal.samples, 0, 1600);
  t.same(
    events.map((e) => e.down),
    [true],
  );
  d.setEnabled(false);
  t.same(
    events.map((e) => e.down),
    [true, false],
  );
  d.push(signal.samples, 1600);
  t.equal(events.length, 2);
  t.equal(d.sample, signal.samples.length);
});

t.test('the generator: key frequencies, levels, and a clear error for a non-key', async (t) => {
  t.same(keyFrequencies('5'), { row: 770, column: 1336 });
  t.same(keyFrequencies('d'), { row: 941, column: 1633 });
  t.equal(keyFrequencies('x'), undefined);
  t.throws(() => renderDtmf('12x'), /'x' is not a DTMF key/);
  const one = renderDtmf('1', { levelDbm0: -10, toneMs: 100, gapMs: 0 });
  let peak = 0;
  for (const v of one.samples) peak = Math.max(peak, Math.abs(v));
  t.ok(peak > 1.9 * dbm0ToAmplitude(-10) && peak <= 2 * dbm0ToAmplitude(-10) + 1, `peak ${peak}`);
});

/** Two tones of a level each following its own envelope (dB against -10 dBm0, over the tone's length), with 100 ms of silence either side. */
function twoTones(
  rowHz: number,
  columnHz: number,
  ms: number,
  rowDb: (f: number) => number,
  columnDb: (f: number) => number,
): Int16Array {
  const n = Math.round(ms * 8);
  const out = new Int16Array(n + 1600);
  const a = dbm0ToAmplitude(-10);
  for (let i = 0; i < n; i++) {
    const f = i / n;
    const row = a * Math.pow(10, rowDb(f) / 20) * Math.sin((2 * Math.PI * rowHz * i) / 8000);
    const column = a * Math.pow(10, columnDb(f) / 20) * Math.sin((2 * Math.PI * columnHz * i) / 8000);
    out[800 + i] = Math.round(row + column);
  }
  return out;
}

const keysOf = (samples: Int16Array, options = {}): string =>
  decodeDtmf(samples, options)
    .map((k) => k.key)
    .join('');

t.test('talk-off: two notes on # whose levels cross (one swells as the other fades) are no key', async (t) => {
  // Music on real recordings (docs/dtmf.md): a melody note on 1477 Hz fading into one on 941 Hz
  // held the pair inside the twist limits for three windows. A key's tones start, hold and stop together.
  const cross = twoTones(
    941,
    1477,
    160,
    (f) => -30 + 40 * f,
    (f) => 10 - 40 * f,
  );
  t.equal(keysOf(cross), '');
  // The 1477 Hz note sounds before the 941 Hz one: the onset check alone rejects it too.
  t.equal(keysOf(cross, { twistSpreadDb: 100, bargeTwistSpreadDb: 100 }), '', 'the onset check alone');
  t.equal(
    keysOf(cross, { twistSpreadDb: 100, bargeTwistSpreadDb: 100, onsetDb: 100 }),
    '#',
    'a key without the twist-steadiness and onset checks',
  );
});

/** Tones, each `[hz, dB against -10 dBm0, from ms, to ms]`, summed, with 100 ms of silence after the last. */
function tones(...parts: [number, number, number, number][]): Int16Array {
  const end = Math.max(...parts.map((p) => p[3]));
  const out = new Int16Array(Math.round((end + 100) * 8));
  const a = dbm0ToAmplitude(-10);
  for (const [hz, db, from, to] of parts) {
    for (let i = Math.round(from * 8); i < Math.round(to * 8); i++) {
      out[i] = out[i]! + Math.round(a * Math.pow(10, db / 20) * Math.sin((2 * Math.PI * hz * i) / 8000));
    }
  }
  return out;
}

t.test('talk-off: a note already sounding when the other starts is no key', async (t) => {
  // Music on real recordings (docs/dtmf.md): a held note on a column, a melody note arriving on a
  // row; both steady, on pitch, the pair alone. A key's two tones start together from nothing.
  const held = tones([1477, 0, 100, 400], [941, 0, 250, 400]);
  t.equal(keysOf(held), '');
  t.equal(keysOf(held, { onsetDb: 100 }), '#', 'a key without the onset check');
  // 6 dB below the key before it: still a note; 12 dB below (a quiet background): a key.
  t.equal(keysOf(tones([1477, -6, 100, 250], [1477, 0, 250, 400], [941, 0, 250, 400])), '');
  t.equal(keysOf(tones([1477, -12, 100, 250], [1477, 0, 250, 400], [941, 0, 250, 400])), '#');
});

t.test('talk-off: a pair whose row has a third harmonic (an instrument, not a key) is no key', async (t) => {
  const note = tones([697, 0, 100, 300], [3 * 697, -10, 100, 300], [1477, 0, 100, 300]);
  t.equal(keysOf(note), '');
  t.equal(keysOf(note, { harmonicDb: 100 }), '3', 'a key without the harmonic check');
  t.equal(
    keysOf(tones([697, 0, 100, 300], [3 * 697, -20, 100, 300], [1477, 0, 100, 300])),
    '3',
    'a harmonic 20 dB down passes',
  );
});

t.test('the onset check keeps repeated keys: the same key, and keys sharing a row, 40 ms on / 40 ms off', async (t) => {
  for (const keys of ['5555', '123A3', '741*'])
    t.equal(keysOf(renderDtmf(keys, { toneMs: 40, gapMs: 40 }).samples), keys);
});

t.test("talk-off: a note and (within 0.5 %) its octave on C's row and column are no key", async (t) => {
  // 835.8 Hz and 1664.8 Hz: each within the 2 % tolerance of 852 and 1633 Hz.
  const octave = twoTones(
    835.8,
    1664.8,
    200,
    () => 0,
    () => 0,
  );
  t.equal(keysOf(octave), '');
  t.equal(keysOf(octave, { octave: 0 }), 'C', 'a key without the octave check');
});

t.test(
  "a real key's cadence: held 1 s, or pressed 60 ms on / 60 ms off, with 8 dB twist and the tones 1.5 % apart, under 20 dB noise",
  async (t) => {
    const off = { twistDb: 8, rowOffset: -0.015, columnOffset: 0.015 };
    t.equal(found({ ...off, toneMs: 1000, gapMs: 100 }, noise(-10, 8, 20, 11)), DTMF_KEYS, 'held 1 s');
    t.equal(found({ ...off, toneMs: 60, gapMs: 60 }, noise(-10, 8, 20, 12)), DTMF_KEYS, '60 / 60 ms');
  },
);
