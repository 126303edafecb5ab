import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeWav, readWavInfo } from '../src/audio/wav.js';
import { clipSlug } from '../src/clips/catalog.js';

function ringdown(args: string[], env?: NodeJS.ProcessEnv): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8', ...(env !== undefined ? { env } : {}) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file in a folder with its bytes and modification time: "nothing changed" compares these. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    out[name] = `${statSync(path).mtimeMs} ${readFileSync(path).toString('base64')}`;
  }
  return out;
}

const DOOR_TEXTS = [
  'Welcome. For the office, press 1.',
  'For deliveries, press 2.',
  'For anything else, press 0.',
  'The office is open from nine to five. Please ring the bell on the left.',
  'Leave parcels in the box by the gate. Press 1 if the box is full.',
  'Please leave the parcel with the neighbour at number 12.',
  'Please write to us, or come back during office hours.',
  'Thank you. Goodbye!',
];

function doorPhoneCopy(): { top: string; menu: string; dir: string } {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-clips-'));
  const menu = join(top, 'door-phone.xml');
  copyFileSync('examples/door-phone.xml', menu);
  return { top, menu, dir: join(top, 'clips') };
}

t.test('clips: synthesizes every Speak of the door phone, writes catalog and manifest; a second run does nothing', async (t) => {
  const { menu, dir } = doorPhoneCopy();
  const first = ringdown(['clips', menu, '--out', dir]);
  t.equal(first.err, '');
  t.equal(first.code, 0);
  t.match(first.out, `${dir}: 8 clips: 0 recorded, 8 synthesized (8 new); wrote catalog.json, manifest.json`);
  const names = DOOR_TEXTS.map(clipSlug).sort();
  t.same(
    readdirSync(dir).sort(),
    ['catalog.json', 'manifest.json', ...names.map((n) => `${n}.wav`)].sort(),
    'one WAV a clip, named as the simulator traces it; no scratch files left',
  );
  for (const name of names) {
    const info = readWavInfo(readFileSync(join(dir, `${name}.wav`)));
    if (typeof info === 'string') {
      t.fail(`${name}: ${info}`);
      continue;
    }
    t.same([info.sampleRate, info.channels, info.bitsPerSample, info.format], [8000, 1, 16, 1], `${name} is 8 kHz mono 16-bit PCM`);
    t.ok(info.ms > 500 && info.ms < 10000, `${name} lasts ${info.ms} ms`);
  }
  const catalog = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8')) as { clips: Record<string, string>; synthesized: Record<string, unknown> };
  t.same(catalog.clips, Object.fromEntries(DOOR_TEXTS.map((text) => [text, clipSlug(text)])));
  t.same(Object.keys(catalog.synthesized).sort(), names);
  t.same(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), { resources: { '*': names.map((n) => `./${n}`) } });

  const before = snapshot(dir);
  const again = ringdown(['clips', menu, '--out', dir]);
  t.equal(again.code, 0);
  t.equal(again.out, `${dir}: up to date (8 clips: 0 recorded, 8 synthesized)\n`);
  t.same(snapshot(dir), before, 'nothing was rewritten');

  // The simulator takes each clip's length from its file.
  const sim = ringdown(['sim', menu, '--events', 'offhook@0', '--until', '3', '--jsonl']);
  const play = sim.out.split('\n').filter((l) => l.includes('"play"')).map((l) => JSON.parse(l) as { clip: string; ms: number })[0];
  const info = readWavInfo(readFileSync(join(dir, 'welcome-for-the-office-press-1.wav')));
  t.equal(play?.clip, 'welcome-for-the-office-press-1');
  t.equal(play?.ms, typeof info === 'string' ? -1 : info.ms);
  t.equal(sim.err, '', 'no estimate warnings once the clips exist');
});

t.test('clips: a recorded clip the catalog names is used as is; a changed text is made again and the old clip removed', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-clips-'));
  const dir = join(top, 'clips');
  mkdirSync(dir);
  const menu = join(top, 'm.xml');
  writeFileSync(menu, '<Response>\n  <Speak>Hello caller.</Speak>\n  <Speak clip="bye">Goodbye now.</Speak>\n</Response>\n');
  const recording = encodeWav(new Int16Array(8000).fill(1000));
  writeFileSync(join(dir, 'hello.wav'), recording);
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ clips: { 'Hello caller.': 'hello' } }));
  const r = ringdown(['clips', menu, '--out', dir]);
  t.equal(r.code, 0, r.err);
  t.match(r.out, '2 clips: 1 recorded, 1 synthesized (1 new)');
  t.same(readFileSync(join(dir, 'hello.wav')), Buffer.from(recording), 'the recording is untouched');
  const catalog = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8')) as { clips: Record<string, string>; synthesized: Record<string, unknown> };
  t.same(catalog.clips, { 'Hello caller.': 'hello' }, 'a Speak with its own clip name needs no catalog entry');
  t.same(Object.keys(catalog.synthesized), ['bye']);

  writeFileSync(menu, '<Response>\n  <Speak>Hello caller.</Speak>\n  <Speak clip="bye">Goodbye for now.</Speak>\n  <Speak>See you.</Speak>\n</Response>\n');
  const byeBefore = readFileSync(join(dir, 'bye.wav'));
  const changed = ringdown(['clips', menu, '--out', dir]);
  t.equal(changed.code, 0, changed.err);
  t.match(changed.out, '3 clips: 1 recorded, 2 synthesized (2 new)');
  t.not(readFileSync(join(dir, 'bye.wav')).equals(byeBefore), 'bye.wav says the new text');

  writeFileSync(menu, '<Response>\n  <Speak>Hello caller.</Speak>\n</Response>\n');
  const fewer = ringdown(['clips', menu, '--out', dir]);
  t.match(fewer.out, 'removed 2 no longer used');
  t.same(readdirSync(dir).sort(), ['catalog.json', 'hello.wav', 'manifest.json'], 'synthesized clips no menu plays are gone; the recording stays');
});

/** Bytes of a WAV header with the given format fields and `frames` frames of silence. */
function wav(rate: number, channels: number, bits: number, format = 1, frames = 800): Uint8Array {
  const bytes = encodeWav(new Int16Array((frames * channels * bits) / 16), rate);
  const view = new DataView(bytes.buffer);
  view.setUint16(20, format, true);
  view.setUint16(22, channels, true);
  view.setUint16(32, (channels * bits) / 8, true);
  view.setUint16(34, bits, true);
  return bytes;
}

t.test('clips: bad recordings each give a clear error naming the file, and change nothing', async (t) => {
  const { menu, dir } = doorPhoneCopy();
  t.equal(ringdown(['clips', menu, '--out', dir]).code, 0);
  const target = join(dir, 'thank-you-goodbye.wav');
  const cases: [string, Uint8Array, string][] = [
    ['wrong rate', wav(44100, 1, 16), '44100 Hz; need 8000 Hz'],
    ['stereo', wav(8000, 2, 16), '2 channels; need mono'],
    ['8-bit', wav(8000, 1, 8), '8-bit samples; need 16-bit'],
    ['compressed (A-law)', wav(8000, 1, 16, 6), 'compressed or float WAV (format 6); need 16-bit PCM'],
    ['truncated header', encodeWav(new Int16Array(800)).subarray(0, 30), 'truncated WAV header (fmt chunk)'],
    ['truncated data', encodeWav(new Int16Array(800)).subarray(0, 500), 'truncated WAV data: header says 1600 bytes, file has 456'],
    ['not audio at all', new TextEncoder().encode('<html>not a clip</html>\n'), 'not a WAV file (no RIFF/WAVE header)'],
  ];
  for (const [what, bytes, message] of cases) {
    writeFileSync(target, bytes);
    const before = snapshot(dir);
    const r = ringdown(['clips', menu, '--out', dir]);
    t.equal(r.code, 1, `${what}: exit 1`);
    t.equal(r.out, '', `${what}: nothing reported as built`);
    t.match(r.err, `${target}: error: ${message}; the device plays 8 kHz mono 16-bit PCM WAV (used by ${menu}:32:3)`, `${what}: error names the file`);
    t.match(r.err, `${dir}: nothing changed`);
    t.same(snapshot(dir), before, `${what}: nothing changed`);
  }
  t.match(ringdown(['clips', menu, '--out', dir]).err, 'hint: export the recording again as WAV', 'no convert hint for a file that is not audio');
  writeFileSync(target, wav(44100, 1, 16));
  t.match(ringdown(['clips', menu, '--out', dir]).err, `hint: convert it: sox ${target} -r 8000 -c 1 -b 16 -e signed-integer`);
});

t.test('clips: a bad menu or catalog, or a Play with no recording, changes nothing', async (t) => {
  const { top, menu, dir } = doorPhoneCopy();
  const bad = join(top, 'bad.xml');
  writeFileSync(bad, '<Response>\n  <Speak>Unclosed\n</Response>\n');
  const r = ringdown(['clips', menu, bad, '--out', dir]);
  t.equal(r.code, 1);
  t.match(r.err, `${bad}:`);
  t.notOk(existsSync(dir), 'the clip folder was not even made');

  mkdirSync(dir);
  writeFileSync(join(dir, 'catalog.json'), '{"clips": {"Hi": "no spaces allowed"}}');
  const catalog = ringdown(['clips', menu, '--out', dir]);
  t.equal(catalog.code, 1);
  t.match(catalog.err, `${join(dir, 'catalog.json')}: error: clip for "Hi" must be a clip name`);
  t.same(readdirSync(dir), ['catalog.json']);

  const play = join(top, 'play.xml');
  writeFileSync(play, '<Response>\n  <Play>c:\\audio\\welcome.wav</Play>\n</Response>\n');
  const p = ringdown(['clips', play, '--out', join(top, 'other')]);
  t.equal(p.code, 1);
  t.match(p.err, `${play}:2:3: error: <Play> names clip 'welcome', which is not in`);
  t.notOk(existsSync(join(top, 'other')));
});

t.test('clips: without espeak-ng the message says how to install it, and nothing is made', async (t) => {
  const { menu, dir } = doorPhoneCopy();
  const r = ringdown(['clips', menu, '--out', dir], { ...process.env, PATH: '/nonexistent' });
  t.equal(r.code, 1);
  t.match(r.err, 'espeak-ng is not installed; it speaks the Speak texts that have no recorded clip (hint: on Debian/Ubuntu run: sudo apt-get install espeak-ng');
  t.notOk(existsSync(dir));
  const usage = ringdown(['clips', menu]);
  t.equal(usage.code, 2);
  t.match(usage.err, 'usage: ringdown clips MENU.xml... --out DIR');
});
