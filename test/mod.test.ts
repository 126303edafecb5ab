/**
 * Mods without the Moddable SDK: what the firmware accepts (src/engine/mod.ts: a whole mod runs,
 * anything else is refused with a reason and the built-in menu runs), the clip prefix, the call
 * log entry, the mod partition arithmetic of every ESP32 board, and `ringdown mod` checking the
 * menu and the clips before it needs the SDK.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ResourceClipLibrary } from '../drivers/resource-clips/resource-clips.js';
import { crc32 } from '../src/checksum/crc32.js';
import { modFaultEntry } from '../src/calllog/faults.js';
import { crcHex, loadMod, MOD_CATALOG, MOD_MENU, MOD_RING_MENU, type ModResources } from '../src/engine/mod.js';
import {
  clipMinutes,
  CLIP_BYTES_PER_SECOND,
  modPartitionSize,
  modTooLarge,
  partitionNumber,
} from '../tools/device/mod-size.js';
import { boardModPartition } from '../tools/mod.js';

const MENU = '<Response><Speak>Hello there.</Speak><Hangup/></Response>';
const RING = '<Response><Speak clip="bell">Someone rang.</Speak></Response>';
const OUTPUTS = ['door'];

function resources(files: Record<string, string>): ModResources {
  const bytes = (path: string): Uint8Array | undefined =>
    files[path] !== undefined ? new TextEncoder().encode(files[path]) : undefined;
  return { read: bytes, exists: (path) => files[path] !== undefined, decode: (b) => new TextDecoder().decode(b) };
}

const WHOLE = { [MOD_MENU]: MENU, [MOD_CATALOG]: '{"clips":{}}', 'ringdown-mod/hello-there.maud': 'm' };

t.test('no mod: neither a menu nor a catalog under ringdown-mod/', async (t) => {
  t.same(loadMod(resources({ 'menu.xml': MENU, 'hello-there.maud': 'm' }), OUTPUTS), { kind: 'none' });
});

t.test('a whole mod runs: its menu, its catalog, the CRC-32 of its menu bytes', async (t) => {
  const choice = loadMod(resources(WHOLE), OUTPUTS);
  t.equal(choice.kind, 'mod');
  if (choice.kind !== 'mod') return;
  t.equal(choice.mod.crc, crc32(new TextEncoder().encode(MENU)));
  t.equal(choice.mod.menu.commands[0]?.kind, 'speak');
  t.equal(choice.mod.ringMenu, undefined);
  t.equal(crcHex(0x1a2b), '00001a2b');
});

t.test('a mod with a ring menu: both must have their clips', async (t) => {
  const ok = loadMod(resources({ ...WHOLE, [MOD_RING_MENU]: RING, 'ringdown-mod/bell.maud': 'm' }), OUTPUTS);
  t.equal(ok.kind, 'mod');
  if (ok.kind === 'mod') t.ok(ok.mod.ringMenu);
  const missing = loadMod(resources({ ...WHOLE, [MOD_RING_MENU]: RING }), OUTPUTS);
  t.equal(missing.kind, 'refused');
  if (missing.kind === 'refused')
    t.match(missing.fault.message, /^ringdown-mod\/ring\.xml:1:11: error: clip 'bell' is missing from the mod/);
});

t.test('refused: a missing clip, a menu that does not load, a bad or missing catalog', async (t) => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'missing clip',
      { [MOD_MENU]: MENU, [MOD_CATALOG]: '{"clips":{}}', 'hello-there.maud': 'm' },
      /^ringdown-mod\/menu\.xml:1:11: error: no clip for "Hello there\." in the mod/,
    ],
    ['broken menu', { ...WHOLE, [MOD_MENU]: '<Response><Speak>Hi' }, /^ringdown-mod\/menu\.xml:\d+:\d+: error: /],
    [
      'unknown output',
      { ...WHOLE, [MOD_MENU]: '<Response><Output name="gate" value="on"/></Response>' },
      /error: .*gate/,
    ],
    ['bad catalog', { ...WHOLE, [MOD_CATALOG]: '{"clips": 3' }, /^ringdown-mod\/catalog\.json: /],
    [
      'no catalog',
      { [MOD_MENU]: MENU, 'ringdown-mod/hello-there.maud': 'm' },
      /^ringdown-mod\/catalog\.json: no clip catalog/,
    ],
    ['no menu', { [MOD_CATALOG]: '{"clips":{}}' }, /^ringdown-mod\/menu\.xml: no menu/],
  ];
  for (const [name, files, message] of cases) {
    const choice = loadMod(resources(files), OUTPUTS);
    t.equal(choice.kind, 'refused', name);
    if (choice.kind === 'refused') t.match(choice.fault.message, message, name);
  }
});

t.test('a reader that throws refuses the mod as an internal fault, never the boot', async (t) => {
  const choice = loadMod(
    {
      read: () => {
        throw new Error('flash read failed');
      },
      exists: () => false,
      decode: () => '',
    },
    OUTPUTS,
  );
  t.equal(choice.kind, 'refused');
  if (choice.kind === 'refused') t.match(choice.fault, { kind: 'internal', message: /flash read failed/ });
});

t.test('the call log says the mod was refused and the built-in menu ran', async (t) => {
  t.same(modFaultEntry({ kind: 'invalid', message: 'ringdown-mod/menu.xml:1:1: error: x', errors: 1 }, 25), {
    kind: 'fault',
    atMs: 25,
    message: 'mod refused, built-in menu runs: ringdown-mod/menu.xml:1:1: error: x',
  });
});

t.test('mod clips carry their folder: the audio plays ringdown-mod/NAME.maud', async (t) => {
  const header = Uint8Array.of(0x6d, 0x61, 1, 16, 0x40, 0x1f, 1, 1, 0x40, 0x1f, 0, 0); // 8000 samples: 1 s
  const read = (path: string): Uint8Array | undefined =>
    path === 'ringdown-mod/hello-there.maud' ? header : undefined;
  t.same(new ResourceClipLibrary({ catalog: { clips: {} }, read, prefix: 'ringdown-mod/' }).resolve('Hello there.'), {
    clip: 'ringdown-mod/hello-there',
    ms: 1000,
  });
  t.equal(new ResourceClipLibrary({ catalog: { clips: {} }, read }).resolve('Hello there.'), undefined);
});

t.test('partition numbers as ESP-IDF and mcmanifest.js read them', async (t) => {
  t.equal(partitionNumber('0x160000'), 0x160000);
  t.equal(partitionNumber('64K'), 65536);
  t.equal(partitionNumber('2M'), 2 * 1024 * 1024);
  t.equal(partitionNumber('4096'), 4096);
  t.equal(partitionNumber('lots'), undefined);
  t.equal(
    modPartitionSize('nvs, data, nvs, 0x9000, 0x6000,\n'),
    'no mod partition (a row of type 0x40, subtype 1, named xs)',
  );
  t.match(modPartitionSize('xs, 0x40, 1, 0x2A0000, big,\n'), /size "big" is not a number/);
});

t.test('every ESP32 board has the mod partition next to calllog, and the flash adds up to 4 MB', async (t) => {
  const boards = readdirSync('boards').filter((b) => b.startsWith('esp32-'));
  t.ok(boards.length >= 3);
  for (const board of boards) {
    t.equal(boardModPartition(board), 0x160000, board);
    const rows = readFileSync(join('boards', board, 'partitions.csv'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const names = rows.map((l) => l.split(',')[0]!.trim());
    t.equal(names.indexOf('xs'), names.indexOf('calllog') + 1, `${board}: xs follows calllog`);
    const last = rows
      .at(-1)!
      .split(',')
      .map((c) => c.trim());
    t.equal(Number(last[3]) + Number(last[4]), 4 * 1024 * 1024, `${board}: ends at 4 MB`);
  }
  t.match(boardModPartition('sim'), /has no partitions\.csv/);
});

t.test('the size check: a mod that fits, one byte over, and what fits in minutes', async (t) => {
  const capacity = 0x160000;
  t.equal(modTooLarge(capacity, capacity), undefined);
  t.equal(
    modTooLarge(capacity + 1, capacity),
    "the mod is 1441793 bytes, 1 bytes (0.0 KiB) more than the mod partition's 1441792 bytes (1408.0 KiB)",
  );
  t.match(modTooLarge(capacity + 10 * 1024, capacity), /10240 bytes \(10\.0 KiB\) more/);
  t.equal(CLIP_BYTES_PER_SECOND, 4000);
  t.equal(clipMinutes(capacity), 6);
  t.equal(clipMinutes(240_000), 1);
});

function ringdown(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

t.test('ringdown mod checks the menu and the clips first, then needs the SDK', async (t) => {
  const NO_SDK = { MODDABLE: '/nonexistent-moddable' };
  const top = mkdtempSync(join(tmpdir(), 'ringdown-mod-'));
  const menu = join(top, 'menu.xml');
  writeFileSync(menu, MENU);
  const noClips = ringdown(NO_SDK, 'mod', menu);
  t.equal(noClips.code, 1);
  t.match(
    noClips.err,
    /menu\.xml:1:11: error: no clip for "Hello there\." in .*clips \(hint: record .*clips\/hello-there\.wav/,
  );
  t.match(noClips.err, /not built: the firmware would refuse this mod/);
  const clips = join(top, 'clips');
  spawnSync('mkdir', [clips]);
  writeFileSync(join(clips, 'catalog.json'), '{"clips":{}}');
  // A 0.1 s WAV (8 kHz mono 16-bit) of silence.
  const data = Buffer.alloc(1600);
  const wav = Buffer.concat([
    Buffer.from('RIFF'),
    Buffer.from(Uint32Array.of(36 + data.length).buffer),
    Buffer.from('WAVEfmt '),
    Buffer.from(Uint32Array.of(16).buffer),
    Buffer.from(Uint16Array.of(1, 1).buffer),
    Buffer.from(Uint32Array.of(8000, 16000).buffer),
    Buffer.from(Uint16Array.of(2, 16).buffer),
    Buffer.from('data'),
    Buffer.from(Uint32Array.of(data.length).buffer),
    data,
  ]);
  writeFileSync(join(clips, 'hello-there.wav'), wav);
  const noSdk = ringdown(NO_SDK, 'mod', menu, '--clips', clips, '--board', 'esp32-ag1171-mt8870');
  t.equal(noSdk.code, 2);
  t.match(noSdk.err, /ringdown mod: the Moddable SDK was not found/);
  const badBoard = ringdown(NO_SDK, 'mod', menu, '--clips', clips, '--board', 'esp32-nonesuch');
  t.equal(badBoard.code, 2);
  t.match(badBoard.err, /--board: no board 'esp32-nonesuch'/);
  const gate = join(top, 'gate.xml');
  writeFileSync(gate, '<Response><Output name="nonesuch" value="on"/></Response>');
  t.equal(ringdown(NO_SDK, 'mod', gate, '--clips', clips).code, 1);
});
