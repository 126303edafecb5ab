import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeWav } from '../src/audio/wav.js';

function ringdown(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

t.test('check: Ozeki examples; the unquoted CallId is reported at its line and column', async (t) => {
  const r = ringdown('check', 'examples/ozeki/hangup-simple.xml', 'examples/ozeki/third-party-detailed.xml');
  t.equal(r.code, 1);
  t.equal(
    r.out,
    'examples/ozeki/hangup-simple.xml: ok\n' +
      'examples/ozeki/third-party-detailed.xml:4:29: error: value of attribute \'CallId\' must be quoted (hint: write CallId="23Xdz7")\n',
  );
  const ok = ringdown('check', 'examples/ozeki/hangup-detailed.xml', 'examples/door-phone.xml');
  t.equal(ok.code, 0);
});

t.test('check: unreadable file and invalid UTF-8 are positioned errors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-'));
  const bad = join(dir, 'bad.xml');
  writeFileSync(
    bad,
    Buffer.concat([Buffer.from('<Response>\n  <Speak>caf'), Buffer.from([0xe9]), Buffer.from('</Speak>\n</Response>')]),
  );
  const r = ringdown('check', bad, join(dir, 'missing.xml'));
  t.equal(r.code, 2, 'a file that cannot be read is an input error (it outweighs the findings)');
  t.equal(
    r.out,
    `${bad}:2:13: error: invalid UTF-8 byte 0xE9 (hint: save the menu as UTF-8)\n${join(dir, 'missing.xml')}:1:1: error: cannot read the file (ENOENT)\n`,
  );
});

t.test('check --clips: a missing clip is an error naming the Speak', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-clips-'));
  const dir = join(top, 'clips');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'catalog.json'),
    JSON.stringify({ clips: { 'Your call will be hanged up in 5 seconds.': 'bye5' } }),
  );
  const menu = join(top, 'm.xml');
  writeFileSync(
    menu,
    '<Response>\n  <Speak>Your call will be hanged up in 5 seconds.</Speak>\n  <Speak clip="ding">Ding.</Speak>\n</Response>\n',
  );
  const missing = ringdown('check', menu, '--clips', dir);
  t.equal(missing.code, 1);
  t.equal(
    missing.out,
    `${menu}:2:3: error: clip 'bye5' is missing from ${dir} (hint: record ${dir}/bye5.wav (8 kHz mono 16-bit) or run: ringdown clips MENU --out ${dir})\n` +
      `${menu}:3:3: error: clip 'ding' is missing from ${dir} (hint: record ${dir}/ding.wav (8 kHz mono 16-bit) or run: ringdown clips MENU --out ${dir})\n`,
  );
  writeFileSync(join(dir, 'bye5.wav'), encodeWav(new Int16Array(8000 * 3)));
  writeFileSync(join(dir, 'ding.wav'), encodeWav(new Int16Array(4000)));
  t.equal(ringdown('check', menu, '--clips', dir).code, 0);
  const sim = ringdown('sim', menu, '--jsonl');
  t.equal(sim.code, 0, 'clips beside the menu are found without --clips');
  t.same(
    sim.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown),
    [
      { t: 0, type: 'offhook' },
      { t: 0, type: 'play', text: 'Your call will be hanged up in 5 seconds.', clip: 'bye5', ms: 2999 },
      { t: 2999, type: 'play', text: 'Ding.', clip: 'ding', ms: 500 },
      { t: 3499, type: 'hangup', reason: 'end' },
      { t: 3499, type: 'tone', name: 'reorder' },
      { t: 3499, type: 'end' },
    ],
    'durations come from the WAV files, in whole 129-sample IMA blocks as the device plays them (24,000 samples: 23,994)',
  );
  t.equal(sim.err, '');
});

t.test('sim --jsonl: the two pinned figures of the issue', async (t) => {
  const simple = ringdown(
    'sim',
    'examples/ozeki/hangup-simple.xml',
    '--events',
    'offhook@0',
    '--clip-ms',
    '2000',
    '--jsonl',
  );
  const events = simple.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: number; type: string });
  t.same(
    events.find((e) => e.type === 'hangup'),
    { t: 8000, type: 'hangup', reason: 'command' },
  );
  const detailed = ringdown(
    'sim',
    'examples/ozeki/hangup-detailed.xml',
    '--events',
    'offhook@0 2@7',
    '--clip-ms',
    '2000',
    '--jsonl',
  );
  const d = detailed.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: number; type: string; clip?: string });
  t.same(
    d.find((e) => e.type === 'play-cut'),
    { t: 7000, type: 'play-cut', clip: 'to-subscribe-to-the-silver-package-press-1', reason: 'barge-in' },
  );
  t.same(
    d.find((e) => e.type === 'hangup'),
    { t: 9000, type: 'hangup', reason: 'command' },
  );
});

t.test('sim: without --clip-ms and clips, lengths are estimated with a warning', async (t) => {
  // A copy away from examples/ozeki/clips, which `npm run clips` may have made.
  const menu = join(mkdtempSync(join(tmpdir(), 'ringdown-')), 'hangup-simple.xml');
  copyFileSync('examples/ozeki/hangup-simple.xml', menu);
  const r = ringdown('sim', menu, '--jsonl');
  t.equal(r.code, 0);
  t.match(r.out, /"type":"play".*"ms":2665/);
  t.equal(
    r.err,
    `${menu}: warning: no clip for "Your call will be hanged up in 5 seconds."; its length was estimated from the text (give --clip-ms or run ringdown clips)\n`,
  );
});

t.test('sim: bad arguments and bad menus', async (t) => {
  const bad = ringdown('sim', 'examples/ozeki/hangup-simple.xml', '--events', 'offhook@0 lift@2');
  t.equal(bad.code, 2);
  t.equal(
    bad.err,
    "ringdown sim: --events: event 2 'lift@2': 'lift' is not offhook, onhook, flash, a key 0-9 * # A-D, dial:N, break:MS, ring, ring:NAME or say:FILE\n",
  );
  const time = ringdown('sim', 'examples/ozeki/hangup-simple.xml', '--events', '1@soon');
  t.equal(
    time.err,
    'ringdown sim: --events: event 1 \'1@soon\': "soon" is not a number of seconds (a plain decimal such as 7 or 7.5)\n',
  );
  const malformed = ringdown('sim', 'examples/ozeki/third-party-detailed.xml');
  t.equal(malformed.code, 1);
  t.match(malformed.err, /third-party-detailed\.xml:4:29: error: value of attribute 'CallId' must be quoted/);
  const unknown = ringdown('frobnicate');
  t.equal(unknown.code, 2);
  t.match(unknown.err, /unknown command 'frobnicate'/);
});

t.test('sim --until stops the run at that time', async (t) => {
  const r = ringdown('sim', 'examples/ozeki/hangup-detailed.xml', '--clip-ms', '2000', '--until', '5', '--jsonl');
  const lines = r.out.trim().split('\n');
  t.same(JSON.parse(lines[lines.length - 1]!), { t: 5000, type: 'end' });
  t.notMatch(r.out, /"type":"timeout"/);
});

t.test('check --board: output names come from the board file', async (t) => {
  t.equal(ringdown('check', '--board', 'sim', 'examples/door-pin.xml').code, 0);
  const unknown = ringdown('check', '--board', 'toaster', 'examples/door-pin.xml');
  t.equal(unknown.code, 2);
  t.match(unknown.err, /^ringdown check: --board: no board 'toaster' \(known: .*sim.*\)/);
});

t.test(
  'check --board: <Record> on a board without an audio input is an error naming the boards that can',
  async (t) => {
    const mt8870 = ringdown('check', '--board', 'esp32-ag1171-mt8870', 'examples/guestbook.xml');
    t.equal(mt8870.code, 1, 'exit 1: findings');
    const lines = mt8870.out.trim().split('\n');
    t.same(
      lines.map((l) => l.split(': error: ')[0]),
      ['examples/guestbook.xml:34:21', 'examples/guestbook.xml:57:3'],
      'one error at each <Record>',
    );
    t.match(
      lines[0],
      /board 'esp32-ag1171-mt8870' has no audio input: <Record> cannot record on it \(hint: boards that can record: esp32-ag1171-i2s, esp32-ag1171-sdtmf\)$/,
    );
    t.equal(
      ringdown('check', '--board', 'pico-ag1171-mt8870', 'examples/guestbook.xml').code,
      1,
      'nor on the Pico board',
    );
    t.equal(
      ringdown('check', '--board', 'esp32-ag1171-sdtmf', 'examples/guestbook.xml').code,
      0,
      'the board whose manifest opens a recordings store records',
    );
    t.equal(ringdown('check', 'examples/guestbook.xml').code, 0, 'so does the simulator, the default board');
    t.equal(
      ringdown('check', '--board', 'esp32-ag1171-mt8870', 'examples/door-pin.xml').code,
      0,
      'a menu without <Record> is fine anywhere',
    );
  },
);

t.test('check --phone rotary: a warning at each Input only a keypad reaches; the guestbook has none', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-rotary-'));
  const menu = join(dir, 'menu.xml');
  writeFileSync(
    menu,
    [
      '<Response>',
      '  <UserInput timeout="5">',
      '    <Inputs>',
      '      <Input key="1"><Hangup/></Input>',
      '      <Input key="*"><Hangup/></Input>',
      '      <Input key="f"><Hangup/></Input>',
      '    </Inputs>',
      '  </UserInput>',
      '  <UserInput timeout="5" MaxDigits="4" FinishOnKey="">',
      '    <Inputs><Input key="12#4"><Hangup/></Input><Input key="1234"><Hangup/></Input></Inputs>',
      '  </UserInput>',
      '</Response>',
      '',
    ].join('\n'),
  );
  const r = ringdown('check', '--phone', 'rotary', menu);
  t.equal(r.code, 0, 'warnings only');
  t.same(
    r.out.trim().split('\n'),
    [
      `${menu}:5:7: warning: a rotary phone cannot reach Input key="*": it cannot send '*' (hint: use keys it can send (0 1 2 3 4 5 6 7 8 9, or F for a hook flash))`,
      `${menu}:10:13: warning: a rotary phone cannot reach Input key="12#4": it cannot send '#' (hint: use keys it can send (0 1 2 3 4 5 6 7 8 9, or F for a hook flash))`,
      `${menu}: ok`,
    ],
    'at the Input, digits and the hook flash pass',
  );
  t.equal(ringdown('check', menu).out.trim(), `${menu}: ok`, 'no warning without --phone');
  t.equal(
    ringdown('check', '--phone', 'rotary', 'examples/guestbook.xml').out.trim(),
    'examples/guestbook.xml: ok',
    'the guestbook works from a rotary dial',
  );
  const unknown = ringdown('check', '--phone', 'candlestick', menu);
  t.same(
    [unknown.code, unknown.err.trim()],
    [2, "ringdown check: --phone: no phone 'candlestick' (known: rotary)"],
    'an unknown phone is a usage error, on stderr',
  );
});

t.test('check --board: a board with less memory has lower menu limits; its firmware loads with the same', async (t) => {
  const { MENU_LIMITS } = await import('../boards/pico-ag1171-mt8870/menu-limits.js');
  const { boardMenuLimits } = await import('../tools/menu-file.js');
  t.same(boardMenuLimits('pico-ag1171-mt8870'), MENU_LIMITS, 'outputs.json says what the firmware loads with');
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-limits-'));
  for (const example of ['door-phone', 'door-pin', 'guestbook']) {
    copyFileSync(`examples/${example}.xml`, join(dir, `${example}.xml`)); // away from any clip folder
    const r = ringdown('check', '--board', 'pico-ag1171-mt8870', join(dir, `${example}.xml`));
    t.notMatch(r.out, /the limit of/, `${example} fits`);
    t.equal(
      r.code,
      example === 'guestbook' ? 1 : 0,
      example === 'guestbook' ? 'the guestbook fits but cannot record there' : 'and is valid',
    );
  }
  const menu = join(dir, 'big.xml');
  const speaks = Array.from({ length: MENU_LIMITS.maxCommands }, (_, i) => `  <Speak>Line ${i}.</Speak>`).join('\n');
  writeFileSync(menu, `<Response>\n${speaks}\n  <Hangup/>\n</Response>\n`);
  t.equal(
    ringdown('check', '--board', 'esp32-ag1171-mt8870', menu).code,
    0,
    'fits the ESP32 board (its limits are higher)',
  );
  const pico = ringdown('check', '--board', 'pico-ag1171-mt8870', menu);
  t.equal(pico.code, 1);
  t.match(
    pico.out,
    new RegExp(
      `^${menu.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: the menu has more than the limit of ${MENU_LIMITS.maxCommands} commands`,
    ),
  );
});

t.test('check and build --board esp32-*: the ESP32 limits, from outputs.json, refuse a larger menu', async (t) => {
  const { ESP32_MENU_LIMITS } = await import('../boards/slic/esp32-menu-limits.js');
  const { boardMenuLimits } = await import('../tools/menu-file.js');
  const { DEFAULT_LIMITS } = await import('../src/ozml/limits.js');
  const boards = ['esp32-ag1171-mt8870', 'esp32-ks0835f-mt8870', 'esp32-ag1171-i2s', 'esp32-ag1171-sdtmf'];
  for (const board of boards)
    t.same(boardMenuLimits(board), ESP32_MENU_LIMITS, `${board}: outputs.json says what the firmware loads with`);
  t.ok(ESP32_MENU_LIMITS.maxChars < DEFAULT_LIMITS.maxChars, 'lower than the loader allows');
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-esp32-limits-'));
  const line = (i: number): string => `  <Speak>Line ${i}.</Speak>`;
  const fits = join(dir, 'fits.xml');
  const speaks = Array.from({ length: ESP32_MENU_LIMITS.maxCommands - 1 }, (_, i) => line(i));
  writeFileSync(fits, `<Response>\n${speaks.join('\n')}\n  <Hangup/>\n</Response>\n`);
  t.equal(ringdown('check', '--board', 'esp32-ag1171-mt8870', fits).code, 0, 'a menu at the command limit fits');
  const big = join(dir, 'big.xml');
  writeFileSync(big, `<Response>\n${[...speaks, line(speaks.length)].join('\n')}\n  <Hangup/>\n</Response>\n`);
  const escaped = big.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const position = `^${escaped}:${ESP32_MENU_LIMITS.maxCommands + 2}:3: error: the menu has more than the limit of ${ESP32_MENU_LIMITS.maxCommands} commands`;
  const check = ringdown('check', '--board', 'esp32-ag1171-mt8870', big);
  t.equal(check.code, 1, 'one command more is refused');
  t.match(check.out, new RegExp(position));
  t.equal(ringdown('check', big).code, 0, 'which the loader alone allows');
  // build checks the menu before it looks for the SDK: with none there, a build that went on would
  // stop at once with exit 2 (no SDK) rather than compile.
  const r = spawnSync(process.execPath, ['bin/ringdown.js', 'build', '--board', 'esp32-ag1171-i2s', '--menu', big], {
    encoding: 'utf8',
    env: { ...process.env, MODDABLE: '/nonexistent-moddable' },
  });
  t.equal(r.status, 1, 'build refuses it before compiling');
  t.match(r.stderr, new RegExp(position, 'm'));
  t.notMatch(r.stderr, /Moddable SDK/);
});

t.test('sim and tui: numbers in options are plain bounded decimals, as --events are', async (t) => {
  const menu = 'examples/ozeki/hangup-simple.xml';
  const cases: [string[], string][] = [
    [
      ['--until', '0x10'],
      'ringdown sim: --until: "0x10" is not a number of seconds (a plain decimal such as 7 or 7.5)',
    ],
    [['--until', ''], 'ringdown sim: --until: "" is not a number of seconds (a plain decimal such as 7 or 7.5)'],
    [
      ['--until', '1e300'],
      'ringdown sim: --until: "1e300" is not a number of seconds (a plain decimal such as 7 or 7.5)',
    ],
    [['--until', ' 5'], 'ringdown sim: --until: " 5" is not a number of seconds (a plain decimal such as 7 or 7.5)'],
    [['--until', '1000001'], 'ringdown sim: --until: 1000001 s is later than the limit of 1000000 s'],
    [['--clip-ms', '0x10'], 'ringdown sim: --clip-ms: "0x10" is not a whole number of ms'],
    [['--clip-ms', ''], 'ringdown sim: --clip-ms: "" is not a whole number of ms'],
    [['--clip-ms', '1e3'], 'ringdown sim: --clip-ms: "1e3" is not a whole number of ms'],
    [['--clip-ms', '3600001'], 'ringdown sim: --clip-ms: 3600001 ms is longer than the limit of 3600000 ms'],
    [
      ['--events', 'offhook@99999999999999999999 onhook@1'],
      "ringdown sim: --events: event 1 'offhook@99999999999999999999': 99999999999999999999 s is later than the limit of 1000000 s",
    ],
  ];
  for (const [args, message] of cases) {
    const r = ringdown('sim', menu, ...args);
    t.equal(r.code, 2, args.join(' '));
    t.equal(r.err, `${message}\n`, args.join(' '));
  }
  const ok = ringdown('sim', menu, '--until', '.5', '--clip-ms', '10');
  t.equal(ok.code, 0);
  t.match(ok.out, /0\.500 {2}end\n$/);
  const tui = ringdown('tui', menu, '--clip-ms', '0x10', '--demo');
  t.equal(tui.code, 2);
  t.equal(tui.err, 'ringdown tui: --clip-ms: "0x10" is not a whole number of ms\n');
});

t.test('check: a menu file with a doubled byte order mark is not well formed; one BOM is no column', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-bom-'));
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const doubled = join(dir, 'doubled.xml');
  writeFileSync(doubled, Buffer.concat([bom, bom, Buffer.from('<Response/>\n')]));
  const single = join(dir, 'single.xml');
  writeFileSync(single, Buffer.concat([bom, Buffer.from('<Response x=1/>\n')]));
  const bad = join(dir, 'bad.xml');
  writeFileSync(
    bad,
    Buffer.concat([bom, Buffer.from('<Response>\xff'), Buffer.from([0xff]), Buffer.from('</Response>')]),
  );
  const r = ringdown('check', doubled, single);
  t.equal(r.code, 1);
  t.equal(
    r.out,
    `${doubled}:1:1: error: a second byte order mark (U+FEFF) (hint: save the menu with at most one)\n` +
      `${single}:1:13: error: value of attribute 'x' must be quoted (hint: write x="1")\n`,
  );
  t.equal(ringdown('check', join('examples', 'door-pin.xml')).code, 0);
});

/** Runs ringdown with a time limit: a command that hangs fails the test instead of the run. */
function bounded(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

t.test(
  'check and sim read only regular files: a FIFO, a device, a folder named *.wav in the clip folder, /dev/urandom as a menu',
  async (t) => {
    const top = mkdtempSync(join(tmpdir(), 'ringdown-special-'));
    const dir = join(top, 'clips');
    mkdirSync(dir);
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ clips: {} }));
    writeFileSync(join(dir, 'ding.wav'), encodeWav(new Int16Array(4000)));
    t.equal(spawnSync('mkfifo', [join(dir, 'fifo.wav')]).status, 0);
    symlinkSync('/dev/zero', join(dir, 'zero.wav'));
    mkdirSync(join(dir, 'sub.wav'));
    const menu = join(top, 'm.xml');
    writeFileSync(menu, '<Response>\n  <Speak clip="ding">Ding.</Speak>\n</Response>\n');

    const check = bounded('check', menu, '--clips', dir);
    t.equal(check.code, 1, 'check ends, with errors');
    for (const [name, kind] of [
      ['fifo', 'a FIFO'],
      ['zero', 'a device'],
      ['sub', 'a directory'],
    ]) {
      t.match(
        check.out,
        `${join(dir, `${name}.wav`)}:1:1: error: cannot read the file: it is ${kind}, not a regular file`,
      );
    }
    const sim = bounded('sim', menu, '--clips', dir, '--jsonl');
    t.equal(sim.code, 0, 'sim ends');
    t.match(sim.err, `${join(dir, 'zero.wav')}:1:1: warning: cannot read the file: it is a device`);
    t.match(sim.out, '"clip":"ding","ms":500');

    const random = bounded('check', '/dev/urandom');
    t.equal(random.code, 2);
    t.equal(random.out, '/dev/urandom:1:1: error: cannot read the file: it is a device, not a regular file\n');
    const fifoMenu = join(top, 'menu-fifo.xml');
    t.equal(spawnSync('mkfifo', [fifoMenu]).status, 0);
    t.equal(
      bounded('sim', fifoMenu).err,
      `${fifoMenu}:1:1: error: cannot read the file: it is a FIFO, not a regular file\n`,
    );

    // A huge (sparse) menu: refused after reading at most the limit, not loaded whole.
    const huge = join(top, 'huge.xml');
    writeFileSync(huge, '<Response>');
    truncateSync(huge, 4 * 1024 * 1024 * 1024);
    const big = bounded('check', huge);
    t.equal(big.code, 1);
    t.equal(big.out, `${huge}:1:1: error: the file is larger than 192 KiB, the limit for a menu (65536 characters)\n`);
  },
);

t.test('check --clips: a clip the menu records is a warning when missing, not an error', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-recorded-'));
  const dir = join(top, 'clips');
  mkdirSync(dir);
  writeFileSync(join(dir, 'thanks.wav'), encodeWav(new Int16Array(4000)));
  writeFileSync(join(dir, 'sorry-the-message-box-is-full.wav'), encodeWav(new Int16Array(4000))); // Record's storage-full clip
  const menu = join(top, 'm.xml');
  writeFileSync(
    menu,
    '<Response>\n  <Speak clip="greeting">Hello.</Speak>\n  <Record clip="greeting" Duration="10"/>\n  <Speak clip="thanks">Thanks.</Speak>\n</Response>\n',
  );
  const checked = ringdown('check', menu, '--clips', dir);
  t.equal(checked.code, 0, 'only a warning');
  t.equal(
    checked.out,
    `${menu}:2:3: warning: clip 'greeting' is missing from ${dir}; the menu records it (<Record clip="greeting">), and until a recording exists this Speak plays nothing (hint: give the first version as ${dir}/greeting.wav (8 kHz mono 16-bit) or run: ringdown clips MENU --out ${dir})\n${menu}: ok\n`,
  );
  writeFileSync(
    menu,
    '<Response>\n  <Speak clip="greeting">Hello.</Speak>\n  <Record clip="other" Duration="10"/>\n</Response>\n',
  );
  t.equal(ringdown('check', menu, '--clips', dir).code, 1, 'recording another clip does not excuse it');
});

t.test('check --clips and sim: clip names like constructor are looked up as plain names', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-names-'));
  const dir = join(top, 'clips');
  mkdirSync(dir);
  writeFileSync(join(dir, 'catalog.json'), '{"clips": {"__proto__": "proto"}}');
  writeFileSync(join(dir, 'proto.wav'), encodeWav(new Int16Array(8000)));
  const menu = join(top, 'm.xml');
  writeFileSync(menu, '<Response>\n  <Speak clip="constructor">Hi.</Speak>\n  <Speak>__proto__</Speak>\n</Response>\n');
  const check = ringdown('check', menu, '--clips', dir);
  t.equal(check.code, 1);
  t.equal(
    check.out,
    `${menu}:2:3: error: clip 'constructor' is missing from ${dir} (hint: record ${dir}/constructor.wav (8 kHz mono 16-bit) or run: ringdown clips MENU --out ${dir})\n`,
    'constructor.wav is missing; the catalog entry "__proto__" names proto.wav',
  );
  const sim = ringdown('sim', menu, '--clips', dir, '--jsonl');
  const plays = sim.out
    .split('\n')
    .filter((l) => l.includes('"play"'))
    .map((l) => JSON.parse(l) as { clip: string; ms: number });
  t.same(
    plays.map((p) => [p.clip, p.ms]),
    [
      ['constructor', 500],
      ['proto', 1000],
    ],
    'no file: an estimate; the catalog entry __proto__: its file',
  );
});
