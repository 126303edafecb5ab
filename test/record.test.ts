import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parseEvents } from '../sim/events.js';
import { callerVoice } from '../sim/test-voice.js';
import { SimAudioInput } from '../sim/sim-audio-in.js';
import { MemoryRecordings } from '../sim/sim-recordings.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { encodeWav, readWavSamples } from '../src/audio/wav.js';
import { newestRecording, recordingName, RecordingSession } from '../src/engine/recording.js';
import { loadMenu } from '../src/ozml/load.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { FlashRecordings, readRecordingSamples, readStoredRecordings } from '../src/calllog/flash-recordings.js';

function ringdown(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function samplesOf(path: string): Int16Array {
  const wav = readWavSamples(readFileSync(path));
  if (typeof wav === 'string') throw new Error(wav);
  return wav.samples;
}

t.test('guestbook: the recording is the caller audio after the beep, sample-exact', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-record-'));
  const voice = callerVoice(20);
  const wav = join(dir, 'caller.wav');
  writeFileSync(wav, encodeWav(voice));
  const out = join(dir, 'recordings');
  // The greeting plays 0-4 s, the beep 4-4.5 s; the caller starts talking at 3 s (over the beep).
  const r = ringdown(
    'sim',
    'examples/guestbook.xml',
    '--events',
    `offhook@0 say:${wav}@3`,
    '--clip-ms',
    '4000',
    '--recordings',
    out,
    '--jsonl',
  );
  t.equal(r.code, 0, r.err);
  const trace = r.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: number; type: string; reason?: string; ms?: number; file?: string });
  const start = trace.find((e) => e.type === 'record-start')!;
  const end = trace.find((e) => e.type === 'record-end')!;
  t.match(start, { t: 4500, file: 'guest-1' });
  t.equal(end.reason, 'inactivity');
  t.same(readdirSync(out), ['guest-1.wav']);
  const recorded = samplesOf(join(out, 'guest-1.wav'));
  t.equal(recorded.length, (end.t - start.t) * 8);
  t.equal(end.ms, end.t - start.t);
  // The voice ends before 23 s; 5 s of inactivity after the 300 ms hangover ends the recording.
  t.ok(end.t > 23_000 && end.t <= 28_300, `ends at ${end.t}`);
  const offset = (start.t - 3000) * 8;
  let first = -1;
  for (let i = 0; i < recorded.length; i++) {
    const expected = offset + i < voice.length ? voice[offset + i]! : 0;
    if (recorded[i] !== expected) {
      first = i;
      break;
    }
  }
  t.equal(first, -1, 'every sample equals the caller audio from the end of the beep');
});

t.test('guestbook: hanging up mid-word keeps the recording up to the on-hook; # drops its last 100 ms', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-record-'));
  const voice = callerVoice(20);
  const wav = join(dir, 'caller.wav');
  writeFileSync(wav, encodeWav(voice));
  const out = join(dir, 'rec');
  const a = ringdown(
    'sim',
    'examples/guestbook.xml',
    '--events',
    `offhook@0 say:${wav}@4.5 onhook@12.25`,
    '--clip-ms',
    '4000',
    '--recordings',
    out,
  );
  t.equal(a.code, 0, a.err);
  t.match(a.out, /record-end +file="guest-1" reason="onhook" ms=7750/);
  t.same(samplesOf(join(out, 'guest-1.wav')), voice.subarray(0, 7750 * 8));
  // Each sim run starts with an empty store, so a second call names its message guest-1 again: into
  // the same folder it is refused (nothing kept is overwritten), into a new one it is written.
  const again = ringdown(
    'sim',
    'examples/guestbook.xml',
    '--events',
    `offhook@0 say:${wav}@4.5 #@10`,
    '--clip-ms',
    '4000',
    '--recordings',
    out,
  );
  t.equal(again.code, 1);
  t.match(again.err, /guest-1\.wav: a different file is already there \(not replaced\)/);
  t.same(samplesOf(join(out, 'guest-1.wav')), voice.subarray(0, 7750 * 8), 'the first message is kept');
  const out2 = join(dir, 'rec2');
  const b = ringdown(
    'sim',
    'examples/guestbook.xml',
    '--events',
    `offhook@0 say:${wav}@4.5 #@10`,
    '--clip-ms',
    '4000',
    '--recordings',
    out2,
  );
  t.equal(b.code, 0, b.err);
  t.match(b.out, /record-end +file="guest-1" reason="digit" ms=5400/);
  t.same(samplesOf(join(out2, 'guest-1.wav')), voice.subarray(0, 5400 * 8));
});

t.test('sim: say:FILE must be a readable recording; one not 8 kHz mono is converted', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-record-'));
  const missing = ringdown('sim', 'examples/guestbook.xml', '--events', `offhook@0 say:${join(dir, 'none.wav')}@1`);
  t.equal(missing.code, 2);
  t.match(missing.err, /none\.wav: error: cannot read the file/);
  const text = join(dir, 'notes.wav');
  writeFileSync(text, 'not audio at all');
  const bad = ringdown('sim', 'examples/guestbook.xml', '--events', `offhook@0 say:${text}@1`);
  t.equal(bad.code, 2, 'a say: file that cannot be used is an input error');
  t.match(bad.err, /notes\.wav: error: not a recording this tool reads \(WAV, MP3, Ogg Vorbis or FLAC\)/);
  // A 1 kHz tone for 2 s at 16 kHz: recorded as 8 kHz, the same length and the same tone.
  const wide = join(dir, 'wide.wav');
  writeFileSync(
    wide,
    encodeWav(
      Int16Array.from({ length: 32000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 16000))),
      16000,
    ),
  );
  const rec = join(dir, 'wide-out');
  const converted = ringdown(
    'sim',
    'examples/guestbook.xml',
    '--events',
    `offhook@0 say:${wide}@2 onhook@4`,
    '--clip-ms',
    '1000',
    '--recordings',
    rec,
  );
  t.equal(converted.code, 0, converted.err);
  const kept = readWavSamples(readFileSync(join(rec, 'guest-1.wav')));
  if (typeof kept === 'string') throw new Error(kept);
  t.equal(kept.info.sampleRate, 8000);
  t.equal(kept.samples.length, 20000, 'from the end of the beep at 1.5 s to the on-hook at 4 s: 2.5 s at 8 kHz');
  const second = kept.samples.subarray(8000, 16000); // 2.5 s to 3.5 s: inside the tone
  let crossings = 0;
  for (let k = 1; k < second.length; k++) if (second[k - 1]! < 0 !== second[k]! < 0) crossings++;
  t.ok(Math.abs(crossings - 2000) <= 4, `a 1 kHz tone: ${crossings} zero crossings in a second`);
  const peak = Math.max(...second);
  t.ok(peak > 7600 && peak < 8400, `at its own level: peak ${peak} (the WAV's 8000)`);
  t.ok(
    kept.samples.subarray(0, 3900).every((v) => Math.abs(v) < 100),
    'silence before the voice starts at 2 s',
  );
  const mp3 = ringdown(
    'sim',
    'examples/guestbook.xml',
    '--events',
    'offhook@0 say:test/fixtures/greeting-44k-stereo.mp3@2 onhook@6',
    '--clip-ms',
    '1000',
  );
  t.equal(mp3.code, 0, mp3.err);
  t.match(mp3.out, /record-end +file="guest-1" reason="onhook"/, 'an MP3 is a caller too');
  t.match(parseEvents('say:@1'), /names no file/);
  t.match(parseEvents('say:a.wav@1.5'), [{ at: 1500, what: 'say', file: 'a.wav' }]);
  // Silence only: nothing is written.
  const out = join(dir, 'none');
  const quiet = ringdown(
    'sim',
    'examples/guestbook.xml',
    '--events',
    'offhook@0',
    '--clip-ms',
    '1000',
    '--recordings',
    out,
  );
  t.equal(quiet.code, 0, quiet.err);
  t.match(quiet.out, /record-discard +file="guest-1"/);
  t.same(readdirSync(out), []);
  t.notOk(existsSync(join(out, 'guest-1.wav')));
});

t.test('recording names: {n} is one more than the highest', async (t) => {
  t.equal(recordingName('msg-{n}', []), 'msg-1');
  t.equal(recordingName('msg-{n}', ['msg-1', 'msg-7', 'msg-x', 'other-9', 'msg-']), 'msg-8');
  t.equal(recordingName('{n}-day', ['3-day', '12-day']), '13-day');
  t.equal(recordingName('greeting', ['greeting']), 'greeting');
});

t.test('session: frames before the start are skipped, the finish guard is held back then dropped', async (t) => {
  const store = new MemoryRecordings();
  const writer = store.open('x');
  const session = new RecordingSession(writer, 10);
  const frame = (_atMs: number, n: number, value: number): Int16Array => new Int16Array(n).fill(value);
  session.frame({ samples: frame(0, 160, 1), atMs: 0 }); // 0-20 ms: the first 80 samples are before 10 ms
  session.frame({ samples: frame(20, 1600, 2), atMs: 20 });
  t.equal(session.finish(true), 80 + 1600 - 800);
  writer.close();
  const kept = store.recordings.get('x')!;
  t.equal(kept.length, 880);
  t.equal(kept[79], 1);
  t.equal(kept[80], 2);
  t.notOk(session.heardVoice);
});

t.test('simulated input: every sample in exactly one frame, stop delivers the part frame', async (t) => {
  const clock = new VirtualClock();
  const input = new SimAudioInput(clock);
  const voice = Int16Array.from({ length: 800 }, (_, i) => i + 1);
  clock.schedule(5, () => input.say(voice));
  const got: number[] = [];
  const starts: number[] = [];
  input.start((f) => {
    starts.push(f.atMs);
    got.push(...f.samples);
  });
  clock.schedule(113, () => input.stop());
  while (clock.step()) {}
  t.same(starts, [0, 20, 40, 60, 80, 100]);
  t.equal(got.length, 113 * 8);
  t.same(got.slice(40, 42), [1, 2]);
  t.equal(got[40 + 799], 800);
  t.equal(got[40 + 800], 0);
});

t.test('ringdown recordings: a flash dump (complete and cut-short recordings) and a folder of WAVs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-record-'));
  const store = new MemoryStore(4096, 16);
  const flash = new FlashRecordings(store);
  const message = Int16Array.from({ length: 12_000 }, (_, i) => ((i * 31) % 3000) - 1500);
  const kept = flash.open('msg-1');
  kept.append(message);
  kept.close();
  const cut = flash.open('msg-2');
  cut.append(message.subarray(0, 5000));
  cut.flush();
  cut.append(message.subarray(5000, 6000)); // not flushed: lost with the power
  const dump = join(dir, 'rec.bin');
  writeFileSync(dump, store.bytes);
  const out = join(dir, 'out');
  const r = ringdown('recordings', dump, '--out', out);
  t.equal(r.code, 0, r.err);
  t.equal(
    r.out,
    'msg-1  1.500 s  complete\nmsg-2  0.625 s  unfinished (cut short: its flushed blocks)\n2 recordings in 16 sectors of 4096 bytes\n',
  );
  t.same(samplesOf(join(out, 'msg-1.wav')), message);
  t.same(samplesOf(join(out, 'msg-2.wav')), message.subarray(0, 5000));
  const listed = ringdown('recordings', out);
  t.equal(listed.code, 0, listed.err);
  t.equal(listed.out, `msg-1  1.500 s  8000 Hz\nmsg-2  0.625 s  8000 Hz\n2 recordings in ${out}\n`);
  const odd = join(dir, 'odd.bin');
  writeFileSync(odd, new Uint8Array(5000));
  const bad = ringdown('recordings', odd);
  t.equal(bad.code, 1);
  t.match(bad.err, /5000 bytes is not a whole number of 4096-byte sectors/);
  t.equal(ringdown('recordings').code, 2);
});

t.test(
  'storage full: Record stops at the room (reason full), then plays its full text and the menu goes on; nothing older is overwritten',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ringdown-record-'));
    const voice = callerVoice(20);
    const wav = join(dir, 'caller.wav');
    writeFileSync(wav, encodeWav(voice));
    const out = join(dir, 'rec');
    // A store of 3 s: the first guest talks without a pause and fills it; the second finds it full.
    const r = ringdown(
      'sim',
      'examples/guestbook.xml',
      '--events',
      `offhook@0 say:${wav}@1.5 onhook@12 offhook@14 say:${wav}@15 onhook@25`,
      '--clip-ms',
      '1000',
      '--recordings',
      out,
      '--recordings-room',
      '3',
    );
    t.equal(r.code, 0, r.err);
    const lines = r.out.split('\n').map((l) => l.trim().replace(/ +/g, ' '));
    t.same(lines.slice(7, 10), [
      '1.500 record-start file="guest-1"',
      '4.500 record-end file="guest-1" reason="full" ms=3000',
      '4.500 play text="Thank you for your message. Goodbye!" clip="thank-you-for-your-message-goodbye" ms=1000',
    ]);
    t.same(lines.slice(14), [
      '14.000 offhook',
      '14.000 input pass=1 timeout=0 repeat=false',
      '14.000 play text="Welcome to our guestbook. Leave us a message after the beep, and hang up when you are done." clip="greeting" ms=1000',
      '15.000 wait ms=0',
      '15.000 timeout pass=1',
      '15.000 record-full file="guest-2"',
      '15.000 play text="Sorry, the message box is full." clip="sorry-the-message-box-is-full" ms=1000',
      '16.000 play text="Thank you for your message. Goodbye!" clip="thank-you-for-your-message-goodbye" ms=1000',
      '17.000 hangup reason="command"',
      '17.000 tone name="reorder"',
      '25.000 onhook',
      '25.000 tone-stop name="reorder"',
      '25.000 end',
      '',
    ]);
    t.same(readdirSync(out), ['guest-1.wav']);
    t.same(
      samplesOf(join(out, 'guest-1.wav')),
      voice.subarray(0, 3000 * 8),
      'the first message is whole: the caller from the end of the beep, 3 s',
    );
    const bad = ringdown('sim', 'examples/guestbook.xml', '--recordings-room', 'lots');
    t.equal(bad.code, 2);
    t.match(bad.err, /--recordings-room lots: expected the seconds of audio/);
  },
);

t.test('storage full: a Record full="..." text, and less than a second of room is full', async (t) => {
  const menu = join(mkdtempSync(join(tmpdir(), 'ringdown-record-')), 'full.xml');
  writeFileSync(
    menu,
    '<Response>\n  <Record file="memo-{n}" beep="true" full="No room, sorry."/>\n  <Speak>Bye.</Speak>\n</Response>\n',
  );
  const r = ringdown('sim', menu, '--clip-ms', '1000', '--recordings-room', '0.99');
  t.equal(r.code, 0, r.err);
  t.match(
    r.out,
    /0\.000 +record-full file="memo-1"\n +0\.000 +play +text="No room, sorry\." clip="no-room-sorry" ms=1000\n +1\.000 +play +text="Bye\."/,
  );
  const loaded = loadMenu('<Response>\n  <Record full=" "/>\n</Response>');
  t.match(loaded.diagnostics, [{ severity: 'error', line: 2, message: /full must say something/ }]);
});

t.test('Speak clip="guest-{n}": the newest recording of the pattern, else the text; checked', async (t) => {
  t.equal(newestRecording('guest-{n}', ['guest-2', 'guest-10', 'guest-x', 'greeting']), 'guest-10');
  t.equal(newestRecording('guest-{n}', ['greeting']), undefined);
  const ok = loadMenu('<Response><Speak clip="guest-{n}">No messages.</Speak></Response>');
  t.same(ok.diagnostics, []);
  t.match(ok.menu!.commands[0], { kind: 'speak', newest: 'guest-{n}', text: 'No messages.' });
  t.notOk('clip' in ok.menu!.commands[0]!, 'the text names the fallback clip');
  const empty = loadMenu('<Response>\n  <Speak clip="guest-{n}"/>\n</Response>');
  t.match(empty.diagnostics, [
    { severity: 'error', line: 2, col: 10, message: /needs a text to say when there is none/ },
  ]);
  const two = loadMenu('<Response>\n  <Speak clip="a-{n}-{n}">x</Speak>\n</Response>');
  t.match(two.diagnostics, [{ severity: 'error', line: 2, message: /at most one \{n\}/ }]);
});

t.test('flash recordings: room() is never more than fits without erasing a kept recording', async (t) => {
  const store = new MemoryStore(4096, 48);
  const flash = new FlashRecordings(store);
  t.equal(
    flash.room(),
    46 * 1600,
    'an empty region: every sector but the one written and one kept back, each at its fewest samples',
  );
  const kept: Array<{ name: string; samples: Int16Array }> = [];
  let n = 0;
  // Messages of 1.5 s (or what room is left), each written as the recorder writes: 20 ms frames through a session.
  for (;;) {
    const room = flash.room();
    if (room < 8000) break;
    const name = `msg-${++n}`;
    const length = Math.min(12_000, room - (room % 160));
    const samples = Int16Array.from({ length }, (_, i) => ((i * 29 + n * 577) % 5000) - 2500);
    const writer = flash.open(name);
    const session = new RecordingSession(writer, 0);
    for (let at = 0; at < length; at += 160) session.frame({ samples: samples.subarray(at, at + 160), atMs: at / 8 });
    session.finish(false);
    writer.close();
    kept.push({ name, samples });
  }
  t.ok(n >= 6, `${n} messages`);
  const stored = readStoredRecordings(store);
  t.same(
    stored.map((r) => [r.name, r.complete]),
    kept.map((k) => [k.name, true]),
    'every message kept, none overwritten',
  );
  for (const [i, r] of stored.entries()) t.same(readRecordingSamples(store, r.id), kept[i]!.samples);
  const total = kept.reduce((s, k) => s + k.samples.length, 0);
  t.ok(total >= 0.7 * ((48 * 4096) / 2), `${total} samples kept in ${48 * 4096} bytes`);
  // The ring would now erase the oldest sector, which holds msg-1: a Record plays its full text instead.
  t.ok(flash.room() < 8000);
});
