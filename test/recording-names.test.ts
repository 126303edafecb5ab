/**
 * `Record file="msg-{n}"` picks a name no kept recording has, for numbers of any length and names
 * in any case, and `Speak clip="msg-{n}"` then plays the one just made: on the simulator's store,
 * the flash store and the SD card's WAV folder.
 */
import t from 'tap';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { MemoryRecordings } from '../sim/sim-recordings.js';
import { simulate } from '../sim/simulate.js';
import { WavFileRecordings } from '../drivers/wav-file-recordings/wav-file-recordings.js';
import type { RecordingStore } from '../hal/recordings.js';
import { readWavSamples } from '../src/audio/wav.js';
import { FlashRecordings, readRecordingSamples, readStoredRecordings } from '../src/calllog/flash-recordings.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { newestRecording, recordingName } from '../src/engine/recording.js';
import { loadMenu } from '../src/ozml/load.js';
import { memoryFiles } from './memory-files.js';

const LONG = 'msg-123456789012345678901234567890';
/** Names a store may hold: past nine digits, and longer than any number type. */
const OLD = ['msg-999999999', 'msg-1000000000', LONG];
const NEXT = ['msg-123456789012345678901234567891', 'msg-123456789012345678901234567892'];

const sound = (seed: number, n = 400): Int16Array =>
  Int16Array.from({ length: n }, (_, i) => ((i * 41 + seed * 997) % 6000) - 3000);

/** Writes a whole recording named `name`. */
function keep(store: RecordingStore, name: string, samples: Int16Array): void {
  const writer = store.open(name);
  writer.append(samples);
  writer.close();
}

/** Records one message the way the interpreter does: the next name of the pattern, written and closed. */
function recordMessage(store: RecordingStore, samples: Int16Array): string {
  const name = recordingName('msg-{n}', store.list());
  keep(store, name, samples);
  return name;
}

t.test('recording names: {n} counts numbers of any length', async (t) => {
  t.equal(recordingName('msg-{n}', ['msg-999999999']), 'msg-1000000000');
  t.equal(recordingName('msg-{n}', ['msg-999999999', 'msg-1000000000']), 'msg-1000000001');
  t.equal(recordingName('msg-{n}', OLD), NEXT[0]);
  t.equal(recordingName('msg-{n}', ['msg-99999999999999999999']), 'msg-100000000000000000000');
  t.equal(recordingName('{n}-day', ['0099-day', '7-day']), '100-day', 'leading zeros are the same number');
  t.equal(recordingName('msg-{n}', ['msg-0', 'msg-00']), 'msg-1', 'zero is no number of the pattern');
  t.equal(newestRecording('msg-{n}', ['msg-1000000000', 'msg-999999999']), 'msg-1000000000');
  t.equal(newestRecording('msg-{n}', OLD), LONG);
  t.equal(newestRecording('msg-{n}', ['msg-9', 'msg-010']), 'msg-010', 'the name as the store lists it');
  t.equal(newestRecording('msg-{n}', ['msg-010', 'msg-10']), 'msg-10');
});

t.test('recording names: a FAT card lists names in capitals; they are the same files', async (t) => {
  t.equal(recordingName('msg-{n}', ['MSG-7', 'msg-3']), 'msg-8');
  t.equal(newestRecording('msg-{n}', ['MSG-7', 'msg-3']), 'MSG-7');
  t.equal(newestRecording('msg-{n}', ['MSG-7', 'msg-7']), 'msg-7', "the pattern's own case first");
});

t.test(
  'the simulator: Record file="msg-{n}" keeps every message, Speak clip="msg-{n}" plays the new one',
  async (t) => {
    const recordings = new MemoryRecordings();
    for (const [i, name] of OLD.entries()) keep(recordings, name, sound(i));
    const menu = loadMenu(
      '<Response>\n  <Record file="msg-{n}" Duration="1"/>\n  <Speak clip="msg-{n}">No messages.</Speak>\n  <Hangup/>\n</Response>\n',
    );
    t.same(menu.diagnostics, []);
    const voice = sound(9, 16_000);
    const r = simulate({
      menu: menu.menu!,
      events: [
        { at: 0, what: 'offhook' },
        { at: 0, what: 'say', file: 'v' },
        { at: 5000, what: 'onhook' },
        { at: 6000, what: 'offhook' },
        { at: 6000, what: 'say', file: 'v' },
        { at: 11_000, what: 'onhook' },
      ],
      clips: new SimClipLibrary({ fixedMs: 1000 }),
      recordings,
      voices: () => voice,
    });
    const started = r.trace
      .filter((e) => e.type === 'record-start')
      .map((e) => (e.type === 'record-start' ? e.file : ''));
    const played = r.trace.filter((e) => e.type === 'play').map((e) => (e.type === 'play' ? e.clip : ''));
    t.same(started, NEXT);
    t.same(played, NEXT, 'each call plays back the message it just left');
    t.same([...recordings.recordings.keys()].sort(), [...OLD, ...NEXT].sort());
    for (const [i, name] of OLD.entries()) t.same(recordings.recordings.get(name), sound(i), `${name} untouched`);
  },
);

t.test('the flash store: a new message never replaces a kept one, whatever its number', async (t) => {
  const bytes = new MemoryStore(4096, 32);
  const flash = new FlashRecordings(bytes);
  for (const [i, name] of OLD.entries()) keep(flash, name, sound(i));
  t.same([recordMessage(flash, sound(10)), recordMessage(flash, sound(11))], NEXT);
  const stored = readStoredRecordings(bytes);
  const samplesOf = (name: string): Int16Array => readRecordingSamples(bytes, stored.find((r) => r.name === name)!.id);
  t.same(stored.map((r) => r.name).sort(), [...OLD, ...NEXT].sort(), 'every recording kept under its own name');
  for (const [i, name] of OLD.entries()) t.same(samplesOf(name), sound(i), `${name} untouched`);
  t.equal(newestRecording('msg-{n}', flash.list()), NEXT[1]);
  t.same(samplesOf(NEXT[1]!), sound(11));
});

t.test('the WAV folder: a new message never replaces a kept one, with long names or capitals', async (t) => {
  for (const fat of [false, true]) {
    const { files, module } = memoryFiles(fat);
    const store = new WavFileRecordings(module, '/sd');
    const names = [...OLD, 'msg-1', 'msg-2'];
    for (const [i, name] of names.entries()) keep(store, name, sound(i));
    const before = new Map(files);
    const made = [recordMessage(store, sound(10)), recordMessage(store, sound(11))];
    t.same(made, NEXT, fat ? 'a card listing MSG-1.WAV' : 'a card with long file names');
    for (const [path, wav] of before) t.same(files.get(path), wav, `${path} untouched`);
    t.equal(files.size, names.length + 2);
    const newest = newestRecording('msg-{n}', store.list())!;
    t.equal(newest.toLowerCase(), NEXT[1]);
    const wav = readWavSamples(files.get(fat ? `/sd/${NEXT[1]}.wav` : `/sd/${newest}.wav`)!);
    t.same(typeof wav === 'string' ? wav : wav.samples, sound(11));
  }
});
