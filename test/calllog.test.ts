import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { simulate } from '../sim/simulate.js';
import { CallLog, readEntries } from '../src/calllog/call-log.js';
import { lineFaultEntry, menuFaultEntry } from '../src/calllog/faults.js';
import { crc32 } from '../src/checksum/crc32.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { decodeEntry, encodeEntry, MAX_KEYS, type LogEntry } from '../src/calllog/record.js';
import { callRecord, CallRecorder } from '../src/calllog/recorder.js';
import { FRAME_OVERHEAD, RingLog, type LogRecord } from '../src/calllog/ring-log.js';
import { decodeUtf8, encodeUtf8 } from '../src/calllog/utf8-bytes.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { loadMenu } from '../src/ozml/load.js';
import { holds } from './fuzz-support.js';
import { FailingStore, PowerCut } from './power-cut.js';

t.test('CRC-32 check value and UTF-8 round trip', async (t) => {
  t.equal(crc32(new Uint8Array([...'123456789'].map((c) => c.charCodeAt(0)))), 0xcbf43926);
  t.equal(crc32(new Uint8Array(0)), 0);
  t.same([...encodeUtf8('é😀')], [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]);
  t.same([...encodeUtf8('aé😀', 4)], [0x61, 0xc3, 0xa9], 'cut at a character boundary');
  t.equal(decodeUtf8(new Uint8Array([0xc3, 0x28])), undefined);
  holds(
    t,
    'encodeUtf8 agrees with TextEncoder and decodes back',
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
      const mine = encodeUtf8(s);
      if (Buffer.compare(Buffer.from(mine), Buffer.from(new TextEncoder().encode(s))) !== 0)
        throw new Error('differs from TextEncoder');
      return decodeUtf8(mine) === s;
    }),
    300,
  );
});

t.test('flash rules: writes clear bits only, erase restores 0xFF, accesses are bounded', async (t) => {
  const store = new MemoryStore(16, 2);
  store.write(3, new Uint8Array([0x0f, 0xf0]));
  store.write(3, new Uint8Array([0xf3, 0xff]));
  t.same([...store.read(2, 4)], [0xff, 0x03, 0xf0, 0xff]);
  store.erase(0);
  t.same([...store.read(0, 16)], new Array(16).fill(0xff));
  t.throws(() => store.read(30, 4), RangeError);
  t.throws(() => new MemoryStore(16, new Uint8Array(20)), RangeError);
});

const KEYS = '0123456789*#ABCDF';
const entry: fc.Arbitrary<LogEntry> = fc.oneof(
  fc.record({
    kind: fc.constant('call' as const),
    startMs: fc.integer({ min: 0, max: 2 ** 48 }),
    answer: fc.constantFrom('offhook' as const, 'ring' as const),
    keys: fc.string({ unit: fc.constantFrom(...KEYS), maxLength: MAX_KEYS }),
    path: fc
      .array(fc.string({ unit: fc.constantFrom(...KEYS), minLength: 1, maxLength: 4 }), { maxLength: 8 })
      .map((p) => p.join('>')),
    end: fc.constantFrom('caller' as const, 'hangup' as const, 'menu-end' as const, 'error' as const, 'open' as const),
    durationMs: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  }),
  fc.record({
    kind: fc.constant('fault' as const),
    atMs: fc.integer({ min: 0, max: 2 ** 48 }),
    message: fc.string({ unit: 'grapheme', maxLength: 60 }),
  }),
);

t.test('log entries round-trip through their binary form; damaged payloads decode to nothing', async (t) => {
  holds(
    t,
    'encode then decode',
    fc.property(entry, (e) => JSON.stringify(decodeEntry(encodeEntry(e))) === JSON.stringify(e)),
    500,
  );
  holds(
    t,
    'a truncated or extended payload is refused',
    fc.property(
      entry,
      fc.integer({ min: -5, max: 5 }).filter((n) => n !== 0),
      (e, n) => {
        const bytes = encodeEntry(e);
        const changed =
          n < 0
            ? bytes.slice(0, Math.max(0, bytes.length + n))
            : new Uint8Array([...bytes, ...new Array<number>(n).fill(0x41)]);
        return decodeEntry(changed) === undefined;
      },
    ),
    300,
  );
  const long = encodeEntry({ kind: 'fault', atMs: 1, message: 'é'.repeat(500) });
  t.equal(long.length, 11 + 240, 'a long message is cut to 240 bytes');
});

t.test('the ring is bounded: the newest records survive, in order, with consecutive numbers', async (t) => {
  const store = new MemoryStore(256, 4);
  const log = new RingLog(store);
  for (let i = 0; i < 500; i++) log.append(new Uint8Array(10 + (i % 30)).fill(i & 0xff));
  const records = log.records();
  t.ok(records.length >= 20 && records.length < 500, `${records.length} records kept of 500`);
  t.equal(records.at(-1)?.seq, 500);
  t.ok(
    records.every((r, i) => i === 0 || r.seq === records[i - 1]!.seq + 1),
    'consecutive',
  );
  t.ok(
    records.every((r) => r.payload.every((b) => b === ((r.seq - 1) & 0xff))),
    'each payload intact',
  );
  const reopened = new RingLog(store);
  t.equal(reopened.append(new Uint8Array([1])), 501, 'numbering resumes after a reboot');
  t.throws(() => reopened.append(new Uint8Array(256)), RangeError, 'a record larger than a sector is refused');
  t.equal(
    new CallLog(new MemoryStore(64, 2)).append({ kind: 'fault', atMs: 0, message: 'x'.repeat(100) }),
    'call log: a record of 111 bytes exceeds the limit of 52',
  );
  const tiny = new CallLog(new MemoryStore(64, 1));
  t.equal(
    tiny.problem,
    'call log: a ring log needs at least two sectors',
    'a region too small is a problem, not a crash',
  );
  t.equal(tiny.append({ kind: 'fault', atMs: 0, message: 'x' }), 'call log: a ring log needs at least two sectors');
  t.same(tiny.entries(), []);
  const broken = new MemoryStore(64, 2);
  broken.write = () => {
    throw new Error('SPI flash write failed');
  };
  t.equal(new CallLog(broken).append({ kind: 'fault', atMs: 0, message: 'x' }), 'call log: SPI flash write failed');
});

function same(a: readonly LogRecord[], b: readonly LogRecord[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => r.seq === b[i]!.seq && Buffer.compare(Buffer.from(r.payload), Buffer.from(b[i]!.payload)) === 0)
  );
}

function key(r: LogRecord): string {
  return `${r.seq}:${Buffer.from(r.payload).toString('hex')}`;
}

t.test('a power cut at every byte of every write and erase leaves the previous records readable', async (t) => {
  // Small sectors so that 60 appends wrap the ring several times and cross many sector erases.
  const SECTOR = 96;
  const SECTORS = 3;
  const payloads = Array.from({ length: 60 }, (_, i) =>
    new Uint8Array(1 + ((i * 37) % 50)).map((_, j) => (i * 7 + j) & 0xff),
  );
  let cuts = 0;
  let bad = 0;
  for (const torn of [false, true]) {
    for (const backward of [false, true]) {
      const base = new FailingStore(SECTOR, SECTORS);
      const log = new RingLog(base);
      for (const payload of payloads) {
        const before = new RingLog(new MemoryStore(SECTOR, base.bytes)).records();
        // What the append does when power holds: its byte operations and the records after it.
        const trial = new FailingStore(SECTOR, base.bytes);
        const trialLog = new RingLog(trial);
        const seq = trialLog.append(payload);
        const after = trialLog.records();
        const spent = trial.operations;
        // The new record may be readable too when the bytes left unwritten already held their
        // values (a CRC byte of 0xFF): then it is whole, byte for byte.
        const kept = new Set([...before, ...after.filter((r) => r.seq === seq)].map(key));
        const must = after.filter((r) => r.seq !== seq);
        for (let k = 0; k < spent; k++) {
          cuts++;
          const cut = new FailingStore(SECTOR, base.bytes, k, torn, backward);
          let died = false;
          try {
            new RingLog(cut).append(payload);
          } catch (e) {
            died = e instanceof PowerCut;
          }
          if (!died) throw new Error(`no power cut after ${k} of ${spent} operations`);
          // Reboot: what is readable must be the records before, minus at most the erased sector.
          const rebooted = new RingLog(new MemoryStore(SECTOR, cut.bytes));
          const got = rebooted.records();
          const gotKeys = new Set(got.map(key));
          const ok = got.every((r) => kept.has(key(r))) && must.every((r) => gotKeys.has(key(r)));
          // And the log goes on: the next record after the reboot is readable, numbered after the rest.
          const nextSeq = rebooted.append(new Uint8Array([0xab, k & 0xff]));
          const later = rebooted.records();
          const resumed =
            later.at(-1)?.seq === nextSeq &&
            nextSeq === (got.at(-1)?.seq ?? 0) + 1 &&
            later.slice(0, -1).every((r) => gotKeys.has(key(r)));
          if (!ok || !resumed) {
            bad++;
            if (bad <= 3)
              t.fail(
                `torn=${torn} backward=${backward} append seq ${seq}, cut after ${k} of ${spent} byte operations: got ${got.map((r) => r.seq).join(',')}, before ${before.map((r) => r.seq).join(',')}`,
              );
          }
        }
        t.equal(log.append(payload), seq);
        t.ok(same(log.records(), after), `seq ${seq} appended`);
      }
    }
  }
  t.equal(bad, 0, `${cuts} power cuts, every one left the earlier records readable`);
});

t.test('the call record from a trace: start, keys, path, end reason, duration', async (t) => {
  const menu = loadMenu(readFileSync('examples/door-phone.xml', 'utf8')).menu!;
  const r = simulate({
    menu,
    events: [
      { at: 1000, what: 'offhook' },
      { at: 3000, what: 'key', key: '9' },
      { at: 4000, what: 'key', key: '2' },
      { at: 6000, what: 'key', key: '1' },
      { at: 9000, what: 'flash' },
      { at: 40_000, what: 'onhook' },
    ],
    clips: new SimClipLibrary({ fixedMs: 2000 }),
  });
  t.same(callRecord(r.trace), {
    kind: 'call',
    startMs: 1000,
    answer: 'offhook',
    keys: '921F',
    path: '2>1',
    end: 'hangup',
    durationMs: 39_000,
  });
  t.same(callRecord(r.trace, { maskDigits: true, answerKind: () => 'ring' }), {
    kind: 'call',
    startMs: 1000,
    answer: 'ring',
    keys: 'xxxF',
    path: 'x>x',
    end: 'hangup',
    durationMs: 39_000,
  });
  const early = simulate({
    menu,
    events: [
      { at: 0, what: 'offhook' },
      { at: 1200, what: 'onhook' },
    ],
    clips: new SimClipLibrary({ fixedMs: 2000 }),
  });
  t.same(callRecord(early.trace), {
    kind: 'call',
    startMs: 0,
    answer: 'offhook',
    keys: '',
    path: '',
    end: 'caller',
    durationMs: 1200,
  });
  const open = simulate({ menu, events: [{ at: 0, what: 'offhook' }], clips: new SimClipLibrary({ fixedMs: 2000 }) });
  t.match(callRecord(open.trace), { end: 'open', durationMs: open.endMs });
  t.equal(callRecord([]), undefined);
});

t.test('a recorder on the trace fills the log; a key storm stays within the record limits', async (t) => {
  const menu = loadMenu(readFileSync('examples/ozeki/hangup-detailed.xml', 'utf8')).menu!;
  const store = new MemoryStore(4096, 4);
  const log = new CallLog(store);
  const recorder = new CallRecorder({ onRecord: (rec) => void log.append(rec) });
  const events = [
    { at: 0, what: 'offhook' as const },
    ...Array.from({ length: 500 }, (_, i) => ({ at: 100 + i * 3, what: 'key' as const, key: '1' })),
    { at: 5000, what: 'onhook' as const },
  ];
  for (let call = 0; call < 3; call++) {
    simulate({
      menu,
      events,
      clips: new SimClipLibrary({ fixedMs: 2000 }),
      onTrace: (e) => recorder.observe({ ...e, t: e.t + call * 10_000 }),
    });
  }
  log.append({
    kind: 'fault',
    atMs: 31_000,
    message: "menu.xml:4:29: error: value of attribute 'CallId' must be quoted",
  });
  const entries = readEntries(new MemoryStore(4096, store.bytes));
  t.same(
    entries.map((e) => e.seq),
    [1, 2, 3, 4],
  );
  t.match(entries[0]?.entry, { kind: 'call', startMs: 0, keys: '1'.repeat(MAX_KEYS), durationMs: 5000 });
  t.match(entries[2]?.entry, { startMs: 20_000 });
  t.match(entries[3]?.entry, { kind: 'fault', atMs: 31_000, message: /CallId/ });
  t.ok(
    FRAME_OVERHEAD + encodeEntry(entries[0]!.entry!).length <= 12 + 16 + 64 + 64,
    'a call record is at most 156 bytes',
  );
});

t.test('raw hook levels: a dial pulse is not the end of the call; idle is; a ring answer is marked', async (t) => {
  // The trace of the line state machine (branch `line`): `onhook` at every loop opening, `idle`
  // when the flash window closes, `ring-stop` for `answer` when a ring is answered.
  const trace = [
    { t: 0, type: 'ring', trigger: 'door' },
    { t: 3000, type: 'offhook' },
    { t: 3000, type: 'ring-stop', reason: 'answer' },
    { t: 5000, type: 'onhook' },
    { t: 5100, type: 'key', key: '1' },
    { t: 5100, type: 'match', key: '1' },
    { t: 9000, type: 'onhook' },
    { t: 10_000, type: 'idle' },
  ] as unknown as TraceEvent[];
  t.same(callRecord(trace, { callEnd: 'idle' }), {
    kind: 'call',
    startMs: 3000,
    answer: 'ring',
    keys: '1',
    path: '1',
    end: 'caller',
    durationMs: 6000,
  });
  t.match(callRecord(trace), { durationMs: 2000, keys: '' }, 'with callEnd onhook the first loop opening ends it');
});

t.test('faults as log entries', async (t) => {
  t.same(menuFaultEntry({ kind: 'invalid', errors: 2, message: 'menu.xml:2:3: error: unknown command <Wait>' }, 5), {
    kind: 'fault',
    atMs: 5,
    message: 'menu has 2 errors, fallback runs: menu.xml:2:3: error: unknown command <Wait>',
  });
  t.equal(
    menuFaultEntry({ kind: 'missing', errors: 0, message: '/flash/menu.xml: no menu' }, 0).message,
    'fallback runs: /flash/menu.xml: no menu',
  );
  t.equal(
    lineFaultEntry({ kind: 'dtmf-stuck', key: '5', atMs: 11_000, downMs: 10_000 }).message,
    'DTMF strobe stuck: key 5 down for 10000 ms; keys ignored until it clears',
  );
  t.match(
    lineFaultEntry({ kind: 'hook-chatter', atMs: 1, events: 151, windowMs: 1000 }).message,
    /^hook input chatters: 151 edges within 1000 ms/,
  );
  t.equal(lineFaultEntry({ kind: 'recovered', input: 'hook', atMs: 9 }).message, 'hook input recovered');
  const store = new MemoryStore(4096, 2);
  const log = new CallLog(store);
  for (const f of [
    menuFaultEntry({ kind: 'internal', errors: 0, message: 'x' }, 1),
    lineFaultEntry({ kind: 'dtmf-chatter', atMs: 2, events: 26, windowMs: 1000 }),
  ])
    log.append(f);
  t.same(
    readEntries(store).map((e) => e.entry?.kind),
    ['fault', 'fault'],
  );
});
