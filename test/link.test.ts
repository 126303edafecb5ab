import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { RecordingWriter } from '../hal/recordings.js';
import { parseEvents } from '../sim/events.js';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { MemoryRecordings } from '../sim/sim-recordings.js';
import { simulate } from '../sim/simulate.js';
import { callerVoice } from '../sim/test-voice.js';
import { encodeWav } from '../src/audio/wav.js';
import { FlashRecordings } from '../src/calllog/flash-recordings.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { crc32 } from '../src/checksum/crc32.js';
import { FrameReader, MAX_PAYLOAD, decodeFrameLine, encodeFrame, type Frame } from '../src/link/frame.js';
import { MenuSlots, encodePackage } from '../src/link/menu-slots.js';
import { Kind, jsonPayload, u32s } from '../src/link/protocol.js';
import { loadMenu } from '../src/ozml/load.js';
import { LinkClient } from '../tools/link/client.js';
import { withRecordedClips } from '../src/clips/recorded.js';
import { runPull, runPush, runStatus } from '../tools/link.js';
import { FailingStore, PowerCut } from './power-cut.js';
import { SECTOR, TestDevice, blankStores, bootMenu, type DeviceStores } from './link-harness.js';

const GUESTBOOK = 'examples/guestbook.xml';

function lines(): { out: string[]; err: string[]; o: (l: string) => void; e: (l: string) => void } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, o: (l) => void out.push(l), e: (l) => void err.push(l) };
}

function readAll(
  reader: (r: { frame(f: Frame): void; bad(r: string): void; text(l: Uint8Array): void }) => FrameReader,
  bytes: Uint8Array,
): { frames: Frame[]; bad: string[]; text: string[] } {
  const got = { frames: [] as Frame[], bad: [] as string[], text: [] as string[] };
  const r = reader({
    frame: (f) => got.frames.push(f),
    bad: (b) => got.bad.push(b),
    text: (l) => got.text.push(new TextDecoder().decode(l)),
  });
  r.push(bytes);
  return got;
}

const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

t.test('frames share the line with trace text, and a damaged one is refused and resynchronised', async (t) => {
  const payload = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 255);
  const good = encodeFrame({ kind: 0x12, tag: 9, payload });
  for (const b of good.subarray(1, good.length - 1)) t.ok(b >= 0x20 && b < 0x7f, 'printable');
  const text = new TextEncoder().encode('{"t":0,"type":"offhook"}\n');
  const flipped = good.slice();
  flipped[40] = flipped[40] === 0x41 ? 0x42 : 0x41;
  const cut = good.slice(0, 100);
  const got = readAll((e) => new FrameReader(e), concat(text, good, flipped, cut, text, good));
  t.equal(got.frames.length, 2, 'both whole frames are read');
  t.same(got.frames[0]!.payload, payload);
  t.equal(got.frames[0]!.tag, 9);
  // The text after a frame cut short runs into it: that line is lost with it, and reading goes on.
  t.same(got.text, ['{"t":0,"type":"offhook"}']);
  t.equal(got.bad.length, 2, 'the altered frame and the one cut short are refused');
  t.match(got.bad[0], /CRC-32|base64/);
  // A frame whose length field disagrees with its body.
  const body = new Uint8Array(6 + 4 + 4);
  new DataView(body.buffer).setUint32(2, 5, true);
  new DataView(body.buffer).setUint32(10, crc32(body, 0, 10), true);
  const line = new Uint8Array([1, ...new TextEncoder().encode(Buffer.from(body).toString('base64'))]);
  t.match(decodeFrameLine(line), /length says 5 payload bytes, the frame holds 4/);
  const huge = new Uint8Array(10);
  new DataView(huge.buffer).setUint32(2, MAX_PAYLOAD + 1, true);
  t.match(
    decodeFrameLine(new Uint8Array([1, ...new TextEncoder().encode(Buffer.from(huge).toString('base64'))])),
    /exceeds the limit/,
  );
  t.throws(() => encodeFrame({ kind: 1, tag: 1, payload: new Uint8Array(MAX_PAYLOAD + 1) }), RangeError);
  // A line without end never grows the reader past its bound, and the next line reads.
  const flood = readAll(
    (e) => new FrameReader(e),
    concat(new Uint8Array([1]), new Uint8Array(100_000).fill(0x41), new Uint8Array([10]), good),
  );
  t.equal(flood.frames.length, 1);
  t.match(flood.bad[0], /longer than/);
});

/** A MemoryRecordings (what `ringdown sim --recordings` writes) whose every write also goes to the device's flash store. */
class TeeRecordings extends MemoryRecordings {
  constructor(private readonly flash: FlashRecordings) {
    super();
  }
  override open(name: string): RecordingWriter {
    const a = super.open(name);
    const b = this.flash.open(name);
    return {
      append: (s) => (a.append(s), b.append(s)),
      flush: () => (a.flush(), b.flush()),
      close: () => (a.close(), b.close()),
      discard: () => (a.discard(), b.discard()),
    };
  }
}

const EVENTS = 'offhook@0 say:VOICE@3 onhook@14 offhook@20 say:VOICE@23 #@29';

t.test('pull: every recording of a guestbook run, byte-identical to sim --recordings, and the call log', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-link-'));
  const voice = join(dir, 'caller.wav');
  writeFileSync(voice, encodeWav(callerVoice(20)));
  const events = EVENTS.replaceAll('VOICE', voice);
  const sim = spawnSync(
    process.execPath,
    ['bin/ringdown.js', 'sim', GUESTBOOK, '--events', events, '--clip-ms', '4000', '--recordings', join(dir, 'sim')],
    { encoding: 'utf8' },
  );
  t.equal(sim.status, 0, sim.stderr);

  const device = new TestDevice(blankStores());
  const parsed = parseEvents(events);
  if (typeof parsed === 'string') throw new Error(parsed);
  const menu = loadMenu(readFileSync(GUESTBOOK, 'utf8')).menu!;
  simulate({
    menu,
    events: parsed,
    clips: new SimClipLibrary({ fixedMs: 4000 }),
    voices: () => callerVoice(20),
    recordings: new TeeRecordings(device.recordings),
  });
  device.callLog.append({
    kind: 'call',
    startMs: 0,
    answer: 'offhook',
    keys: '',
    path: '',
    end: 'caller',
    durationMs: 14000,
  } as never);
  device.callLog.append({ kind: 'fault', atMs: 9, message: 'menu.xml:3:4: error: x' } as never);

  const out = join(dir, 'pulled');
  const a = lines();
  t.equal(await runPull([`dev`, '--out', out], a.o, a.e, () => device.port()), 0, a.err.join('\n'));
  const simFiles = readdirSync(join(dir, 'sim')).sort();
  t.same(simFiles, ['guest-1.wav', 'guest-2.wav']);
  for (const f of simFiles)
    t.same(readFileSync(join(out, f)), readFileSync(join(dir, 'sim', f)), `${f} byte-identical`);
  const log = readFileSync(join(out, 'calllog.txt'), 'utf8');
  t.match(log, /#1 call .*duration=14.0s\n#2 fault at=0.0s menu.xml:3:4: error: x\n/);
  t.match(a.out.join('\n'), /bytes of audio in .* bytes\/s/);

  // Again: nothing fetched twice, nothing overwritten; a new record makes a second log file.
  const b = lines();
  t.equal(await runPull(['dev', '--out', out], b.o, b.e, () => device.port()), 0);
  t.match(b.out.join('\n'), /guest-1: already fetched as guest-1.wav/);
  t.match(b.out.join('\n'), /call log: 2 records already in calllog.txt/);
  device.callLog.append({ kind: 'fault', atMs: 10, message: 'later' } as never);
  // Another folder that already has a different guest-1.wav.
  const other = join(dir, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'guest-1.wav'), 'not the same');
  writeFileSync(join(other, 'calllog.txt'), 'an older log');
  const c = lines();
  t.equal(await runPull(['dev', '--out', other, '--delete'], c.o, c.e, () => device.port()), 0);
  t.equal(readFileSync(join(other, 'guest-1.wav'), 'utf8'), 'not the same', 'a different file is never overwritten');
  t.same(
    readFileSync(join(other, 'guest-1-1.wav')),
    readFileSync(join(dir, 'sim', 'guest-1.wav')),
    'the recording goes beside it',
  );
  t.equal(readFileSync(join(other, 'calllog.txt'), 'utf8'), 'an older log');
  t.match(readFileSync(join(other, 'calllog-1.txt'), 'utf8'), /#3 fault at=0.0s later/);
  t.same(device.recordings.list(), [], '--delete removed them from the device');
});

t.test('pull on a board without recordings (the Pico) gets the call log', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-link-'));
  const device = new TestDevice(blankStores(), {}, undefined, false);
  device.callLog.append({ kind: 'fault', atMs: 9, message: 'menu.xml:3:4: error: x' } as never);
  const a = lines();
  t.equal(await runPull(['dev', '--out', dir], a.o, a.e, () => device.port()), 0, a.err.join('\n'));
  t.match(readFileSync(join(dir, 'calllog.txt'), 'utf8'), /#1 fault at=0.0s menu.xml:3:4: error: x\n/);
  t.match(a.out.join('\n'), /0 recordings on the device/);
  const client = new LinkClient(device.port(), { retries: 0 });
  await t.rejects(client.json(Kind.READ, u32s([1, 0, 10])), { code: 'unsupported' }, 'READ is refused');
});

t.test('pull resumes a recording cut off part-way', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-link-'));
  const device = new TestDevice(blankStores());
  const w = device.recordings.open('guest-1');
  const samples = callerVoice(2);
  w.append(samples);
  w.close();
  // Distinct answers: a resend's second answer (the same bytes) does not count.
  const reads = new Set<string>();
  // The cable is pulled after the third READ answer.
  device.wire.toHost = (bytes) => {
    if (bytes.length < 1000) return bytes;
    reads.add(Buffer.from(bytes).toString('latin1'));
    return reads.size > 3 ? undefined : bytes;
  };
  const a = lines();
  t.equal(await runPull(['dev', '--out', dir], a.o, a.e, () => device.port(), { timeoutMs: 300, retries: 1 }), 2);
  t.match(a.err.join('\n'), /no answer from the device/);
  const part = readdirSync(dir).find((f) => f.endsWith('.part'));
  t.ok(part, `a .part file in ${readdirSync(dir).join(' ')}; ${a.out.join(' ')}`);
  if (part === undefined) return;
  t.equal(
    readFileSync(join(dir, part)).length,
    3 * 1024 * 2,
    `three chunks kept (${readFileSync(join(dir, part)).length})`,
  );
  device.wire.toHost = undefined;
  const b = lines();
  t.equal(await runPull(['dev', '--out', dir], b.o, b.e, () => device.port()), 0, b.err.join('\n'));
  t.same(readFileSync(join(dir, 'guest-1.wav')), Buffer.from(encodeWav(samples)));
  t.notOk(existsSync(join(dir, part)));
});

t.test('pull never writes through a symlink or into a FIFO at its part file or pull record', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-link-'));
  const outside = mkdtempSync(join(tmpdir(), 'ringdown-link-outside-'));
  const device = new TestDevice(blankStores());
  const w = device.recordings.open('guest-1');
  const samples = callerVoice(1);
  w.append(samples);
  w.close();
  const id = (await new LinkClient(device.port(), { timeoutMs: 300 }).json(Kind.LIST)).recordings as { id: number }[];
  const part = join(dir, `.guest-1.${id[0]!.id}.part`);
  const victim = join(outside, 'victim');
  writeFileSync(victim, 'keep me');
  symlinkSync(victim, part);
  const a = lines();
  t.equal(await runPull(['dev', '--out', dir], a.o, a.e, () => device.port()), 1, 'a refused part file is a finding');
  t.match(a.err.join('\n'), /\.part: .*not used/);
  t.equal(readFileSync(victim, 'utf8'), 'keep me', 'the symlink target is untouched');
  t.notOk(existsSync(join(dir, 'guest-1.wav')), 'no WAV from a part file not used');
  // A FIFO as the part file: refused at once, never waited on.
  spawnSync('rm', [part]);
  spawnSync('mkfifo', [part]);
  const b = lines();
  t.equal(await runPull(['dev', '--out', dir], b.o, b.e, () => device.port()), 1);
  t.match(b.err.join('\n'), /not a regular file/);
  // The pull record as a symlink: the pull works, the target is untouched, the record is refused.
  spawnSync('rm', [part]);
  const record = join(dir, '.ringdown-pulled.json');
  symlinkSync(victim, record);
  const c = lines();
  t.equal(await runPull(['dev', '--out', dir], c.o, c.e, () => device.port()), 1);
  t.same(readFileSync(join(dir, 'guest-1.wav')), Buffer.from(encodeWav(samples)));
  t.equal(readFileSync(victim, 'utf8'), 'keep me');
  t.match(c.err.join('\n'), /ringdown-pulled\.json/);
});

t.test('pull lists the recordings once, not once a chunk (a list scans the whole store)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-link-'));
  const device = new TestDevice(blankStores());
  const samples = callerVoice(2);
  for (const name of ['guest-1', 'guest-2']) {
    const w = device.recordings.open(name);
    w.append(samples);
    w.close();
  }
  let lists = 0;
  const list = device.recordings.recordings.bind(device.recordings);
  device.recordings.recordings = () => {
    lists++;
    return list();
  };
  const a = lines();
  t.equal(await runPull(['dev', '--out', dir], a.o, a.e, () => device.port()), 0, a.err.join('\n'));
  t.same(readFileSync(join(dir, 'guest-2.wav')), Buffer.from(encodeWav(samples)));
  t.equal(lists, 1, `${Math.ceil(samples.length / 1024) * 2} READs, one list`);
  // A READ of a recording gone since (a DELETE) or never there is refused, by name.
  const client = new LinkClient(device.port(), { timeoutMs: 300 });
  await client.json(Kind.DELETE, { name: 'guest-1' });
  await t.rejects(client.data(Kind.READ, u32s([1, 0, 16])), /no recording with id 1/);
  t.same((await client.data(Kind.READ, u32s([2, 0, 2]))).length, 4, 'the other still reads');
  client.close();
});

const NEW_MENU = `<Response>
  <Speak clip="greeting">Hello from the new menu.</Speak>
  <Speak>Press nothing, goodbye.</Speak>
  <Hangup/>
</Response>
`;

function pushFolder(): { dir: string; menu: string; clips: string; greeting: Int16Array; bye: Int16Array } {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-push-'));
  const menu = join(dir, 'new.xml');
  writeFileSync(menu, NEW_MENU);
  const clips = join(dir, 'clips');
  mkdirSync(clips);
  const greeting = callerVoice(3).subarray(0, 8000 * 2 + 123);
  const bye = callerVoice(1);
  writeFileSync(join(clips, 'greeting.wav'), encodeWav(greeting));
  writeFileSync(join(clips, 'bye.wav'), encodeWav(bye));
  writeFileSync(join(clips, 'catalog.json'), JSON.stringify({ clips: { 'Press nothing, goodbye.': 'bye' } }));
  return { dir, menu, clips, greeting, bye };
}

t.test('push: a new menu and greeting; the next call runs them', async (t) => {
  const stores = blankStores();
  const device = new TestDevice(stores);
  // The owner's old greeting is on the device.
  const old = device.recordings.open('greeting');
  old.append(callerVoice(1));
  old.close();
  t.equal(bootMenu(stores, GUESTBOOK).which, 'built');
  const f = pushFolder();
  const a = lines();
  t.equal(await runPush(['dev', f.menu, '--clips', f.clips], a.o, a.e, () => device.port()), 0, a.err.join('\n'));
  const crc = crc32(readFileSync(f.menu)).toString(16).padStart(8, '0');
  t.match(a.out.join('\n'), `accepted by the device (crc32 ${crc})`, 'the CRC-32 status and the trace give the menu');
  t.same(device.changes, ['recordings', 'recordings', 'menu']);
  // Boot again, as after a restart, and call.
  const boot = bootMenu(stores, GUESTBOOK);
  t.equal(boot.which, 'uploaded');
  const flash = new FlashRecordings(stores.recordings);
  const kept = new MemoryRecordings();
  for (const r of flash.recordings()) {
    const w = kept.open(r.name);
    w.append(flash.samples(r.id));
    w.close();
  }
  t.same(kept.recordings.get('greeting'), f.greeting, 'the greeting is the pushed one, sample for sample');
  const catalog = boot.choice?.kind === 'menu' ? boot.choice.uploaded.catalog : { clips: {} };
  const run = simulate({
    menu: boot.menu,
    events: parseEvents('offhook@0') as never,
    clips: new SimClipLibrary({ catalog, fixedMs: 500 }),
    recordings: kept,
  });
  const plays = run.trace.filter((e) => e.type === 'play').map((e) => (e.type === 'play' ? `${e.clip} ${e.ms}` : ''));
  // The greeting is the pushed recording, at its length; the second Speak finds its clip by the uploaded catalog.
  t.same(plays, [`greeting ${Math.round(f.greeting.length / 8)}`, 'bye 500']);
  const device_ = withRecordedClips(
    { resolve: () => undefined },
    (n) => (kept.recordings.has(n) ? kept.recordings.get(n)!.length / 8 : undefined),
    catalog,
  );
  t.same(
    device_.resolve('Press nothing, goodbye.'),
    { clip: 'bye', ms: f.bye.length / 8 },
    'on the device, the uploaded clip plays by its catalog entry',
  );

  const s = lines();
  t.equal(await runStatus(['dev', '--json'], s.o, s.e, () => device.port()), 0);
  t.match(JSON.parse(s.out[0]!), { board: 'test', link: 1, busy: false, recordings: 2 });

  // Back to the built menu.
  const b = lines();
  t.equal(await runPush(['dev', '--built-in'], b.o, b.e, () => device.port()), 0);
  t.equal(bootMenu(stores, GUESTBOOK).which, 'built');
});

t.test('push: a menu over the device limits is refused on the host, and on the device', async (t) => {
  const small = { maxChars: 64 * 1024, maxDepth: 24, maxElements: 2000, maxCommands: 2, maxTextChars: 2000 };
  const device = new TestDevice(blankStores(), {}, small);
  const f = pushFolder();
  const a = lines();
  t.equal(await runPush(['dev', f.menu, '--clips', f.clips], a.o, a.e, () => device.port()), 1);
  t.match(a.err.join('\n'), new RegExp(`${f.menu.replaceAll('/', '\\/')}:\\d+:\\d+: error: .*commands`));
  t.match(a.err.join('\n'), /not sent/);
  t.same(device.changes, [], 'nothing reached the device');
  // A host that skips the check: the device refuses at MENU_END, and nothing switches.
  const client = new LinkClient(device.port(), { timeoutMs: 200 });
  const pkg = encodePackage({ menu: readFileSync(f.menu), catalog: new Uint8Array(0) });
  await client.json(Kind.MENU_BEGIN, { bytes: pkg.length, crc: crc32(pkg) });
  await client.json(Kind.MENU_DATA, u32s([0], pkg));
  await t.rejects(client.json(Kind.MENU_END), {
    code: 'refused',
    message: /menu not switched: uploaded menu.xml:\d+:\d+: error: .*commands/,
  });
  t.equal(device.menus.active(), undefined);
  // A package whose bytes do not match the CRC announced.
  await client.json(Kind.MENU_BEGIN, { bytes: pkg.length, crc: (crc32(pkg) ^ 1) >>> 0 });
  await client.json(Kind.MENU_DATA, u32s([0], pkg));
  await t.rejects(client.json(Kind.MENU_END), { code: 'refused', message: /CRC-32/ });
  client.close();
});

t.test('bad frames on the way are resent; a refusal is a clear message', async (t) => {
  let n = 0;
  const device = new TestDevice(blankStores(), {
    // Every third request arrives with a byte altered.
    toDevice: (bytes) => {
      if (++n % 3 !== 0) return bytes;
      const b = bytes.slice();
      b[10] = b[10] === 0x41 ? 0x42 : 0x41;
      return b;
    },
  });
  const f = pushFolder();
  const a = lines();
  t.equal(await runPush(['dev', f.menu, '--clips', f.clips], a.o, a.e, () => device.port()), 0, a.err.join('\n'));
  t.ok(device.menus.active() !== undefined, 'the menu switched despite the damaged frames');
  const client = new LinkClient(device.port(), { timeoutMs: 200 });
  await t.rejects(client.json(0x55), { code: 'unknown', message: /unknown request kind 0x55/ });
  await t.rejects(client.json(Kind.CLIP_DATA, u32s([0])), { code: 'state', message: /no clip upload in progress/ });
  await t.rejects(client.json(Kind.CLIP_BEGIN, { name: '../etc/passwd', samples: 10, crc: 0 }), {
    code: 'refused',
    message: /clip name/,
  });
  await t.rejects(client.data(Kind.READ, u32s([999, 0, 10])), { code: 'refused', message: /no recording with id 999/ });
  await t.rejects(client.json(Kind.READ, new Uint8Array(3)), { code: 'refused', message: /needs 12 bytes/ });
  client.close();
});

t.test('a disconnect or a call mid-upload cancels it; the old greeting stays', async (t) => {
  const device = new TestDevice(blankStores());
  const old = device.recordings.open('greeting');
  const oldSamples = callerVoice(1);
  old.append(oldSamples);
  old.close();
  const client = new LinkClient(device.port(), { timeoutMs: 200 });
  const notices: string[] = [];
  const noticing = new LinkClient(device.port(), { timeoutMs: 200, onNotice: (_c, m) => void notices.push(m) });
  const next = callerVoice(2);
  const bytes = new Uint8Array(next.buffer);
  await noticing.json(Kind.CLIP_BEGIN, { name: 'greeting', samples: next.length, crc: crc32(bytes) });
  await noticing.json(Kind.CLIP_DATA, u32s([0], bytes.subarray(0, 2048)));
  // The host goes away: 15 s later the device drops the upload.
  device.clock.advanceTo(16_000);
  while (device.clock.step(16_000));
  await new Promise((r) => setImmediate(r));
  t.match(notices, [/cancelled: no request for 15 s/]);
  const flash = device.recordings;
  const greeting = flash.recordings().find((r) => r.name === 'greeting')!;
  t.same(flash.samples(greeting.id), oldSamples, 'the old greeting is untouched');
  await t.rejects(noticing.json(Kind.CLIP_DATA, u32s([1024], bytes.subarray(2048, 4096))), { code: 'state' });

  // A call starting cancels an upload at once, and nothing but STATUS is answered during it.
  await noticing.json(Kind.CLIP_BEGIN, { name: 'greeting', samples: next.length, crc: crc32(bytes) });
  device.server.observe({ type: 'offhook' });
  await new Promise((r) => setImmediate(r));
  t.match(notices[1], /cancelled: a call started/);
  await t.rejects(noticing.json(Kind.LIST), { code: 'busy', message: /call is in progress/ });
  t.match(await noticing.json(Kind.STATUS), { busy: true });
  device.server.observe({ type: 'idle' });
  t.equal(Array.isArray((await noticing.json(Kind.LIST)).recordings), true);
  t.same(flash.samples(flash.recordings().find((r) => r.name === 'greeting')!.id), oldSamples);
  client.close();
  noticing.close();
});

t.test('clip CRC or count wrong: not kept', async (t) => {
  const device = new TestDevice(blankStores());
  const client = new LinkClient(device.port(), { timeoutMs: 200 });
  const s = callerVoice(1);
  const bytes = new Uint8Array(s.buffer);
  await client.json(Kind.CLIP_BEGIN, { name: 'greeting', samples: s.length, crc: crc32(bytes) ^ 7 });
  for (let at = 0; at < s.length; at += 1024)
    await client.json(Kind.CLIP_DATA, u32s([at], bytes.subarray(2 * at, 2 * Math.min(s.length, at + 1024))));
  await t.rejects(client.json(Kind.CLIP_END), {
    code: 'refused',
    message: /not kept: the samples do not match their CRC-32/,
  });
  await client.json(Kind.CLIP_BEGIN, { name: 'greeting', samples: s.length, crc: crc32(bytes) });
  await client.json(Kind.CLIP_DATA, u32s([0], bytes.subarray(0, 2048)));
  await t.rejects(client.json(Kind.CLIP_END), { code: 'refused', message: /1024 of 8000 samples came/ });
  await t.rejects(client.json(Kind.CLIP_BEGIN, { name: 'big', samples: 1e9, crc: 0 }), {
    code: 'refused',
    message: /room for/,
  });
  t.same(device.recordings.list(), []);
  client.close();
});

/** The menu package of `text` with no catalog. */
const pkgOf = (text: string): Uint8Array =>
  encodePackage({ menu: new TextEncoder().encode(text), catalog: new Uint8Array(0) });

t.test(
  'menu slots: a power cut at every write of an upload leaves the old menu or the new, never neither',
  async (t) => {
    const oldPkg = pkgOf('<Response><Speak clip="a">Old.</Speak></Response>');
    const newPkg = pkgOf(`<Response><Speak clip="b">New. ${'x'.repeat(6000)}</Speak></Response>`);
    const upload = (slots: MenuSlots, pkg: Uint8Array): void => {
      const staging = slots.begin(pkg.length, crc32(pkg));
      for (let at = 0; at < pkg.length; at += 2048) staging.write(pkg.subarray(at, at + 2048));
      const problem = staging.commit();
      if (problem !== undefined) throw new Error(problem);
    };
    for (const history of [1, 2]) {
      // history 1: one upload before (slot 0 in use); 2: two (slot 1 in use, slot 0 is reused).
      const base = new MemoryStore(SECTOR, 8);
      if (history === 2) upload(new MenuSlots(base), pkgOf('<Response><Hangup/></Response>'));
      upload(new MenuSlots(base), oldPkg);
      const counting = new FailingStore(SECTOR, base.bytes);
      upload(new MenuSlots(counting), newPkg);
      const total = counting.operations;
      let olds = 0;
      let news = 0;
      for (let budget = 0; budget <= total; budget++) {
        for (const torn of [false, true]) {
          const store = new FailingStore(SECTOR, base.bytes, budget, torn);
          try {
            upload(new MenuSlots(store), newPkg);
          } catch (e) {
            if (!(e instanceof PowerCut)) throw e;
          }
          const after = new MenuSlots(new MemoryStore(SECTOR, store.bytes)).read();
          const isOld = after !== undefined && Buffer.compare(after, oldPkg) === 0;
          const isNew = after !== undefined && Buffer.compare(after, newPkg) === 0;
          if (!isOld && !isNew) {
            t.fail(
              `history ${history}, cut after ${budget} of ${total} operations${torn ? ' (torn)' : ''}: neither menu`,
            );
            return;
          }
          if (isOld) olds++;
          else news++;
        }
      }
      t.ok(olds > 0 && news > 0, `history ${history}: ${total} cut points, old menu ${olds} times, new ${news}`);
      t.equal(news, 2, 'only a push that wrote its last byte switches');
    }
  },
);

t.test('a push through the link cut by a power cut: the device boots the old or the new menu', async (t) => {
  const f = pushFolder();
  const prepared = blankStores();
  const first = new TestDevice(prepared);
  const oldMenu = join(f.dir, 'old.xml');
  writeFileSync(oldMenu, '<Response><Speak clip="greeting">Old one.</Speak><Hangup/></Response>');
  const a = lines();
  t.equal(await runPush(['dev', oldMenu, '--clips', f.clips], a.o, a.e, () => first.port()), 0, a.err.join('\n'));
  const menuBytes = (prepared.menus as MemoryStore).bytes;
  const counting = new FailingStore(SECTOR, menuBytes);
  const whole = new TestDevice({ ...copy(prepared), menus: counting });
  t.equal(await runPush(['dev', f.menu, '--clips', f.clips], a.o, a.e, () => whole.port()), 0);
  const total = counting.operations;
  const seen = new Set<string>();
  // Every 512th byte of the slot's erase, every 7th of its content, every byte of the header
  // (the exhaustive cut, at every operation, is the test above, on the slots alone).
  for (let budget = 0; budget <= total; budget += budget < SECTOR ? 512 : budget < total - 40 ? 7 : 1) {
    const store = new FailingStore(SECTOR, menuBytes, budget, true);
    const stores = { ...copy(prepared), menus: store };
    const device = new TestDevice(stores);
    const r = lines();
    const code = await runPush(['dev', f.menu, '--clips', f.clips], r.o, r.e, () => device.port());
    const boot = bootMenu({ ...stores, menus: new MemoryStore(SECTOR, store.bytes) }, GUESTBOOK);
    const text = boot.menu.commands[0]?.kind === 'speak' ? boot.menu.commands[0].text : '';
    t.ok(text === 'Old one.' || text === 'Hello from the new menu.', `cut at ${budget}: runs ${text}`);
    if (code !== 0) t.match(r.err.join('\n'), /the device failed: power cut/);
    seen.add(text);
  }
  t.same([...seen].sort(), ['Hello from the new menu.', 'Old one.']);
});

function copy(stores: DeviceStores): DeviceStores {
  return {
    recordings: new MemoryStore(SECTOR, stores.recordings.bytes),
    log: new MemoryStore(SECTOR, stores.log.bytes),
    menus: new MemoryStore(SECTOR, (stores.menus as MemoryStore).bytes),
  };
}

t.test('status, push and pull say what is wrong with PORT', async (t) => {
  const a = lines();
  t.equal(await runStatus(['/nonexistent/port'], a.o, a.e), 2);
  t.match(a.err[0], /\/nonexistent\/port: ENOENT/);
  t.equal(await runStatus([], a.o, a.e), 2);
  t.equal(await runPush(['dev'], a.o, a.e), 2);
  const b = lines();
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-link-'));
  t.equal(await runPull([join(dir)], b.o, b.e), 2);
  t.match(b.err[0], /not a serial port/);
  const silent = new TestDevice(blankStores(), { toHost: () => undefined });
  const c = lines();
  const client = new LinkClient(silent.port(), { timeoutMs: 10, retries: 1 });
  await t.rejects(client.json(Kind.STATUS), { code: 'timeout' });
  client.close();
  void c;
  void jsonPayload;
});

t.test('push checks the menu and its clips before it opens PORT', async (t) => {
  const f = pushFolder();
  let opened = 0;
  const device = new TestDevice(blankStores());
  const open = () => {
    opened++;
    return device.port();
  };
  const bad = join(f.dir, 'bad.xml');
  writeFileSync(bad, '<Response>\n  <Speak>Hello.</Speak>\n  <Nonsense/>\n</Response>\n');
  const a = lines();
  t.equal(await runPush(['dev', bad, '--clips', f.clips], a.o, a.e, open), 1, 'a menu with errors: 1');
  t.match(a.err.join('\n'), new RegExp(`${bad.replaceAll('/', '\\/')}:3:3: error: `));
  const b = lines();
  t.equal(await runPush(['dev', join(f.dir, 'none.xml')], b.o, b.e, open), 2, 'no such menu: 2');
  t.match(b.err.join('\n'), /none\.xml:1:1: error: /);
  const c = lines();
  t.equal(await runPush(['dev', f.menu, '--clips', join(f.dir, 'no-clips')], c.o, c.e, open), 2, 'no clip folder: 2');
  t.match(c.err.join('\n'), /no-clips: clip folder does not exist/);
  writeFileSync(join(f.clips, 'greeting.wav'), 'not a sound');
  const d = lines();
  t.equal(await runPush(['dev', f.menu, '--clips', f.clips], d.o, d.e, open), 1, 'a clip that does not decode: 1');
  t.match(d.err.join('\n'), /greeting\.wav: error: /);
  t.equal(opened, 0, 'PORT was never opened');
  t.same(device.changes, []);
});
