import t from 'tap';
import type { RecordingWriter } from '../hal/recordings.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { FlashRecordings, readRecordingSamples, readStoredRecordings } from '../src/calllog/flash-recordings.js';
import { FailingStore, PowerCut } from './power-cut.js';

/** Distinct samples for recording `r`, negative ones included. */
function data(r: number, n: number): Int16Array {
  return Int16Array.from({ length: n }, (_, j) => ((j * 37 + r * 911) % 4000) - 2000);
}

type Op = { rec: number; name?: string; act: 'open' | 'append' | 'flush' | 'close' | 'discard'; n?: number };

/** A guestbook's life: messages kept and dropped, a greeting recorded twice, one message left open. */
const SCRIPT: Op[] = [
  { rec: 0, act: 'open', name: 'msg-1' },
  { rec: 0, act: 'append', n: 30 },
  { rec: 0, act: 'flush' },
  { rec: 0, act: 'append', n: 25 },
  { rec: 0, act: 'close' },
  { rec: 1, act: 'open', name: 'msg-2' },
  { rec: 1, act: 'append', n: 12 },
  { rec: 1, act: 'discard' },
  { rec: 2, act: 'open', name: 'greeting' },
  { rec: 2, act: 'append', n: 33 },
  { rec: 2, act: 'close' },
  { rec: 3, act: 'open', name: 'greeting' },
  { rec: 3, act: 'append', n: 47 },
  { rec: 3, act: 'close' },
  { rec: 4, act: 'open', name: 'msg-2' },
  { rec: 4, act: 'append', n: 20 },
  { rec: 4, act: 'flush' },
  { rec: 4, act: 'append', n: 44 },
];

/** Runs the script; returns how many ops completed (the rest threw a power cut). */
function run(store: MemoryStore, after?: (i: number) => void): number {
  const recordings = new FlashRecordings(store);
  const writers: RecordingWriter[] = [];
  const appended = [0, 0, 0, 0, 0];
  for (let i = 0; i < SCRIPT.length; i++) {
    const op = SCRIPT[i]!;
    try {
      if (op.act === 'open') writers[op.rec] = recordings.open(op.name!);
      else if (op.act === 'append') {
        writers[op.rec]!.append(data(op.rec, appended[op.rec]! + op.n!).subarray(appended[op.rec]!));
        appended[op.rec]! += op.n!;
      } else writers[op.rec]![op.act]();
    } catch (e) {
      if (e instanceof PowerCut) return i;
      throw e;
    }
    after?.(i);
  }
  return SCRIPT.length;
}

interface Seen {
  name: string;
  rec: number;
  complete: boolean;
  samples: Int16Array;
}

/** What the region reads as: each listed recording with its samples (ids are 1 + the script's rec). */
function seen(store: MemoryStore): Seen[] {
  return readStoredRecordings(store).map((r) => ({
    name: r.name,
    rec: r.id - 1,
    complete: r.complete,
    samples: readRecordingSamples(store, r.id),
  }));
}

const SECTOR = 64;
const SECTORS = 40;

t.test('recordings round trip: names, the newest complete greeting wins, discards and open ones', async (t) => {
  const store = new MemoryStore(SECTOR, SECTORS);
  t.equal(run(store), SCRIPT.length);
  const got = seen(store);
  t.same(
    got.map((r) => [r.name, r.rec, r.complete, r.samples.length]),
    [
      ['msg-1', 0, true, 55],
      ['greeting', 3, true, 47],
      ['msg-2', 4, false, 20 + 42], // the flushed 20, then two full blocks of 21 of the 44 after
    ],
  );
  t.same(got[0]!.samples, data(0, 55));
  t.same(got[1]!.samples, data(3, 47));
  t.same(got[2]!.samples, data(4, 62));
  const reopened = new FlashRecordings(new MemoryStore(SECTOR, store.bytes));
  t.same(reopened.list(), ['msg-1', 'greeting', 'msg-2']);
  t.equal(reopened.blockSamples, 21);
});

t.test(
  'a power cut at every byte of every write and erase: the region reads as before or after the write',
  async (t) => {
    // The region's state after each op of the script, with power on.
    const states: Seen[][] = [seen(new MemoryStore(SECTOR, SECTORS))];
    const healthy = new MemoryStore(SECTOR, SECTORS);
    run(healthy, () => states.push(seen(healthy)));
    const spent = new FailingStore(SECTOR, SECTORS);
    run(spent);
    const total = spent.operations;
    let cuts = 0;
    let bad = 0;
    const fail = (message: string): void => {
      if (++bad <= 5) t.fail(message);
    };
    for (const torn of [false, true]) {
      for (const backward of [false, true]) {
        for (let k = 0; k < total; k++) {
          const store = new FailingStore(SECTOR, SECTORS, k, torn, backward);
          const i = run(store);
          if (i === SCRIPT.length) throw new Error(`no power cut after ${k} of ${total} operations`);
          cuts++;
          const rebooted = new MemoryStore(SECTOR, store.bytes);
          const got = seen(rebooted);
          const before = states[i]!;
          const after = states[i + 1]!;
          const where = `torn=${torn} backward=${backward} cut ${k} in op ${i} (${SCRIPT[i]!.act} ${SCRIPT[i]!.rec})`;
          // Each name shows the recording it showed before or after the op, as it was or in between.
          const names = new Set([...before, ...after, ...got].map((r) => r.name));
          for (const name of names) {
            const g = got.find((r) => r.name === name);
            const b = before.find((r) => r.name === name);
            const a = after.find((r) => r.name === name);
            if (g === undefined) {
              if (b !== undefined && a !== undefined) fail(`${where}: ${name} vanished`);
              continue;
            }
            const full = data(g.rec, g.samples.length);
            if (!g.samples.every((v, j) => v === full[j])) fail(`${where}: ${name} holds samples it was never given`);
            const from = [b, a].filter((r) => r?.rec === g.rec);
            if (from.length === 0) {
              fail(`${where}: ${name} is recording ${g.rec}, neither the one before nor after`);
              continue;
            }
            const lo = Math.min(...from.map((r) => r!.samples.length));
            const hi = Math.max(...from.map((r) => r!.samples.length));
            if (g.samples.length < lo || g.samples.length > hi)
              fail(`${where}: ${name} has ${g.samples.length} samples, not ${lo} to ${hi}`);
            if (!from.some((r) => r!.complete === g.complete)) fail(`${where}: ${name} complete=${g.complete}`);
          }
          // And the store goes on after the reboot: a new recording is whole and numbered after the rest.
          const next = new FlashRecordings(rebooted);
          const w = next.open('after');
          w.append(data(9, 50));
          w.close();
          const last = next.recordings().at(-1)!;
          if (
            last.name !== 'after' ||
            !last.complete ||
            last.samples !== 50 ||
            last.id <= Math.max(0, ...got.map((r) => r.rec + 1))
          ) {
            fail(`${where}: after the reboot a new recording reads ${JSON.stringify(last)}`);
          }
        }
      }
    }
    t.equal(bad, 0, `${cuts} power cuts, every one read as before, after or between`);
    t.ok(cuts > 4000);
  },
);
