/**
 * Ringdown's own audio conversion (src/audio/convert.ts) against analytic expectations always, and
 * against sox where sox is installed; the recordings folder of `ringdown clips` end to end.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { convertToClip, decodeWav, highPass, mixToMono, resample, type Pcm } from '../src/audio/convert.js';
import { readWavInfo, readWavSamples } from '../src/audio/wav.js';
import { decodeRecording } from '../tools/clips/decode.js';
import { needs } from './outside-tool.js';

function sine(hz: number, rate: number, seconds: number, amplitude: number): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

/** RMS over the middle of a signal (away from the filter's start and end). */
function rms(x: ArrayLike<number>, scale = 1): number {
  const from = Math.floor(x.length * 0.2);
  const to = Math.floor(x.length * 0.8);
  let sum = 0;
  for (let i = from; i < to; i++) sum += (x[i]! / scale) ** 2;
  return Math.sqrt(sum / (to - from));
}

/** Amplitude of frequency `hz` in x (a single-bin DFT over the middle), relative to full scale. */
function toneLevel(x: ArrayLike<number>, rate: number, hz: number, scale = 1): number {
  const from = Math.floor(x.length * 0.2);
  const to = Math.floor(x.length * 0.8);
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += (x[i]! / scale) * Math.cos((2 * Math.PI * hz * i) / rate);
    im += (x[i]! / scale) * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

/** A WAV of the given layout holding `channels` (-1..1). */
function wavOf(
  channels: Float32Array[],
  rate: number,
  bits: 8 | 16 | 24 | 32,
  float = false,
  extras = true,
): Uint8Array {
  const frames = channels[0]!.length;
  const width = bits / 8;
  const chunks: Uint8Array[] = [];
  const enc = new TextEncoder();
  const chunk = (id: string, body: Uint8Array): void => {
    const head = new Uint8Array(8);
    head.set(enc.encode(id));
    new DataView(head.buffer).setUint32(4, body.length, true);
    chunks.push(head, body, new Uint8Array(body.length & 1));
  };
  const fmt = new DataView(new ArrayBuffer(40));
  fmt.setUint16(0, 0xfffe, true);
  fmt.setUint16(2, channels.length, true);
  fmt.setUint32(4, rate, true);
  fmt.setUint32(8, rate * width * channels.length, true);
  fmt.setUint16(12, width * channels.length, true);
  fmt.setUint16(14, bits, true);
  fmt.setUint16(16, 22, true);
  fmt.setUint16(18, bits, true);
  fmt.setUint16(24, float ? 3 : 1, true);
  if (extras) chunk('LIST', enc.encode('INFOISFT\u0005\u0000\u0000\u0000phone'));
  chunk('fmt ', new Uint8Array(fmt.buffer));
  const data = new DataView(new ArrayBuffer(frames * width * channels.length));
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels.length; c++) {
      const v = Math.max(-1, Math.min(1, channels[c]![f]!));
      const at = (f * channels.length + c) * width;
      if (float) data.setFloat32(at, v, true);
      else if (bits === 8) data.setUint8(at, Math.round(v * 127) + 128);
      else if (bits === 16) data.setInt16(at, Math.round(v * 32767), true);
      else if (bits === 24) {
        const i = Math.round(v * 8388607);
        data.setUint8(at, i & 255);
        data.setUint8(at + 1, (i >> 8) & 255);
        data.setInt8(at + 2, i >> 16);
      } else data.setInt32(at, Math.round(v * 2147483647), true);
    }
  }
  chunk('data', new Uint8Array(data.buffer));
  if (extras) chunk('bext', new Uint8Array(603));
  const body = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(12 + body);
  out.set(enc.encode('RIFF'));
  new DataView(out.buffer).setUint32(4, 4 + body, true);
  out.set(enc.encode('WAVE'), 8);
  let at = 12;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

t.test(
  'decodeWav: every common layout, with LIST and bext chunks around the data, gives the same samples',
  async (t) => {
    const left = sine(1000, 16000, 0.1, 0.5);
    const right = sine(500, 16000, 0.1, 0.25);
    for (const [bits, float, tolerance] of [
      [8, false, 1 / 100],
      [16, false, 1e-4],
      [24, false, 1e-6],
      [32, false, 1e-6],
      [32, true, 1e-7],
    ] as const) {
      const pcm = decodeWav(wavOf([left, right], 16000, bits, float));
      if (typeof pcm === 'string') {
        t.fail(pcm);
        continue;
      }
      t.equal(pcm.sampleRate, 16000);
      t.equal(pcm.channels.length, 2);
      let worst = 0;
      for (let i = 0; i < left.length; i++)
        worst = Math.max(worst, Math.abs(pcm.channels[0]![i]! - left[i]!), Math.abs(pcm.channels[1]![i]! - right[i]!));
      t.ok(worst < tolerance, `${bits}-bit ${float ? 'float' : 'PCM'}: worst error ${worst.toExponential(2)}`);
      t.equal(pcm.clipped, 0);
    }
    const hot = decodeWav(wavOf([sine(1000, 8000, 0.1, 1.5)], 8000, 16));
    t.ok(typeof hot !== 'string' && hot.clipped > 100, 'samples at full scale are counted as clipped');
  },
);

t.test('a 1 kHz sine at 44.1 kHz stereo becomes an 8 kHz mono sine at the same level and frequency', async (t) => {
  const tone = sine(1000, 44100, 1, 0.5);
  const out = resample(mixToMono([tone, tone]), 44100, 8000);
  t.equal(out.length, 8000);
  const level = toneLevel(out, 8000, 1000);
  t.ok(Math.abs(db(level / 0.5)) < 0.01, `level ${db(level).toFixed(3)} dBFS, expected ${db(0.5).toFixed(3)}`);
  t.ok(rms(out) / (0.5 / Math.SQRT2) > 0.999 && rms(out) / (0.5 / Math.SQRT2) < 1.001, 'all its power is that tone');
  // Through the whole clip chain: band-pass, -3 dBFS peak.
  const { samples, report } = convertToClip({ sampleRate: 44100, channels: [tone, tone], source: 'test', clipped: 0 });
  let peak = 0;
  for (const v of samples) peak = Math.max(peak, Math.abs(v));
  t.ok(Math.abs(db(peak / 32768) - -3) < 0.01, `normalised to a -3 dBFS peak: ${db(peak / 32768).toFixed(3)}`);
  // The high-pass's start transient (the sine starts at full level) is the peak; the tone is just below it.
  const tone1k = db(toneLevel(samples, 8000, 1000, 32768));
  t.ok(tone1k > -4 && tone1k <= -3, `the tone at ${tone1k.toFixed(2)} dBFS`);
  t.same([report.inRate, report.inChannels, report.outMs], [44100, 2, 1000]);
});

t.test(
  'anti-alias filter: a 6 kHz tone at 44.1 kHz (it would fold to 2 kHz) is at least 80 dB down; the passband is flat to 3.4 kHz',
  async (t) => {
    for (const rate of [44100, 48000, 22050, 16000, 11025]) {
      const above = resample(sine(rate === 11025 ? 5000 : 6000, rate, 1, 0.9), rate, 8000, 3400);
      const folded = Math.max(rms(above) * Math.SQRT2, 1e-12);
      t.ok(db(folded / 0.9) < -80, `${rate} Hz: ${db(folded / 0.9).toFixed(1)} dB`);
      for (const hz of [300, 1000, 2000, 3000, 3400]) {
        const level = toneLevel(resample(sine(hz, rate, 1, 0.5), rate, 8000, 3400), 8000, hz);
        t.ok(Math.abs(db(level / 0.5)) < 0.05, `${rate} Hz: ${hz} Hz passes at ${db(level / 0.5).toFixed(3)} dB`);
      }
      const edge = toneLevel(resample(sine(3950, rate, 1, 0.5), rate, 8000, 3400), 8000, 3950);
      t.ok(db(edge / 0.5) < -40, `${rate} Hz: 3950 Hz is ${db(edge / 0.5).toFixed(1)} dB down`);
    }
    const up = resample(sine(1000, 6000, 1, 0.5), 6000, 8000);
    t.ok(Math.abs(db(toneLevel(up, 8000, 1000) / 0.5)) < 0.05, 'upsampling 6 kHz to 8 kHz keeps the level too');
  },
);

t.test('telephone band: the high-pass takes rumble out and keeps the voice band', async (t) => {
  const level = (hz: number): number => db(toneLevel(highPass(sine(hz, 8000, 1, 0.5), 8000, 250), 8000, hz) / 0.5);
  t.ok(level(50) < -25, `50 Hz: ${level(50).toFixed(1)} dB`);
  t.ok(Math.abs(level(250) - -3) < 0.1, `250 Hz (the corner): ${level(250).toFixed(2)} dB`);
  t.ok(Math.abs(level(1000)) < 0.3, `1 kHz: ${level(1000).toFixed(2)} dB`);
});

t.test('trimming: leading and trailing silence is cut to 100 ms and reported', async (t) => {
  const x = new Float32Array(16000 * 3);
  x.set(sine(800, 16000, 1, 0.4), 16000);
  const { samples, report } = convertToClip(
    { sampleRate: 16000, channels: [x], source: 'test', clipped: 0 },
    { trimKeepMs: 100 },
  );
  t.ok(Math.abs(report.trimmedLeadMs - 900) <= 20, `lead ${report.trimmedLeadMs} ms`);
  t.ok(Math.abs(report.trimmedTailMs - 900) <= 20, `tail ${report.trimmedTailMs} ms`);
  t.ok(Math.abs(samples.length - 9600) <= 300, `${samples.length} samples left`);
});

/** Runs sox; its output's samples. */
function soxConvert(input: string, args: string[]): Int16Array {
  const out = `${input}.sox.wav`;
  const r = spawnSync(
    'sox',
    ['-V1', '-D', input, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', out, ...args],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const read = readWavSamples(readFileSync(out));
  if (typeof read === 'string') throw new Error(read);
  return read.samples;
}

t.test(
  'against sox: tone levels after resampling agree within 0.1 dB; both reject the alias',
  needs('sox'),
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ringdown-convert-'));
    for (const rate of [44100, 48000, 22050]) {
      for (const hz of [300, 1000, 3000, 6000]) {
        const tone = sine(hz, rate, 1, 0.5);
        const file = join(dir, `t${rate}-${hz}.wav`);
        writeFileSync(file, wavOf([tone, tone], rate, 16, false, false));
        const theirs = soxConvert(file, []);
        const ours = resample(mixToMono([tone, tone]), rate, 8000, 3400);
        const probe = hz > 4000 ? 8000 - hz + Math.floor(hz / 8000) * 8000 : hz;
        const a = db(Math.max(toneLevel(ours, 8000, probe), 1e-9) / 0.5);
        const b = db(Math.max(toneLevel(theirs, 8000, probe, 32768), 1e-9) / 0.5);
        if (hz < 3400)
          t.ok(Math.abs(a - b) < 0.1, `${rate} Hz, ${hz} Hz: ours ${a.toFixed(2)} dB, sox ${b.toFixed(2)} dB`);
        else
          t.ok(
            a < -80 && b < -60,
            `${rate} Hz, ${hz} Hz folded to ${probe} Hz: ours ${a.toFixed(1)} dB, sox ${b.toFixed(1)} dB`,
          );
      }
    }
  },
);

t.test('MP3, FLAC and Ogg recordings decode (WebAssembly decoders from npm)', async (t) => {
  const mp3 = await decodeRecording(readFileSync('test/fixtures/greeting-44k-stereo.mp3'));
  if (typeof mp3 === 'string') return void t.fail(mp3);
  t.same([mp3.sampleRate, mp3.channels.length, mp3.source], [44100, 2, 'MP3']);
  t.ok(Math.abs(mp3.channels[0]!.length / 44100 - 5.49) < 0.1, `${(mp3.channels[0]!.length / 44100).toFixed(2)} s`);
  for (const [file, rate, channels, source] of [
    ['tone-48k-stereo.flac', 48000, 2, 'FLAC'],
    ['tone-22k.ogg', 22050, 1, 'Ogg Vorbis'],
  ] as const) {
    const pcm: Pcm | string = await decodeRecording(readFileSync(join('test/fixtures', file)));
    if (typeof pcm === 'string') {
      t.fail(`${file}: ${pcm}`);
      continue;
    }
    t.same([pcm.sampleRate, pcm.channels.length, pcm.source], [rate, channels, source]);
    const level = toneLevel(resample(mixToMono(pcm.channels), rate, 8000), 8000, 1000);
    t.ok(Math.abs(db(level) - -6) < 0.3, `${file}: 1 kHz at ${db(level).toFixed(2)} dBFS`);
  }
  t.equal(
    await decodeRecording(new TextEncoder().encode('<html>')),
    'not a recording this tool reads (WAV, MP3, Ogg Vorbis or FLAC)',
  );
});

function ringdown(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

t.test(
  'clips: a 44.1 kHz stereo MP3 greeting in recordings/ becomes a working clip; the original is untouched; a second run is up to date',
  async (t) => {
    const top = mkdtempSync(join(tmpdir(), 'ringdown-recordings-'));
    const menu = join(top, 'guestbook.xml');
    writeFileSync(
      menu,
      '<Response>\n  <Play>greeting.mp3</Play>\n  <Play>ringdown-out-of-order.wav</Play>\n</Response>\n',
    );
    mkdirSync(join(top, 'recordings'));
    const mp3 = join(top, 'recordings', 'greeting.mp3');
    copyFileSync('test/fixtures/greeting-44k-stereo.mp3', mp3);
    // The fallback clip as a 24-bit 48 kHz WAV with extra chunks, so nothing needs synthesizing.
    const oooFile = join(top, 'recordings', 'ringdown-out-of-order.wav');
    writeFileSync(oooFile, wavOf([sine(440, 48000, 0.5, 0.3)], 48000, 24));
    const before = readFileSync(mp3);
    const dir = join(top, 'clips');
    const r = ringdown(['clips', menu, '--out', dir]);
    t.equal(r.code, 0, r.err);
    t.match(r.out, `${dir}: 2 clips: 0 recorded, 2 converted, 0 synthesized (2 new)`);
    t.match(r.out, `converted ${mp3} -> ${join(dir, 'greeting.wav')}: MP3, 44100 Hz stereo, 5.49 s; peak -1.`);
    t.match(
      r.out,
      /no clipping; trimmed silence 0\.5\d s at the start, 1\.0\d s at the end; gain -2\.\d dB; now 3\.9\d s at 8 kHz mono 16-bit/,
    );
    t.match(
      r.out,
      `converted ${oooFile} -> ${join(dir, 'ringdown-out-of-order.wav')}: 24-bit PCM WAV, 48000 Hz mono, 0.50 s`,
    );
    t.same(readFileSync(mp3), before, 'the recording is untouched');
    const info = readWavInfo(readFileSync(join(dir, 'greeting.wav')));
    t.ok(
      typeof info !== 'string' &&
        info.sampleRate === 8000 &&
        info.channels === 1 &&
        info.bitsPerSample === 16 &&
        info.ms > 3800,
      JSON.stringify(info),
    );
    const again = ringdown(['clips', menu, '--out', dir, '--json']);
    t.equal(again.code, 0);
    const result = JSON.parse(again.out) as { upToDate: boolean; converted: number };
    t.same([result.upToDate, result.converted], [true, 2]);
    const sim = ringdown(['sim', menu, '--events', 'offhook@0', '--jsonl']);
    t.match(sim.out, /"type":"play".*"clip":"greeting"/);
    t.equal(sim.err, '', 'the simulator plays the converted clip at its length');
    // A new recording replaces the clip made from the old one.
    writeFileSync(oooFile, wavOf([sine(440, 8000, 0.7, 0.3)], 8000, 16));
    t.match(ringdown(['clips', menu, '--out', dir]).out, '(1 new)');
    writeFileSync(oooFile, 'not audio');
    const bad = ringdown(['clips', menu, '--out', dir]);
    t.equal(bad.code, 1);
    t.match(
      bad.err,
      `${oooFile}: error: not a recording this tool reads (WAV, MP3, Ogg Vorbis or FLAC) (the recording for clip 'ringdown-out-of-order'`,
    );
  },
);
