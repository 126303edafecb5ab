/**
 * `ringdown clips` refuses a recording longer than a clip can hold without decoding it whole: from
 * the length its header states (WAV, FLAC, MP3, Ogg), or by stopping the decoder at the limit,
 * in bounded time and memory, saying the recording's length and the limit.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { decodeRecording, formatLength, MAX_RECORDING_SECONDS } from '../tools/clips/decode.js';

const crc8 = (bytes: number[]): number => {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
};

const crc16 = (bytes: number[]): number => {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
};

/** A frame number as FLAC writes it (UTF-8's scheme), up to 2^21 - 1. */
function frameNumber(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x800) return [0xc0 | (n >> 6), 0x80 | (n & 0x3f)];
  if (n < 0x10000) return [0xe0 | (n >> 12), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
  return [0xf0 | (n >> 18), 0x80 | ((n >> 12) & 0x3f), 0x80 | ((n >> 6) & 0x3f), 0x80 | (n & 0x3f)];
}

const BLOCK = 4000;

/**
 * A FLAC of `seconds` of silence at 8 kHz mono 16-bit, one constant frame of BLOCK samples after
 * another (about 15 bytes each): two hours is 214 KB. Its STREAMINFO states `stated` samples (0: unknown).
 */
function silentFlac(seconds: number, stated: number): Uint8Array {
  const frames = Math.ceil((seconds * 8000) / BLOCK);
  const info = new Uint8Array(34);
  const view = new DataView(info.buffer);
  view.setUint16(0, BLOCK);
  view.setUint16(2, BLOCK);
  // 20-bit rate 8000, 3-bit channels-1 = 0, 5-bit bits-1 = 15, 36-bit total samples.
  info[10] = 8000 >> 12;
  info[11] = (8000 >> 4) & 0xff;
  info[12] = ((8000 & 0x0f) << 4) | (0 << 1) | (15 >> 4);
  info[13] = ((15 & 0x0f) << 4) | Math.floor(stated / 2 ** 32);
  view.setUint32(14, stated % 2 ** 32);
  const out: number[] = [...new TextEncoder().encode('fLaC'), 0x80, 0, 0, 34, ...info];
  for (let n = 0; n < frames; n++) {
    // Fixed block size; size from the 16 bits after the number (code 7), 8 kHz (code 4); mono, 16-bit.
    const header = [0xff, 0xf8, 0x74, 0x08, ...frameNumber(n), (BLOCK - 1) >> 8, (BLOCK - 1) & 0xff];
    const frame = [...header, crc8(header), 0x00, 0x00, 0x00];
    const crc = crc16(frame);
    out.push(...frame, crc >> 8, crc & 0xff);
  }
  return Uint8Array.from(out);
}

/** A WAV of `seconds` of 8-bit mono silence at 1000 Hz: a long recording in few bytes. */
function longWav(seconds: number): Uint8Array {
  const data = seconds * 1000;
  const bytes = new Uint8Array(44 + data).fill(128);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('RIFF'), 0);
  view.setUint32(4, 36 + data, true);
  bytes.set(new TextEncoder().encode('WAVEfmt '), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, 1000, true);
  view.setUint32(28, 1000, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  bytes.set(new TextEncoder().encode('data'), 36);
  view.setUint32(40, data, true);
  return bytes;
}

/** The MP3 fixture after an Info frame (as LAME writes first) stating `frames` frames. */
function mp3WithInfo(frames: number): Uint8Array {
  const mp3 = readFileSync('test/fixtures/greeting-44k-stereo.mp3');
  // Its frames: MPEG-1 Layer III, 64 kbit/s, 44.1 kHz, joint stereo: 208 bytes.
  const info = new Uint8Array(208);
  info.set(mp3.subarray(0, 4));
  info.set(new TextEncoder().encode('Info'), 4 + 32);
  new DataView(info.buffer).setUint32(4 + 32 + 4, 1);
  new DataView(info.buffer).setUint32(4 + 32 + 8, frames);
  const out = new Uint8Array(info.length + mp3.length);
  out.set(info);
  out.set(mp3, info.length);
  return out;
}

/** Ogg's page checksum: CRC-32, polynomial 0x04c11db7, not reflected, over the page with its checksum zero. */
function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (const b of page) {
    crc ^= b << 24;
    for (let i = 0; i < 8; i++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

/** The Ogg fixture with its last page's granule position (its length in samples) set to `granule`. */
function oggEndingAt(granule: number): Uint8Array {
  const ogg = new Uint8Array(readFileSync('test/fixtures/tone-22k.ogg'));
  let at = ogg.length - 27;
  while (!(ogg[at] === 0x4f && ogg[at + 1] === 0x67 && ogg[at + 2] === 0x67 && ogg[at + 3] === 0x53)) at--;
  const page = ogg.subarray(at);
  const view = new DataView(page.buffer, page.byteOffset);
  view.setUint32(6, granule % 2 ** 32, true);
  view.setUint32(10, Math.floor(granule / 2 ** 32), true);
  view.setUint32(22, 0, true);
  view.setUint32(22, oggCrc(page), true);
  return ogg;
}

const LIMIT = `the limit is ${MAX_RECORDING_SECONDS} s`;

t.test('lengths read as H:MM:SS.s', async (t) => {
  t.equal(formatLength(7200), '2:00:00.0');
  t.equal(formatLength(262.04), '4:22.0');
  t.equal(formatLength(59.96), '1:00.0');
  t.equal(formatLength(3599.99), '1:00:00.0');
});

t.test('a long FLAC whose STREAMINFO states no length: decoding stops at the limit, in bounded memory', async (t) => {
  const flac = silentFlac(7200, 0);
  t.ok(flac.length < 250_000, `${flac.length} bytes for two hours`);
  const rss = process.memoryUsage().rss;
  const started = Date.now();
  t.equal(
    await decodeRecording(flac),
    `the recording is too long: more than ${formatLength(MAX_RECORDING_SECONDS)}, ${LIMIT}`,
  );
  const grew = (process.memoryUsage().rss - rss) / 2 ** 20;
  t.ok(Date.now() - started < 30_000, `${Date.now() - started} ms`);
  // Two hours at 8 kHz decode to 230 MB of samples: the limit's worth is 8 MB.
  t.ok(grew < 150, `memory grew ${grew.toFixed(0)} MB`);
});

t.test('fed a piece at a time, each decoder gives what it gives for the whole file at once', async (t) => {
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
  const { MPEGDecoder } = await import('mpg123-decoder');
  const cases: Array<[string, Uint8Array, () => Promise<{ channelData: Float32Array[]; samplesDecoded: number }>]> = [];
  for (const [name, bytes] of [
    ['silent.flac', silentFlac(3, 0)],
    ['tone-48k-stereo.flac', readFileSync('test/fixtures/tone-48k-stereo.flac')],
  ] as const) {
    cases.push([
      name,
      bytes,
      async () => {
        const d = new FLACDecoder();
        await d.ready;
        return d.decodeFile(bytes);
      },
    ]);
  }
  const ogg = readFileSync('test/fixtures/tone-22k.ogg');
  cases.push([
    'tone-22k.ogg',
    ogg,
    async () => {
      const d = new OggVorbisDecoder();
      await d.ready;
      return d.decodeFile(ogg);
    },
  ]);
  const mp3 = readFileSync('test/fixtures/greeting-44k-stereo.mp3');
  cases.push([
    'greeting-44k-stereo.mp3',
    mp3,
    async () => {
      const d = new MPEGDecoder();
      await d.ready;
      return d.decode(mp3);
    },
  ]);
  for (const [name, bytes, whole] of cases) {
    const pcm = await decodeRecording(bytes);
    const expected = await whole();
    if (typeof pcm === 'string') {
      t.fail(`${name}: ${pcm}`);
      continue;
    }
    t.ok(expected.samplesDecoded > 0, `${name}: ${expected.samplesDecoded} samples`);
    t.same(
      pcm.channels,
      expected.channelData.map((c) => c.subarray(0, expected.samplesDecoded)),
      name,
    );
  }
});

t.test('the length a header states is refused before anything is decoded', async (t) => {
  const started = Date.now();
  t.equal(
    await decodeRecording(silentFlac(20, 7200 * 8000)),
    `the recording is too long: 2:00:00.0, ${LIMIT}`,
    'FLAC STREAMINFO',
  );
  t.equal(await decodeRecording(longWav(7200)), `the recording is too long: 2:00:00.0, ${LIMIT}`, 'WAV data size');
  t.equal(
    await decodeRecording(mp3WithInfo((7200 * 44100) / 1152)),
    `the recording is too long: 2:00:00.0, ${LIMIT}`,
    'MP3 Info frame count',
  );
  t.equal(
    await decodeRecording(oggEndingAt(7200 * 22050)),
    `the recording is too long: 2:00:00.0, ${LIMIT}`,
    'Ogg last granule position',
  );
  t.equal(
    await decodeRecording(longWav(MAX_RECORDING_SECONDS + 1)),
    `the recording is too long: ${formatLength(MAX_RECORDING_SECONDS + 1)}, ${LIMIT}`,
  );
  t.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  t.match(await decodeRecording(longWav(MAX_RECORDING_SECONDS)), { sampleRate: 1000 }, 'at the limit: decoded');
  const mp3 = await decodeRecording(mp3WithInfo(211));
  t.match(mp3, { sampleRate: 44100, source: 'MP3' }, 'an Info frame stating a short length: decoded');
  t.match(await decodeRecording(oggEndingAt(22050)), { sampleRate: 22050, source: 'Ogg Vorbis' });
});

t.test('ringdown clips: a two-hour recording is refused with its length; nothing changes', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-long-'));
  const menu = join(top, 'm.xml');
  writeFileSync(menu, '<Response>\n  <Speak clip="greeting">Welcome.</Speak>\n</Response>\n');
  mkdirSync(join(top, 'recordings'));
  const flac = join(top, 'recordings', 'greeting.flac');
  writeFileSync(flac, silentFlac(7200, 7200 * 8000));
  const dir = join(top, 'clips');
  const started = Date.now();
  const r = spawnSync(process.execPath, ['bin/ringdown.js', 'clips', menu, '--out', dir], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(r.status, 1, r.stderr);
  t.match(
    r.stderr,
    `${flac}: error: the recording is too long: 2:00:00.0, ${LIMIT} (the recording for clip 'greeting'`,
  );
  t.match(r.stderr, `${dir}: nothing changed`);
  t.same(readdirSync(top).sort(), ['m.xml', 'recordings']);
  t.ok(Date.now() - started < 30_000, `${Date.now() - started} ms`);
});
