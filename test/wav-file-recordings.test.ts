/**
 * The SD card's recordings store (drivers/wav-file-recordings/wav-file-recordings.ts) on an in-memory stand-in for
 * Moddable's `file` module: WAVs readable at every flush, a power cut keeps what was flushed, a
 * re-recorded clip cut short leaves the old one, close replaces, discard leaves nothing.
 */
import t from 'tap';
import { readWavSamples } from '../src/audio/wav.js';
import { WavFileRecordings } from '../drivers/wav-file-recordings/wav-file-recordings.js';
import { memoryFiles } from './memory-files.js';

const ramp = (n: number, from = 0): Int16Array => Int16Array.from({ length: n }, (_, i) => ((from + i) * 37) % 30000 - 15000);

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
