/**
 * Kept recordings played on a board: the AudioOut player streams a recording from the store in
 * fixed blocks (refilled on AudioOut's callbacks), at its recorded length, ahead of a build clip
 * of the same name; from the flash store and from WAV files on a card. Played through the
 * simulated AudioOut (sim/sim-audio-out.ts), which keeps Moddable's queue rules, on virtual time.
 */
import t from 'tap';
import { AudioOutPlayer } from '../drivers/audioout-player/audioout-player.js';
import { WavFileRecordings } from '../drivers/wav-file-recordings/wav-file-recordings.js';
import type { RecordingReader, RecordingSource } from '../hal/recordings.js';
import { simAudioOut } from '../sim/sim-audio-out.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { encodeWav } from '../src/audio/wav.js';
import { FlashRecordings } from '../src/calllog/flash-recordings.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { fakeAudioOut, type FakeAudioOut } from './fakes/audioout.js';
import { memoryFiles } from './memory-files.js';

const ramp = (n: number, from = 0): Int16Array =>
  Int16Array.from({ length: n }, (_, i) => (((from + i) * 37) % 30000) - 15000);

/** A MAUD resource (header and samples) in memory AudioOut may hold. */
function maud(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(new SharedArrayBuffer(12 + samples.length * 2));
  const view = new DataView(bytes.buffer);
  bytes.set([0x6d, 0x61, 1, 16]);
  view.setUint16(4, 8000, true);
  bytes[6] = 1;
  view.setUint32(8, samples.length, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(12 + i * 2, samples[i]!, true);
  return bytes;
}

function flashWith(recordings: Record<string, Int16Array>): FlashRecordings {
  const flash = new FlashRecordings(new MemoryStore(4096, new Uint8Array(256 * 1024).fill(0xff)));
  for (const [name, samples] of Object.entries(recordings)) {
    const w = flash.open(name);
    w.append(samples);
    w.close();
  }
  return flash;
}

/** Counts the sources opened and closed over a reader. */
function counted(reader: RecordingReader): RecordingReader & { opened: number; closed: number } {
  const c = {
    opened: 0,
    closed: 0,
    samplesOf: (name: string) => reader.samplesOf(name),
    openRecording: (name: string): RecordingSource | undefined => {
      const s = reader.openRecording(name);
      if (s === undefined) return undefined;
      c.opened++;
      return { samples: s.samples, read: (from, into) => s.read(from, into), close: () => (c.closed++, s.close()) };
    },
  };
  return c;
}

/** A player on the simulated AudioOut: what it played, in order, and when sounds ended. */
function board(recordings: RecordingReader, clips: Record<string, Uint8Array> = {}) {
  const clock = new VirtualClock();
  const played: number[] = [];
  const io = simAudioOut({ clock, onPlayed: (s) => played.push(...s) });
  const p = new AudioOutPlayer({ io, clock, clip: (name) => clips[name], recordings });
  const ends: string[] = [];
  const play = (clip: string): void => p.play(clip, () => ends.push(`${clip}@${clock.now()}`));
  return { clock, p, played, ends, play };
}

t.test('a kept recording plays from flash, every sample, and ends at its recorded length', async (t) => {
  const greeting = ramp(10_003);
  const flash = flashWith({ greeting });
  const b = board(flash, { greeting: maud(ramp(800, 5)) });
  b.play('greeting');
  while (b.clock.step(60_000));
  t.same(b.ends, ['greeting@1251'], '10,003 samples: ends once the last has played (1250.4 ms)');
  t.same(Int16Array.from(b.played), greeting, 'the recording, not the build clip of its name');
});

t.test('a name with no recording plays the build clip; after a recording is made, the recording', async (t) => {
  const flash = flashWith({});
  const clip = ramp(800, 5);
  const b = board(flash, { greeting: maud(clip) });
  b.play('greeting');
  while (b.clock.step(60_000));
  t.same(Int16Array.from(b.played), clip);
  const w = flash.open('greeting');
  w.append(ramp(4000));
  w.close();
  b.played.length = 0;
  b.play('greeting');
  while (b.clock.step(60_000));
  t.same(Int16Array.from(b.played), ramp(4000), 'the new recording plays (the store forgot its old scan)');
  t.same(b.ends, ['greeting@100', 'greeting@600']);
});

t.test('RAM is the blocks: three fixed buffers, reused, never more queued than AudioOut holds', async (t) => {
  const clock = new VirtualClock();
  const opened: FakeAudioOut[] = [];
  const flash = flashWith({ greeting: ramp(20_000) });
  const p = new AudioOutPlayer({ io: fakeAudioOut(opened), clock, clip: () => undefined, recordings: flash });
  const out = opened[0]!;
  let ended = 0;
  p.play('greeting', () => ended++);
  t.same(
    out.queue.map((q) => q.kind),
    ['RawSamples', 'Callback', 'RawSamples', 'Callback', 'RawSamples', 'Callback'],
    'three blocks queued at the start',
  );
  const buffers = new Set<ArrayBufferLike>();
  let samples = 0;
  let most = 0;
  while (out.queue.length > 0) {
    most = Math.max(most, out.queue.length);
    const q = out.queue[0]!;
    if (q.kind === 'RawSamples') {
      buffers.add((q.buffer as Uint8Array).buffer);
      samples += q.count!;
    }
    out.drain(1);
  }
  t.equal(ended, 1, 'ends after its last block');
  t.equal(samples, 20_000, 'every sample queued once');
  t.equal(buffers.size, 3, 'the same three buffers throughout');
  t.ok(
    [...buffers].every((b) => b.byteLength === 2048),
    '1024 samples each',
  );
  t.ok(most <= 8, `at most ${most} of AudioOut's 8 queue places`);
});

t.test('a barge-in cuts the recording at once: it never ends, its source is closed', async (t) => {
  const flash = counted(flashWith({ greeting: ramp(16_000) }));
  const b = board(flash);
  b.play('greeting');
  while (b.clock.step(300));
  b.clock.advanceTo(300);
  b.p.stop();
  while (b.clock.step(60_000));
  t.same(b.ends, [], 'a cut recording does not end');
  t.same(Int16Array.from(b.played), ramp(2400), 'what played up to the cut, at 300 ms');
  t.same([flash.opened, flash.closed], [1, 1]);
  b.play('greeting');
  while (b.clock.step(500));
  b.clock.advanceTo(500);
  b.play('greeting');
  while (b.clock.step(60_000));
  t.same(b.ends, ['greeting@2500'], 'restarted from its start; the second start cut the first');
  t.same([flash.opened, flash.closed], [3, 3]);
});

t.test('an empty recording ends at once, as a missing clip does', async (t) => {
  const flash = flashWith({});
  const w = flash.open('greeting');
  w.close();
  const b = board(flash);
  t.equal(flash.samplesOf('greeting'), undefined, 'a recording with no audio is not kept');
  b.play('greeting');
  while (b.clock.step(1000));
  t.same(b.ends, ['greeting@0']);
});

t.test('with clip lengths from the clock, a recording ends at its length and the next sound flushes', async (t) => {
  const clock = new VirtualClock();
  const played: number[] = [];
  const io = simAudioOut({ clock, onPlayed: (s) => played.push(...s) });
  const flash = flashWith({ greeting: ramp(4000) });
  const p = new AudioOutPlayer({ io, clock, clip: () => undefined, recordings: flash, clipMs: () => 1 });
  const ends: number[] = [];
  p.play('greeting', () => ends.push(clock.now()));
  while (clock.step(60_000));
  t.same(ends, [500], 'its own length (4000 samples), not the clip length given');
  t.same(Int16Array.from(played), ramp(4000));
});

t.test('from WAV files on a card: read back in blocks; a WAV of another format is not played', async (t) => {
  const { files, module } = memoryFiles(true);
  const card = new WavFileRecordings(module, '/sd');
  const w = card.open('greeting');
  w.append(ramp(5000));
  w.flush();
  w.append(ramp(3001, 5000));
  w.close();
  t.equal(card.samplesOf('greeting'), 8001);
  const b = board(card);
  b.play('greeting');
  while (b.clock.step(60_000));
  t.same(Int16Array.from(b.played), ramp(8001));
  t.same(b.ends, ['greeting@1001']);
  files.set('/sd/other.wav', encodeWav(ramp(100), 16000));
  t.equal(card.samplesOf('other'), undefined, '16 kHz: not played');
  t.equal(card.samplesOf('nobody'), undefined);
  const source = card.openRecording('greeting')!;
  const into = new Int16Array(10);
  t.equal(source.read(7995, into), 6, 'fewer at its end');
  t.same(into.subarray(0, 6), ramp(8001).subarray(7995));
  t.equal(source.read(9000, into), 0, 'none past it');
  source.close();
});

t.test('the simulated AudioOut keeps the chip rules: a moving buffer and a full queue throw', async (t) => {
  const clock = new VirtualClock();
  const Io = simAudioOut({ clock, onPlayed: () => undefined });
  const out = new Io({ sampleRate: 8000, bitsPerSample: 16, numChannels: 1 });
  t.throws(() => out.enqueue(0, Io.RawSamples, new Uint8Array(16)), /non-relocatable/);
  t.throws(() => out.enqueue(0, Io.RawSamples, new Int16Array(new SharedArrayBuffer(16))), /invalid buffer/);
  for (let i = 0; i < 8; i++) out.enqueue(0, Io.Callback, i);
  t.throws(() => out.enqueue(0, Io.Callback, 9), /queue full/);
});

t.test('a store that fails mid-recording ends it where it got to; one that fails to open plays the clip', async (t) => {
  const flash = flashWith({ greeting: ramp(8000) });
  let reads = 0;
  const failing: RecordingReader = {
    samplesOf: (name) => flash.samplesOf(name),
    openRecording: (name) => {
      const s = flash.openRecording(name)!;
      return {
        samples: s.samples,
        read: (from, into) => {
          if (++reads > 4) throw new Error('card gone');
          return s.read(from, into);
        },
        close: () => s.close(),
      };
    },
  };
  const b = board(failing);
  b.play('greeting');
  while (b.clock.step(60_000));
  t.same(b.ends, ['greeting@512'], 'the four blocks read played, then it ended');
  t.same(Int16Array.from(b.played), ramp(4096));
  const clip = ramp(400, 9);
  const broken = board(
    {
      samplesOf: () => 1,
      openRecording: () => {
        throw new Error('card gone');
      },
    },
    { greeting: maud(clip) },
  );
  broken.play('greeting');
  while (broken.clock.step(60_000));
  t.same(Int16Array.from(broken.played), clip, 'the build clip of its name');
  t.same(broken.ends, ['greeting@50']);
});
