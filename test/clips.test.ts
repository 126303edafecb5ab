import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { devicePlayMs } from '../tools/menu-file.js';
import t from 'tap';
import { encodeWav, readWavInfo } from '../src/audio/wav.js';
import { checkCatalog, clipSlug, MAX_CLIP_NAME } from '../src/clips/catalog.js';
import { bytesHash, readFolderState } from '../tools/clips/folder.js';
import { FALLBACK_CLIP } from '../src/engine/fallback.js';

function ringdown(args: string[], env?: NodeJS.ProcessEnv): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], {
    encoding: 'utf8',
    ...(env !== undefined ? { env } : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every file in a folder with its bytes and modification time: "nothing changed" compares these. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stats = statSync(path);
    out[name] = `${stats.mtimeMs} ${stats.isFile() ? readFileSync(path).toString('base64') : 'not a file'}`;
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

t.test(
  'clips: synthesizes every Speak of the door phone, writes catalog and manifest; a second run does nothing',
  async (t) => {
    const { menu, dir } = doorPhoneCopy();
    const first = ringdown(['clips', menu, '--out', dir]);
    t.equal(first.err, '');
    t.equal(first.code, 0);
    t.match(first.out, `${dir}: 9 clips: 0 recorded, 9 synthesized (9 new); wrote catalog.json, manifest.json`);
    // Every Speak of the menu, and the device's fallback clip (played when a menu fails to load).
    const names = [...DOOR_TEXTS.map(clipSlug), FALLBACK_CLIP].sort();
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
      t.same(
        [info.sampleRate, info.channels, info.bitsPerSample, info.format],
        [8000, 1, 16, 1],
        `${name} is 8 kHz mono 16-bit PCM`,
      );
      t.ok(info.ms > 500 && info.ms < 10000, `${name} lasts ${info.ms} ms`);
    }
    const catalog = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8')) as {
      clips: Record<string, string>;
      synthesized: Record<string, unknown>;
    };
    t.same(catalog.clips, Object.fromEntries(DOOR_TEXTS.map((text) => [text, clipSlug(text)])));
    t.same(Object.keys(catalog.synthesized).sort(), names);
    t.same(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), {
      resources: { '*': names.map((n) => `./${n}`) },
    });

    const before = snapshot(dir);
    const again = ringdown(['clips', menu, '--out', dir]);
    t.equal(again.code, 0);
    t.equal(again.out, `${dir}: up to date (9 clips: 0 recorded, 9 synthesized)\n`);
    t.same(snapshot(dir), before, 'nothing was rewritten');

    // The simulator takes each clip's length from its file.
    const sim = ringdown(['sim', menu, '--events', 'offhook@0', '--until', '3', '--jsonl']);
    const play = sim.out
      .split('\n')
      .filter((l) => l.includes('"play"'))
      .map((l) => JSON.parse(l) as { clip: string; ms: number })[0];
    const info = readWavInfo(readFileSync(join(dir, 'welcome-for-the-office-press-1.wav')));
    t.equal(play?.clip, 'welcome-for-the-office-press-1');
    t.equal(play?.ms, typeof info === 'string' ? -1 : devicePlayMs(info), 'as the device plays it: whole IMA blocks');
    t.equal(sim.err, '', 'no estimate warnings once the clips exist');
  },
);

t.test(
  'clips: a recorded clip the catalog names is used as is; a changed text is made again and the old clip removed',
  async (t) => {
    const top = mkdtempSync(join(tmpdir(), 'ringdown-clips-'));
    const dir = join(top, 'clips');
    mkdirSync(dir);
    const menu = join(top, 'm.xml');
    writeFileSync(
      menu,
      '<Response>\n  <Speak>Hello caller.</Speak>\n  <Speak clip="bye">Goodbye now.</Speak>\n</Response>\n',
    );
    const recording = encodeWav(new Int16Array(8000).fill(1000));
    writeFileSync(join(dir, 'hello.wav'), recording);
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ clips: { 'Hello caller.': 'hello' } }));
    const r = ringdown(['clips', menu, '--out', dir]);
    t.equal(r.code, 0, r.err);
    t.match(r.out, '3 clips: 1 recorded, 2 synthesized (2 new)');
    t.same(readFileSync(join(dir, 'hello.wav')), Buffer.from(recording), 'the recording is untouched');
    const catalog = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8')) as {
      clips: Record<string, string>;
      synthesized: Record<string, unknown>;
    };
    t.same(catalog.clips, { 'Hello caller.': 'hello' }, 'a Speak with its own clip name needs no catalog entry');
    t.same(Object.keys(catalog.synthesized).sort(), ['bye', FALLBACK_CLIP]);

    writeFileSync(
      menu,
      '<Response>\n  <Speak>Hello caller.</Speak>\n  <Speak clip="bye">Goodbye for now.</Speak>\n  <Speak>See you.</Speak>\n</Response>\n',
    );
    const byeBefore = readFileSync(join(dir, 'bye.wav'));
    const changed = ringdown(['clips', menu, '--out', dir]);
    t.equal(changed.code, 0, changed.err);
    t.match(changed.out, '4 clips: 1 recorded, 3 synthesized (2 new)');
    t.not(readFileSync(join(dir, 'bye.wav')).equals(byeBefore), 'bye.wav says the new text');

    writeFileSync(menu, '<Response>\n  <Speak>Hello caller.</Speak>\n</Response>\n');
    const fewer = ringdown(['clips', menu, '--out', dir]);
    t.match(fewer.out, 'removed 2 no longer used');
    t.same(
      readdirSync(dir).sort(),
      ['catalog.json', 'hello.wav', 'manifest.json', `${FALLBACK_CLIP}.wav`],
      'synthesized clips no menu plays are gone; the recording stays',
    );
  },
);

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
    [
      'truncated data',
      encodeWav(new Int16Array(800)).subarray(0, 500),
      'truncated WAV data: header says 1600 bytes, file has 456',
    ],
    ['not audio at all', new TextEncoder().encode('<html>not a clip</html>\n'), 'not a WAV file (no RIFF/WAVE header)'],
  ];
  for (const [what, bytes, message] of cases) {
    writeFileSync(target, bytes);
    const before = snapshot(dir);
    const r = ringdown(['clips', menu, '--out', dir]);
    t.equal(r.code, 1, `${what}: exit 1`);
    t.equal(r.out, '', `${what}: nothing reported as built`);
    t.match(
      r.err,
      `${target}: error: ${message}; the device plays 8 kHz mono 16-bit PCM WAV (used by ${menu}:32:3)`,
      `${what}: error names the file`,
    );
    t.match(r.err, `${dir}: nothing changed`);
    t.same(snapshot(dir), before, `${what}: nothing changed`);
  }
  const recordings = join(dirname(menu), 'recordings');
  t.match(
    ringdown(['clips', menu, '--out', dir]).err,
    `hint: export the recording again (WAV, MP3, Ogg or FLAC) to ${join(recordings, 'thank-you-goodbye.wav')}`,
    'no convert hint for a file that is not audio',
  );
  writeFileSync(target, wav(44100, 1, 16));
  t.match(
    ringdown(['clips', menu, '--out', dir]).err,
    `hint: move it to ${join(recordings, 'thank-you-goodbye.wav')} and it is converted`,
  );
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

t.test('clips: with no synthesizer at all the message says how to get one, and nothing is made', async (t) => {
  const { menu, dir } = doorPhoneCopy();
  // RINGDOWN_SPEECH=system: as if the npm package espeak-ng were missing too.
  const r = ringdown(['clips', menu, '--out', dir], {
    ...process.env,
    PATH: '/nonexistent',
    RINGDOWN_SPEECH: 'system',
  });
  t.equal(r.code, 1);
  t.match(
    r.err,
    'espeak-ng is not installed and the npm package espeak-ng is missing; one of them speaks the Speak texts that have no recorded clip (hint: npm install, or on Debian/Ubuntu: sudo apt-get install espeak-ng',
  );
  t.notOk(existsSync(dir));
  const usage = ringdown(['clips', menu]);
  t.equal(usage.code, 2);
  t.match(usage.err, 'ringdown clips: missing required option --out');
});

/** A folder with recordings for every clip of `menuText` (and the fallback clip): `clips` needs no synthesizer. */
function recordedFolder(menuText: string, recorded: readonly string[]): { top: string; menu: string; dir: string } {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-clips-'));
  const dir = join(top, 'clips');
  mkdirSync(dir);
  const menu = join(top, 'm.xml');
  writeFileSync(menu, menuText);
  for (const name of [...recorded, FALLBACK_CLIP])
    writeFileSync(join(dir, `${name}.wav`), encodeWav(new Int16Array(800).fill(500)));
  return { top, menu, dir };
}

t.test(
  'clips: every name in catalog.json must be a plain clip name; a bad one is an error naming the entry, and nothing outside the folder is touched',
  async (t) => {
    const { top, menu, dir } = recordedFolder('<Response>\n  <Speak clip="hello">Hello.</Speak>\n</Response>\n', [
      'hello',
    ]);
    mkdirSync(join(top, 'victim'));
    const victim = join(top, 'victim', 'important.wav');
    const victimBytes = encodeWav(new Int16Array(800).fill(1234));
    writeFileSync(victim, victimBytes);
    const hash = bytesHash(victimBytes);
    const bad = [
      '../victim/important',
      join(top, 'victim', 'important'),
      'a/b',
      'a\\b',
      '..',
      '.hidden',
      'a\u0000b',
      'bell\u0007',
      'x'.repeat(MAX_CLIP_NAME + 1),
      '',
    ];
    for (const name of bad) {
      for (const where of ['synthesized', 'clips'] as const) {
        const catalog =
          where === 'synthesized'
            ? { clips: {}, synthesized: { [name]: { from: '0123456789abcdef', sha256: hash } } }
            : { clips: { 'Hello.': name } };
        writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
        const before = snapshot(dir);
        const r = ringdown(['clips', menu, '--out', dir]);
        t.equal(r.code, 1, `${where} ${JSON.stringify(name)}: exit 1`);
        t.match(r.err, `${join(dir, 'catalog.json')}: error: `, `${where} ${JSON.stringify(name)}: names the catalog`);
        t.ok(r.err.includes(JSON.stringify(name)), `${where} ${JSON.stringify(name)}: names the entry`);
        t.same(
          readFileSync(victim),
          Buffer.from(victimBytes),
          `${where} ${JSON.stringify(name)}: the file outside the folder is untouched`,
        );
        t.same(snapshot(dir), before, `${where} ${JSON.stringify(name)}: nothing changed`);
      }
    }
  },
);

t.test(
  'clip names: property: any name a catalog gives is either refused naming it, or a plain file inside the clip folder',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ringdown-names-'));
    const names = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.stringMatching(/^[A-Za-z0-9_./\\-]{0,200}$/),
      fc.constantFrom(
        '..',
        '.',
        '../x',
        '/etc/passwd',
        'a/../../b',
        '__proto__',
        'constructor',
        'toString',
        'a\u0000b',
        'a\nb',
        'x'.repeat(MAX_CLIP_NAME),
        'x'.repeat(MAX_CLIP_NAME + 1),
      ),
    );
    fc.assert(
      fc.property(names, (name) => {
        writeFileSync(
          join(dir, 'catalog.json'),
          JSON.stringify({ clips: { Text: name }, synthesized: { [name]: { from: 'x', sha256: '0123456789abcdef' } } }),
        );
        const state = readFolderState(dir);
        const checked = checkCatalog({ clips: { Text: name } });
        if (typeof state === 'string' || typeof checked === 'string') {
          // Refused: the message names the entry.
          return (
            (typeof state !== 'string' || state.includes(JSON.stringify(name))) &&
            (typeof checked !== 'string' || checked.includes(JSON.stringify(name)))
          );
        }
        const file = `${name}.wav`;
        const inside = resolve(dir, file);
        return (
          state.synthesized.get(name) !== undefined &&
          checked.clips.Text === name &&
          dirname(inside) === resolve(dir) &&
          basename(inside) === file &&
          Buffer.byteLength(file) <= 143 &&
          !/[\u0000-\u001f\u007f]/.test(name)
        );
      }),
      { seed: 12, numRuns: 1000 },
    );
    t.pass('1000 names');
  },
);

t.test('clips: catalog texts and clip names like __proto__ and constructor are plain keys', async (t) => {
  const { menu, dir } = recordedFolder(
    '<Response>\n  <Speak>__proto__</Speak>\n  <Speak>constructor</Speak>\n</Response>\n',
    ['hello', 'constructor'],
  );
  // JSON.stringify drops a literal __proto__ key: write it by hand.
  writeFileSync(join(dir, 'catalog.json'), '{"clips": {"__proto__": "hello", "constructor": "constructor"}}');
  const r = ringdown(['clips', menu, '--out', dir]);
  t.equal(r.code, 0, r.err);
  t.match(
    r.out,
    '3 clips: 3 recorded, 0 synthesized (0 new)',
    'the catalog entry "__proto__" names the recording hello',
  );
  const catalog = readFileSync(join(dir, 'catalog.json'), 'utf8');
  t.match(catalog, '"__proto__": "hello"');
  t.equal(ringdown(['clips', menu, '--out', dir]).out, `${dir}: up to date (3 clips: 3 recorded, 0 synthesized)\n`);
});

t.test('clips: a recording put in place of a clip clips made is never deleted', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-clips-'));
  const dir = join(top, 'clips');
  const menu = join(top, 'm.xml');
  writeFileSync(menu, '<Response>\n  <Speak>Welcome.</Speak>\n  <Speak>Bye.</Speak>\n</Response>\n');
  t.equal(ringdown(['clips', menu, '--out', dir]).code, 0);
  const recording = encodeWav(new Int16Array(8000).fill(321));
  writeFileSync(join(dir, 'welcome.wav'), recording);
  writeFileSync(menu, '<Response>\n  <Speak>Bye.</Speak>\n</Response>\n');
  const r = ringdown(['clips', menu, '--out', dir]);
  t.equal(r.code, 0, r.err);
  t.match(r.out, `${dir}: kept ${join(dir, 'welcome.wav')}: changed since ringdown clips made it; not removed`);
  t.notMatch(r.out, /removed \d/);
  t.same(readFileSync(join(dir, 'welcome.wav')), Buffer.from(recording), 'the recording is untouched');
  const catalog = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8')) as {
    clips: Record<string, string>;
    synthesized: Record<string, unknown>;
  };
  t.same(
    Object.keys(catalog.synthesized).sort(),
    ['bye', FALLBACK_CLIP],
    'welcome.wav is no longer listed as made by clips',
  );
  t.equal(catalog.clips['Welcome.'], 'welcome', 'its catalog entry stays with it');
  t.match(ringdown(['clips', menu, '--out', dir]).out, `${dir}: up to date`);
  // Put the menu back: the recording is used as it is, not synthesized over.
  writeFileSync(menu, '<Response>\n  <Speak>Welcome.</Speak>\n  <Speak>Bye.</Speak>\n</Response>\n');
  t.match(ringdown(['clips', menu, '--out', dir]).out, '3 clips: 1 recorded, 2 synthesized');
  t.same(readFileSync(join(dir, 'welcome.wav')), Buffer.from(recording));
});

t.test(
  'clips: all or nothing: a folder or other non-file where a file goes is found before anything moves',
  async (t) => {
    const top = mkdtempSync(join(tmpdir(), 'ringdown-clips-'));
    const dir = join(top, 'clips');
    const menu = join(top, 'm.xml');
    writeFileSync(menu, '<Response>\n  <Speak clip="sub">Sub.</Speak>\n</Response>\n');
    t.equal(ringdown(['clips', menu, '--out', dir]).code, 0);

    // A clip made before, no longer used, and now a folder: left alone and reported.
    rmSync(join(dir, 'sub.wav'));
    mkdirSync(join(dir, 'sub.wav'));
    writeFileSync(menu, '<Response>\n  <Speak clip="other">Other.</Speak>\n</Response>\n');
    const stale = ringdown(['clips', menu, '--out', dir]);
    t.equal(stale.code, 0, stale.err);
    t.match(
      stale.out,
      `kept ${join(dir, 'sub.wav')}: cannot read the file: it is a directory, not a regular file; not removed`,
    );
    t.ok(statSync(join(dir, 'sub.wav')).isDirectory());
    t.ok(existsSync(join(dir, 'other.wav')));

    // manifest.json a folder: nothing moves, not even the new clip.
    rmSync(join(dir, 'manifest.json'));
    mkdirSync(join(dir, 'manifest.json'));
    writeFileSync(menu, '<Response>\n  <Speak clip="third">Third.</Speak>\n</Response>\n');
    const before = snapshot(dir);
    const blocked = ringdown(['clips', menu, '--out', dir]);
    t.equal(blocked.code, 1);
    t.match(blocked.err, `${join(dir, 'manifest.json')}: error: it is a directory, not a file this tool can replace`);
    t.match(blocked.err, `${dir}: nothing changed`);
    t.same(snapshot(dir), before, 'no clip moved in, catalog.json as it was');
    t.notOk(existsSync(join(dir, 'third.wav')));
    t.same(
      readdirSync(dir).filter((n) => n.startsWith('.')),
      [],
      'no scratch folder left',
    );

    // A folder where a needed clip goes: an error naming it.
    rmSync(join(dir, 'manifest.json'), { recursive: true });
    mkdirSync(join(dir, 'third.wav'));
    const needed = ringdown(['clips', menu, '--out', dir]);
    t.equal(needed.code, 1);
    t.match(
      needed.err,
      `${join(dir, 'third.wav')}: error: cannot read the file: it is a directory, not a regular file; clip 'third' (used by ${menu}:2:3) goes there`,
    );
  },
);

t.test('clips: scratch files never share the clip namespace: a clip named espeak can be made', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-clips-'));
  const dir = join(top, 'clips');
  const menu = join(top, 'm.xml');
  writeFileSync(menu, '<Response>\n  <Speak clip="espeak">Hello there.</Speak>\n</Response>\n');
  const r = ringdown(['clips', menu, '--out', dir]);
  t.equal(r.code, 0, r.err);
  const info = readWavInfo(readFileSync(join(dir, 'espeak.wav')));
  t.ok(
    typeof info !== 'string' && info.sampleRate === 8000 && info.ms > 300,
    `espeak.wav is a clip: ${JSON.stringify(info)}`,
  );
  t.same(readdirSync(dir).sort(), ['catalog.json', 'espeak.wav', 'manifest.json', `${FALLBACK_CLIP}.wav`]);
});

t.test('clips: a FIFO, a device or a symlink to /dev/zero where a clip goes is an error, never read', async (t) => {
  const { menu, dir } = recordedFolder(
    '<Response>\n  <Speak clip="a">A.</Speak>\n  <Speak clip="b">B.</Speak>\n</Response>\n',
    [],
  );
  t.equal(spawnSync('mkfifo', [join(dir, 'a.wav')]).status, 0);
  symlinkSync('/dev/zero', join(dir, 'b.wav'));
  const r = spawnSync(process.execPath, ['bin/ringdown.js', 'clips', menu, '--out', dir], {
    encoding: 'utf8',
    timeout: 20000,
  });
  t.equal(r.status, 1, 'ends, with an error');
  t.match(r.stderr, `${join(dir, 'a.wav')}: error: cannot read the file: it is a FIFO, not a regular file`);
  t.match(r.stderr, `${join(dir, 'b.wav')}: error: cannot read the file: it is a device, not a regular file`);
});

t.test('clips --say: speaks one text to the WAV named, the format say:FILE and the device take', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-say-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const wav = join(dir, 'caller.wav');
  const r = ringdown(['clips', '--say', 'Hello, this is a test message.', '--out', wav]);
  t.equal(r.code, 0, r.err);
  const info = readWavInfo(readFileSync(wav));
  if (typeof info === 'string') throw new Error(info);
  t.same([info.sampleRate, info.channels, info.bitsPerSample], [8000, 1, 16], '8 kHz mono 16-bit');
  t.ok(info.ms > 1000 && info.ms < 5000, `speech-length: ${info.ms} ms`);
  t.same(readdirSync(dir), ['caller.wav'], 'nothing else written');
  t.equal(
    ringdown(['clips', '--say', 'Hi.', '--out', join(dir, 'caller.mp3')]).code,
    2,
    'a name of another audio format is a usage error',
  );
  t.equal(ringdown(['clips', '--say', '  ', '--out', wav]).code, 2, 'no text is a usage error');
  t.equal(
    ringdown(['clips', 'examples/door-phone.xml', '--say', 'Hi.', '--out', wav]).code,
    2,
    'a menu and --say together is a usage error',
  );
  mkdirSync(join(dir, 'folder.wav'));
  const folder = ringdown(['clips', '--say', 'Hi.', '--out', join(dir, 'folder.wav')]);
  t.equal(folder.code, 1);
  t.match(folder.err, /folder\.wav: it is a directory/);
});
