/**
 * The SD card's recordings store (drivers/wav-file-recordings/wav-file-recordings.ts) on an in-memory stand-in for
 * Moddable's `file` module: WAVs readable at every flush, a power cut keeps what was flushed, a
 * re-recorded clip cut short leaves the old one, close replaces, discard leaves nothing; on a
 * card that fills up, a guestbook call goes as it does on a flash store of the same room.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { readWavSamples } from '../src/audio/wav.js';
import { WavFileRecordings, type FileModule } from '../drivers/wav-file-recordings/wav-file-recordings.js';
import type { RecordingWriter } from '../hal/recordings.js';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { MemoryRecordings } from '../sim/sim-recordings.js';
import { simulate } from '../sim/simulate.js';
import { callerVoice } from '../sim/test-voice.js';
import { loadMenu } from '../src/ozml/load.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { memoryFiles } from './memory-files.js';

const ramp = (n: number, from = 0): Int16Array =>
  Int16Array.from({ length: n }, (_, i) => (((from + i) * 37) % 30000) - 15000);

function samples(files: Map<string, Uint8Array>, path: string): Int16Array {
  const wav = readWavSamples(files.get(path)!);
  if (typeof wav === 'string') throw new Error(wav);
  return wav.samples;
}

t.test('a closed recording is NAME.wav with every sample; a discarded one leaves nothing', async (t) => {
  const { files, module } = memoryFiles();
  const store = new WavFileRecordings(module, '/sd');
  const w = store.open('guest-1');
  w.append(ramp(8000));
  w.flush();
  t.same(samples(files, '/sd/guest-1.tmp'), ramp(8000), 'playable at the flush');
  t.same(store.list(), [], 'not listed before it is closed');
  w.append(ramp(3000, 8000));
  w.close();
  t.same([...files.keys()], ['/sd/guest-1.wav']);
  t.same(samples(files, '/sd/guest-1.wav'), ramp(11000));
  t.same(store.list(), ['guest-1']);
  const d = store.open('guest-2');
  d.append(ramp(100));
  d.flush();
  d.discard();
  t.same([...files.keys()], ['/sd/guest-1.wav']);
});

t.test('a power cut keeps a message up to its last flush; a cut re-recording leaves the old clip', async (t) => {
  const { files, module } = memoryFiles();
  const store = new WavFileRecordings(module, '/sd');
  const greeting = store.open('greeting');
  greeting.append(ramp(4000));
  greeting.close();
  const again = store.open('greeting');
  again.append(ramp(9000, 5));
  again.flush();
  const message = store.open('guest-1');
  message.append(ramp(8000));
  message.flush();
  message.append(ramp(500, 8000));
  // The power goes: nothing more is written. At the next boot:
  const after = new WavFileRecordings(module, '/sd');
  t.same(after.list().sort(), ['greeting', 'guest-1']);
  t.same(samples(files, '/sd/greeting.wav'), ramp(4000), 'the whole old greeting');
  t.same(samples(files, '/sd/guest-1.wav'), ramp(8000), 'the message up to its last flush');
  t.notOk(files.has('/sd/greeting.tmp'));
  const next = after.open('greeting');
  next.append(ramp(2000, 1));
  next.close();
  t.same(samples(files, '/sd/greeting.wav'), ramp(2000, 1), 'a closed re-recording replaces it');
});

/** The simulator's store interface over the card's: what Record calls goes to the WAV folder. */
class CardRecordings extends MemoryRecordings {
  readonly card: WavFileRecordings;
  constructor(files: FileModule, freeBytes?: () => number) {
    super();
    this.card = new WavFileRecordings(files, '/sd', freeBytes);
  }
  override room(): number {
    return this.card.room();
  }
  override open(name: string): RecordingWriter {
    return this.card.open(name);
  }
  override list(): string[] {
    return this.card.list();
  }
}

/** Two guestbook calls: the first guest talks for 10 s, the second calls after. */
function guestbook(recordings: MemoryRecordings): TraceEvent[] {
  const menu = loadMenu(readFileSync('examples/guestbook.xml', 'utf8')).menu!;
  const voice = callerVoice(20);
  return simulate({
    menu,
    events: [
      { at: 0, what: 'offhook' },
      { at: 1500, what: 'say', file: 'v' },
      { at: 12_000, what: 'onhook' },
      { at: 14_000, what: 'offhook' },
      { at: 15_000, what: 'say', file: 'v' },
      { at: 25_000, what: 'onhook' },
    ],
    clips: new SimClipLibrary({ fixedMs: 1000 }),
    recordings,
    voices: () => voice,
  }).trace;
}

t.test('a full card: Record stops at the room and plays its full text, as on a store of the same room', async (t) => {
  // A card with room for 3 s of audio and one WAV header: the room the flash store reports in samples.
  const { files, module, freeBytes } = memoryFiles(false, 44 + 3 * 8000 * 2);
  const card = guestbook(new CardRecordings(module, freeBytes));
  const flash = guestbook(new MemoryRecordings(3 * 8000));
  t.same(card, flash, 'the same trace, event for event');
  t.ok(
    card.some((e) => e.type === 'record-end' && e.file === 'guest-1' && e.reason === 'full' && e.ms === 3000),
    'guest 1 is cut at the room, reason full',
  );
  t.ok(
    card.some((e) => e.type === 'record-full' && e.file === 'guest-2'),
    'guest 2 hears the box is full',
  );
  t.notOk(
    card.some((e) => e.type === 'error'),
    'no write failed',
  );
  t.same([...files.keys()], ['/sd/guest-1.wav']);
  t.equal(samples(files, '/sd/guest-1.wav').length, 3 * 8000, 'every sample the room held, none lost');
  t.equal(freeBytes(), 0);
});
