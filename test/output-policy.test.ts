/**
 * The output policy (tools/output.ts) for every command that writes a file: each one is tried on
 * each hostile destination, and the exit code, the one-line error and the destination (with any
 * symlink's target) byte for byte and mode for mode are checked. A new command that writes must be
 * added to WRITERS.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeWav } from '../src/audio/wav.js';
import { FlashRecordings, readRecordingSamples, readStoredRecordings } from '../src/calllog/flash-recordings.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import type { ByteStore } from '../hal/storage.js';
import { folderWritable } from '../tools/output.js';
import { recordingFiles } from '../tools/recordings.js';
import { StudioServer } from '../tools/studio/server.js';

const ROOT = process.cwd();
const isRoot = process.getuid?.() === 0;

// About 70 runs of the CLI, a second or two each on a shared machine.
t.setTimeout(600_000);

function ringdown(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/ringdown.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Everything under `path` as it is on disk, without following a symlink: kind, mode, bytes, link. */
function snapshot(path: string): unknown {
  let s: Stats;
  try {
    s = lstatSync(path);
  } catch {
    return 'absent';
  }
  const mode = s.mode & 0o7777;
  if (s.isSymbolicLink()) return { link: readlinkSync(path) };
  if (s.isDirectory())
    return {
      dir: mode,
      entries: Object.fromEntries(
        readdirSync(path)
          .sort()
          .map((n) => [n, snapshot(join(path, n))]),
      ),
    };
  if (s.isFile()) return { file: mode, bytes: readFileSync(path).toString('base64') };
  return { special: s.isFIFO() ? 'fifo' : s.isCharacterDevice() ? `char ${s.rdev}` : 'other', mode };
}

/** A caller's voice for `say:`: 2 s of a 300 Hz tone at 8 kHz. */
const VOICE = encodeWav(
  Int16Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / 8000))),
);

/** A dump of a recordings region holding msg-1..3 (1 s each). */
function dumpBytes(names: readonly string[] = ['msg-1', 'msg-2', 'msg-3']): Uint8Array {
  const store = new MemoryStore(4096, 64);
  const recordings = new FlashRecordings(store);
  for (const [i, name] of names.entries()) {
    const w = recordings.open(name);
    w.append(Int16Array.from({ length: 8000 }, (_, k) => ((k * (i + 3)) % 2000) - 1000));
    w.close();
  }
  return store.bytes;
}

/** A fake Moddable SDK whose mcrun makes an archive of $FAKE_XSA_BYTES bytes. */
function fakeSdk(top: string): string {
  const root = join(top, 'moddable');
  const bin = join(root, 'build', 'bin', 'lin', 'release');
  mkdirSync(join(root, 'xs', 'sources'), { recursive: true });
  mkdirSync(bin, { recursive: true });
  for (const tool of ['mcconfig', 'xsc', 'xsl', 'mcrez'])
    writeFileSync(join(bin, tool), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  writeFileSync(
    join(bin, 'wav2maud'),
    '#!/bin/sh\nin="$1"; shift\nwhile [ "$#" -gt 0 ]; do if [ "$1" = -o ]; then out="$2"; fi; shift; done\ntouch "$out/$(basename "$in" .wav).maud"\n',
    { mode: 0o755 },
  );
  writeFileSync(
    join(bin, 'mcrun'),
    '#!/bin/sh\nwhile [ "$#" -gt 0 ]; do if [ "$1" = -o ]; then out="$2"; fi; shift; done\nmkdir -p "$out/bin" && head -c "$FAKE_XSA_BYTES" /dev/zero > "$out/bin/mod.xsa"\n',
    { mode: 0o755 },
  );
  return root;
}

interface Writer {
  name: string;
  /** A single named file, or a folder the command writes files into. */
  shape: 'file' | 'folder';
  /** Writes into a FIFO or device given as its output (the command's point). */
  stream?: boolean;
  /** For a folder: the file it writes there. */
  writes?: string;
  /** Cannot reach its write here (needs a real SDK): only the folder checks made before the build. */
  folderOnly?: string;
  /** Reports a bad file in its folder in its own positioned form (`PATH: error: ...`), not `cannot write`. */
  ownMessages?: true;
  run(
    dest: string,
    work: string,
  ): { code: number | null; out: string; err: string } | Promise<{ code: number | null; out: string; err: string }>;
}

/** Every command that writes a file. */
const WRITERS: Writer[] = [
  { name: 'graph --out', shape: 'file', run: (dest) => ringdown(['graph', 'examples/door-phone.xml', '--out', dest]) },
  { name: 'clips --say --out', shape: 'file', run: (dest) => ringdown(['clips', '--say', 'Hello.', '--out', dest]) },
  {
    name: 'wiring --out',
    shape: 'file',
    run: (dest) => ringdown(['wiring', '--board', 'esp32-ag1171-mt8870', '--out', dest]),
  },
  {
    name: 'dtmf encode --out',
    shape: 'file',
    stream: true,
    run: (dest) => ringdown(['dtmf', 'encode', '159#', '--out', dest]),
  },
  {
    name: 'sim --wav',
    shape: 'file',
    stream: true,
    run: (dest) =>
      ringdown([
        'sim',
        'examples/door-phone.xml',
        '--events',
        'offhook@0 2@2 onhook@5',
        '--clip-ms',
        '500',
        '--wav',
        dest,
      ]),
  },
  {
    name: 'tui --trace',
    shape: 'file',
    stream: true,
    run: (dest) => ringdown(['tui', 'examples/door-phone.xml', '--clip-ms', '500', '--trace', dest]),
  },
  {
    name: 'tui --wav',
    shape: 'file',
    stream: true,
    run: (dest) => ringdown(['tui', 'examples/door-phone.xml', '--clip-ms', '500', '--wav', dest]),
  },
  {
    name: 'mod --out',
    shape: 'file',
    run: (dest, work) =>
      ringdown(['mod', join(work, 'clip-menu.xml'), '--clips', join(work, 'menu-clips'), '--out', dest], {
        MODDABLE: join(work, 'moddable'),
        FAKE_XSA_BYTES: '5000',
      }),
  },
  {
    name: 'studio Save',
    shape: 'file',
    run: async (dest) => {
      const server = new StudioServer({ menuPath: dest, port: 0 });
      const url = new URL(await server.listen());
      const call = (
        method: string,
        headers: Record<string, string>,
        body?: string,
      ): Promise<{ status: number; body: string }> =>
        new Promise((resolve, reject) => {
          const req = request(
            {
              host: url.hostname,
              port: url.port,
              path: '/api/menu',
              method,
              headers: { origin: url.origin, ...headers },
            },
            (r) => {
              let text = '';
              r.on('data', (c: Buffer) => (text += c.toString()));
              r.on('end', () => resolve({ status: r.statusCode ?? 0, body: text }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      try {
        // Save as the page does: with the version of the file it read (none when it could not read one).
        const read = await call('GET', {});
        const version = read.status === 200 ? ((JSON.parse(read.body) as { version?: string }).version ?? '') : '';
        const res = await call(
          'PUT',
          { 'content-type': 'text/plain', 'x-menu-version': version },
          '<Response><Hangup/></Response>\n',
        );
        const message = res.status === 200 ? '' : `${res.body.trim()}\n`;
        return { code: res.status === 200 ? 0 : 1, out: '', err: message };
      } finally {
        await server.close();
      }
    },
  },
  {
    name: 'sim --recordings',
    shape: 'folder',
    writes: 'guest-1.wav',
    run: (dest, work) =>
      ringdown([
        'sim',
        'examples/guestbook.xml',
        '--events',
        `offhook@0 say:${join(work, 'voice.wav')}@6`,
        '--clip-ms',
        '5000',
        '--recordings',
        dest,
      ]),
  },
  {
    name: 'recordings --out',
    shape: 'folder',
    writes: 'msg-2.wav',
    run: (dest, work) => ringdown(['recordings', join(work, 'dump.bin'), '--out', dest]),
  },
  {
    name: 'device --recordings',
    shape: 'folder',
    writes: 'guest-1.wav',
    folderOnly:
      'writing its recordings needs the lin firmware built by a real Moddable SDK; they go through the same writeRecordings as sim --recordings',
    run: (dest, work) =>
      ringdown(['device', 'examples/guestbook.xml', '--recordings', dest], { MODDABLE: join(work, 'no-sdk') }),
  },
  {
    name: 'clips --out',
    shape: 'folder',
    writes: 'catalog.json',
    ownMessages: true,
    run: (dest, work) => ringdown(['clips', join(work, 'clip-menu.xml'), '--out', dest]),
  },
];

/** Scratch space per case: the inputs the commands read, and a `box` folder holding the destination. */
function workspace(): { work: string; box: string; target: string } {
  const work = mkdtempSync(join(tmpdir(), 'ringdown-output-'));
  writeFileSync(join(work, 'voice.wav'), VOICE);
  writeFileSync(join(work, 'dump.bin'), dumpBytes());
  writeFileSync(join(work, 'clip-menu.xml'), '<Response>\n  <Speak>Hello.</Speak>\n</Response>\n');
  // clips converts recordings/hello.wav (no speech synthesis needed); mod takes the made folder.
  mkdirSync(join(work, 'recordings'));
  writeFileSync(join(work, 'recordings', 'hello.wav'), VOICE);
  mkdirSync(join(work, 'menu-clips'));
  writeFileSync(join(work, 'menu-clips', 'hello.wav'), VOICE);
  writeFileSync(join(work, 'menu-clips', 'catalog.json'), '{"clips":{}}\n');
  fakeSdk(work);
  const box = join(work, 'box');
  mkdirSync(box);
  const target = join(work, 'target.txt');
  writeFileSync(target, 'the symlink target: must never change\n', { mode: 0o640 });
  return { work, box, target };
}

interface Case {
  name: string;
  /** Makes the hostile destination; returns the path the command is given. */
  make(w: Writer, box: string, target: string): string;
  applies(w: Writer): boolean;
  /** The error's reason, after `cannot write PATH: `. */
  why: RegExp;
  /** The path named in the message, when not the one given. */
  named?(w: Writer, dest: string): string;
}

const inFolder = (w: Writer, dest: string): string => (w.shape === 'folder' ? join(dest, w.writes!) : dest);

const CASES: Case[] = [
  {
    name: 'symlink as the destination',
    applies: (w) => w.shape === 'file',
    make: (_, box, target) => {
      symlinkSync(target, join(box, 'out'));
      return join(box, 'out');
    },
    why: /it is a symbolic link \(not followed/,
  },
  {
    name: 'symlink in the folder',
    applies: (w) => w.shape === 'folder' && w.folderOnly === undefined,
    make: (w, box, target) => {
      symlinkSync(target, join(box, w.writes!));
      return box;
    },
    named: inFolder,
    why: /it is a symbolic link|it is a symbolic link, not a file this tool can replace/,
  },
  {
    name: 'directory as the destination',
    applies: (w) => w.shape === 'file' || w.folderOnly === undefined,
    make: (w, box) => {
      const dest = join(box, 'out');
      mkdirSync(w.shape === 'file' ? dest : join(dest, w.writes!), { recursive: true });
      return dest;
    },
    named: inFolder,
    why: /it is a directory/,
  },
  {
    name: 'FIFO as the destination',
    applies: (w) => (w.shape === 'file' ? w.stream !== true : w.folderOnly === undefined),
    make: (w, box) => {
      const dest = join(box, 'out');
      if (w.shape === 'folder') mkdirSync(dest);
      t.equal(spawnSync('mkfifo', [inFolder(w, dest)]).status, 0);
      return dest;
    },
    named: inFolder,
    why: /it is a FIFO/,
  },
  {
    name: 'a regular file where a folder goes',
    applies: (w) => w.shape === 'folder',
    make: (_, box) => {
      writeFileSync(join(box, 'out'), 'a file, not a folder\n', { mode: 0o600 });
      return join(box, 'out');
    },
    why: /it is a regular file, not a folder/,
  },
  {
    name: 'an existing different file in the folder',
    applies: (w) => w.shape === 'folder' && w.folderOnly === undefined && w.name !== 'clips --out',
    make: (w, box) => {
      writeFileSync(join(box, w.writes!), 'edited by hand\n', { mode: 0o600 });
      return box;
    },
    named: inFolder,
    why: /a different file is already there \(not replaced\)/,
  },
  {
    name: 'a read-only folder',
    applies: () => true,
    make: (w, box) => {
      const dest = w.shape === 'file' ? join(box, 'out') : box;
      chmodSync(box, 0o555);
      return dest;
    },
    why: /read-only|not writable/,
  },
  {
    name: '/dev/full',
    applies: () => true,
    make: () => '/dev/full',
    why: /it is a device|no space left on the device/,
  },
];

t.test('every writing command, every hostile destination: refused, one line, nothing changed', async (t) => {
  for (const w of WRITERS) {
    for (const c of CASES) {
      if (!c.applies(w)) continue;
      await t.test(`${w.name}: ${c.name}`, async (t) => {
        const { work, box, target } = workspace();
        const dest = c.make(w, box, target);
        // In a folder, the other files may be written (a run can be resumed): the hostile one must not change.
        const watched =
          dest === '/dev/full' ? dest : c.named !== undefined && w.shape === 'folder' ? c.named(w, dest) : box;
        const before = [snapshot(watched), snapshot(target)];
        const r = await w.run(dest, work);
        const after = [snapshot(watched), snapshot(target)];
        chmodSync(box, 0o755);
        t.equal(r.code, 1, `exit 1 (stderr: ${r.err})`);
        const lines = r.err.split('\n').filter((l) => l !== '');
        // clips reports in its own positioned form (PATH: error: ...), then "DIR: nothing changed".
        const problem = lines.filter((l) => /cannot write|: error: /.test(l));
        t.equal(problem.length, 1, `one line says why: ${r.err}`);
        const named = c.named?.(w, dest) ?? dest;
        const line = problem[0] ?? '';
        t.ok(line.includes(named), `it names ${named}: ${line}`);
        if (w.ownMessages !== true || line.includes('cannot write')) t.match(line, c.why);
        t.notMatch(line, /\.tmp\b|ringdown-\d+-/, 'never the temporary file');
        t.same(after, before, 'the destination and the symlink target are unchanged');
        t.same(
          readdirSync(box).filter((n) => n.startsWith('.')),
          [],
          'no temporary file left',
        );
        if (dest === '/dev/full') t.ok(statSync('/dev/full').isCharacterDevice(), '/dev/full is still the device');
      });
    }
  }
});

t.test('a read-only folder: refused for root too, by the module’s own check', async (t) => {
  t.equal(folderWritable(0o40555, 0), 'the folder is read-only (no write permission for anyone)');
  t.equal(folderWritable(0o40755, 0), undefined);
  t.equal(folderWritable(0o40555, 1000), undefined, 'other users: the system decides (ACLs, mounts)');
  if (isRoot)
    t.comment('running as root: the read-only-folder rows above were refused by that check, not by the system');
});

t.test('a command that replaces its one file replaces it, atomically, keeping its mode', async (t) => {
  for (const w of WRITERS.filter((x) => x.shape === 'file')) {
    await t.test(w.name, async (t) => {
      const { work, box } = workspace();
      const dest = join(box, 'out');
      writeFileSync(dest, 'the old contents\n', { mode: 0o600 });
      chmodSync(dest, 0o600);
      const r = await w.run(dest, work);
      t.equal(r.code, 0, `exit 0: ${r.err}`);
      t.not(readFileSync(dest, 'utf8'), 'the old contents\n', 'replaced');
      t.equal(statSync(dest).mode & 0o777, 0o600, 'the mode kept (a chmod 600 menu stays private)');
      t.same(readdirSync(box), ['out'], 'no temporary file left');
    });
  }
});

t.test('a streaming output writes into a FIFO (its point); /dev/full is a clear error', async (t) => {
  for (const w of WRITERS.filter((x) => x.stream === true)) {
    await t.test(w.name, async (t) => {
      const { work, box } = workspace();
      const fifo = join(box, 'pipe');
      t.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const got = join(work, 'got');
      const reader = spawn('sh', ['-c', `cat "${fifo}" > "${got}"`]);
      const done = new Promise((resolve) => reader.on('exit', resolve));
      // The command runs in another process: spawnSync would block this one, and the reader with it only if it were ours.
      const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, [join(ROOT, 'bin/ringdown.js'), ...argsOf(w, fifo)], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, err }));
      });
      await done;
      t.equal(r.code, 0, r.err);
      t.ok(readFileSync(got).length > 0, 'the bytes went through the FIFO');
      t.ok(lstatSync(fifo).isFIFO(), 'the FIFO is still a FIFO');
      const full = await w.run('/dev/full', work);
      t.equal(full.code, 1);
      t.match(
        full.err,
        new RegExp(`^ringdown ${w.name.split(' -')[0]}: cannot write /dev/full: no space left on the device\\n$`),
      );
    });
  }
});

/** The arguments a streaming writer is run with (as in WRITERS), for an asynchronous run. */
function argsOf(w: Writer, dest: string): string[] {
  if (w.name === 'dtmf encode --out') return ['dtmf', 'encode', '159#', '--out', dest];
  if (w.name === 'sim --wav')
    return ['sim', 'examples/door-phone.xml', '--events', 'offhook@0 2@2 onhook@5', '--clip-ms', '500', '--wav', dest];
  if (w.name === 'tui --trace') return ['tui', 'examples/door-phone.xml', '--clip-ms', '500', '--trace', dest];
  return ['tui', 'examples/door-phone.xml', '--clip-ms', '500', '--wav', dest];
}

t.test('recordings into a folder: a second identical run is a no-op, a different file is kept and named', async (t) => {
  const { work, box } = workspace();
  const args = ['recordings', join(work, 'dump.bin'), '--out', box];
  t.equal(ringdown(args).code, 0);
  const first = snapshot(box);
  t.same(Object.keys((first as { entries: object }).entries), ['msg-1.wav', 'msg-2.wav', 'msg-3.wav']);
  t.equal(ringdown(args).code, 0, 'identical bytes count as written');
  t.same(snapshot(box), first);
  writeFileSync(join(box, 'msg-2.wav'), 'mine');
  const r = ringdown(args);
  t.equal(r.code, 1);
  t.equal(
    r.err,
    `ringdown recordings: cannot write ${join(box, 'msg-2.wav')}: a different file is already there (not replaced)\n`,
  );
  t.equal(readFileSync(join(box, 'msg-2.wav'), 'utf8'), 'mine');
});

t.test('recordings --out exits 1 when a recording is not written (a name that is not a file name)', async (t) => {
  const { work, box } = workspace();
  writeFileSync(join(work, 'odd.bin'), dumpBytes(['msg-1', '../escape']));
  const r = ringdown(['recordings', join(work, 'odd.bin'), '--out', box]);
  t.equal(r.code, 1, 'its help says 1 when a recording could not be written');
  t.match(r.err, /\.\.\/escape: not a file name; not written/);
  t.same(readdirSync(box), ['msg-1.wav'], 'the others are written');
  t.notOk(existsSync(join(work, 'escape.wav')));
});

t.test('sim --recordings FILE fails before the call, not after it', async (t) => {
  const { work, box } = workspace();
  const file = join(box, 'file');
  writeFileSync(file, 'x');
  const r = ringdown([
    'sim',
    'examples/guestbook.xml',
    '--events',
    `offhook@0 say:${join(work, 'voice.wav')}@6`,
    '--clip-ms',
    '5000',
    '--recordings',
    file,
  ]);
  t.equal(r.code, 1);
  t.equal(r.out, '', 'no call ran (no trace)');
  t.equal(r.err, `ringdown sim: cannot write to ${file}: it is a regular file, not a folder\n`);
});

t.test('mod --out: a mod refused for its size leaves the previous .xsa as it was', async (t) => {
  const { work, box } = workspace();
  const dest = join(box, 'good.xsa');
  writeFileSync(dest, 'the previous good archive');
  const run = (bytes: number): ReturnType<typeof ringdown> =>
    ringdown(['mod', join(work, 'clip-menu.xml'), '--clips', join(work, 'menu-clips'), '--out', dest], {
      MODDABLE: join(work, 'moddable'),
      FAKE_XSA_BYTES: String(bytes),
    });
  const tooLarge = run(1441792 + 1);
  t.equal(tooLarge.code, 1);
  t.match(tooLarge.err, /larger than|over|exceeds|refused/);
  t.equal(readFileSync(dest, 'utf8'), 'the previous good archive', 'not touched');
  t.same(readdirSync(box), ['good.xsa']);
  const fits = run(4000);
  t.equal(fits.code, 0, fits.err);
  t.equal(statSync(dest).size, 4000, 'a mod that fits replaces it');
});

t.test('studio Save keeps the menu’s mode', async (t) => {
  const { work, box } = workspace();
  const menu = join(box, 'door-pin.xml');
  writeFileSync(menu, '<Response><Hangup/></Response>\n');
  chmodSync(menu, 0o600);
  const save = WRITERS.find((w) => w.name === 'studio Save')!;
  t.equal((await save.run(menu, work)).code, 0);
  t.equal(statSync(menu).mode & 0o777, 0o600, 'still private');
});

/** A store that counts its reads. */
function counting(store: ByteStore): { store: ByteStore; reads: () => number } {
  let n = 0;
  const wrapped: ByteStore = {
    byteLength: store.byteLength,
    sectorSize: store.sectorSize,
    read: (offset, length) => {
      n++;
      return store.read(offset, length);
    },
    write: (offset, bytes) => store.write(offset, bytes),
    erase: (index) => store.erase(index),
  };
  return { store: wrapped, reads: () => n };
}

t.test('recordings --out reads the dump a fixed number of times, however many recordings', async (t) => {
  const reads: number[] = [];
  for (const count of [10, 100]) {
    const names = Array.from({ length: count }, (_, i) => `msg-${i + 1}`);
    const memory = new MemoryStore(4096, 64);
    const recordings = new FlashRecordings(memory);
    for (const name of names) {
      const w = recordings.open(name);
      w.append(new Int16Array(400).fill(count));
      w.close();
    }
    const c = counting(memory);
    const stored = readStoredRecordings(c.store);
    const oneScan = c.reads();
    const { files, ok } = recordingFiles(c.store, stored, () => {});
    t.ok(ok);
    t.equal(files.size, count);
    t.same(files.get('msg-3'), readRecordingSamples(memory, stored[2]!.id), 'the same samples as one by one');
    reads.push((c.reads() - oneScan) / oneScan);
  }
  t.ok(
    reads.every((r) => r <= 2),
    `at most two scans for the samples of all (${reads.join(', ')})`,
  );
});
