import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { CallLog } from '../src/calllog/call-log.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { formatEntry, jsonEntry } from '../tools/log.js';

function ringdown(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

t.test('ringdown log prints the records of a dump, oldest first, skipping a torn one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = new MemoryStore(4096, 2);
  const log = new CallLog(store);
  log.append({ kind: 'fault', atMs: 120, message: "menu.xml:4:29: error: value of attribute 'CallId' must be quoted" });
  log.append({
    kind: 'call',
    startMs: 1000,
    answer: 'offhook',
    keys: '921F',
    path: '2>1',
    end: 'hangup',
    durationMs: 39_000,
  });
  log.append({ kind: 'call', startMs: 60_000, answer: 'ring', keys: '', path: '', end: 'caller', durationMs: 1200 });
  // A power cut in the middle of a fourth record: its first 20 bytes only.
  const torn = new MemoryStore(4096, 2);
  new CallLog(torn).append({
    kind: 'call',
    startMs: 0,
    answer: 'offhook',
    keys: '1',
    path: '',
    end: 'caller',
    durationMs: 1,
  });
  let used = store.bytes.length;
  while (used > 0 && store.bytes[used - 1] === 0xff) used--;
  store.bytes.set(torn.bytes.subarray(0, 20), used);
  const dump = join(dir, 'calllog.bin');
  writeFileSync(dump, store.bytes);
  const r = ringdown('log', dump);
  t.equal(r.err, '');
  t.equal(r.code, 0);
  t.equal(
    r.out,
    [
      "#1 fault at=0.1s menu.xml:4:29: error: value of attribute 'CallId' must be quoted",
      '#2 call start=1.0s answer=offhook keys=921F path=2>1 end=hangup duration=39.0s',
      '#3 call start=60.0s answer=ring keys=- path=- end=caller duration=1.2s',
      '3 records (#1 to #3) in 2 sectors of 4096 bytes',
      '',
    ].join('\n'),
  );
  const json = ringdown('log', dump, '--jsonl');
  t.same(JSON.parse(json.out.split('\n')[1]!), {
    seq: 2,
    kind: 'call',
    startMs: 1000,
    answer: 'offhook',
    keys: '921F',
    path: '2>1',
    end: 'hangup',
    durationMs: 39_000,
  });
  const odd = join(dir, 'odd.bin');
  writeFileSync(odd, new Uint8Array(5000));
  t.match(ringdown('log', odd), { code: 1, err: /5000 bytes is not a whole number of 4096-byte sectors/ });
  t.match(ringdown('log', join(dir, 'missing.bin')), { code: 2, err: /cannot read the file \(ENOENT\)/ });
  t.match(ringdown('log'), { code: 2, err: /^ringdown log: DUMP\.bin is missing/ });
});

/** Characters a terminal must not get raw from a record: controls, separators, bidi overrides. */
const RAW = /[\p{Cc}\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

t.test('ringdown log: control characters in a record are escaped, in lines and in JSON', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = new MemoryStore(4096, 2);
  const message = 'bad\u001b[2J\u0007\r\u009b31m\u202eevil\u2028end';
  new CallLog(store).append({ kind: 'fault', atMs: 120, message });
  const dump = join(dir, 'calllog.bin');
  writeFileSync(dump, store.bytes);
  const r = ringdown('log', dump);
  t.equal(r.code, 0);
  t.equal(r.out.split('\n')[0], '#1 fault at=0.1s bad\\x1b[2J\\x07\\x0d\\x9b31m\\u202eevil\\u2028end');
  t.notOk(RAW.test(r.out.replace(/\n/g, '')), 'no raw control character reaches the terminal');
  const json = ringdown('log', dump, '--jsonl');
  t.notOk(RAW.test(json.out.replace(/\n/g, '')), 'none in --jsonl either');
  t.same(
    JSON.parse(json.out.split('\n')[0]!),
    { seq: 1, kind: 'fault', atMs: 120, message },
    'and the JSON still reads back exactly',
  );
  const zero = spawnSync(process.execPath, ['bin/ringdown.js', 'log', '/dev/zero'], {
    encoding: 'utf8',
    timeout: 20000,
  });
  t.equal(zero.stderr, 'ringdown log: /dev/zero: cannot read the file: it is a device, not a regular file\n');
});

t.test('ringdown log: property: no text in any field of any record reaches the output raw', async (t) => {
  const text = fc.string({ unit: 'binary', maxLength: 80 });
  const entry = fc.oneof(
    fc.record({ kind: fc.constant('fault' as const), atMs: fc.nat(), message: text }),
    fc.record({
      kind: fc.constant('call' as const),
      startMs: fc.nat(),
      answer: fc.constantFrom('offhook' as const, 'ring' as const),
      keys: text,
      path: text,
      end: fc.constantFrom(
        'caller' as const,
        'hangup' as const,
        'menu-end' as const,
        'error' as const,
        'open' as const,
      ),
      durationMs: fc.nat(),
    }),
  );
  fc.assert(
    fc.property(fc.nat(), entry, (seq, e) => {
      const line = formatEntry({ seq, entry: e });
      const json = jsonEntry({ seq, entry: e });
      return !RAW.test(line) && !RAW.test(json) && JSON.stringify(JSON.parse(json)) === JSON.stringify({ seq, ...e });
    }),
    { seed: 12, numRuns: 2000 },
  );
  t.pass('2000 records');
});
