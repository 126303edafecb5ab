/**
 * The device clock (drivers/moddable-clock/moddable-clock.ts) on stand-ins for Moddable's `time` and `timer`
 * whose timers fire late, as real ones do: waits chained from timer callbacks keep to their
 * schedule (no drift), `now()` never goes back, and a hook event's real time is kept; edges
 * stamped at the interrupt (drivers/pin-edges/stamped-input.ts) run at their own times, in order
 * with the waits, however late XS reads them. Also the lin board's IdleClock: `onIdle` once
 * nothing is pending, cancels included.
 */
import { build } from 'esbuild';
import t from 'tap';
import { VirtualClock } from '../sim/virtual-clock.js';
import { IdleClock } from '../boards/lin/idle-clock.js';
import { stampedInputs } from '../drivers/pin-edges/stamped-input.js';
import { HookDecoder, type LineEvent } from '../src/line/hook-decoder.js';
import { profileNamed } from '../src/line/profile.js';
import { REPO_ROOT } from './xs/bundle.js';

/** Moddable's `time` and `timer` over a hand-driven millisecond counter; timers fire `lateMs` late. */
const STAND_INS = `
export const host = { ticks: 0, lateMs: 0, timers: [] };
export const Time = { get ticks() { return host.ticks; } };
export const Timer = {
  set(callback, ms) { const timer = { at: host.ticks + ms + host.lateMs, callback }; host.timers.push(timer); return timer; },
  clear(timer) { host.timers = host.timers.filter((x) => x !== timer); },
};
/** Runs timers in order of when they fire, moving the counter to each. */
export function runUntil(limit) {
  for (;;) {
    host.timers.sort((a, b) => a.at - b.at);
    const next = host.timers[0];
    if (next === undefined || next.at > limit) { host.ticks = limit; return; }
    host.timers.shift();
    host.ticks = next.at;
    next.callback(next);
  }
}
`;

let loads = 0;

/** A fresh copy of the clock module and its stand-ins (each load is its own module instance). */
async function loadClock(): Promise<{
  ModdableClock: new () => {
    now(): number;
    ticks(): number;
    schedule(ms: number, cb: () => void): object;
    cancel(h: object): void;
    fromTicks(ticks: number): number;
    at(time: number, cb: () => void): object;
    poll(source: () => void): () => void;
  };
  host: { ticks: number; lateMs: number };
  runUntil: (limit: number) => void;
}> {
  const result = await build({
    stdin: {
      contents: `export { ModdableClock } from './drivers/moddable-clock/moddable-clock.ts';\nexport { host, runUntil } from 'stand-ins';\nexport const load = ${++loads};\n`,
      resolveDir: REPO_ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    plugins: [
      {
        name: 'stand-ins',
        setup(b) {
          b.onResolve({ filter: /^(time|timer|stand-ins)$/ }, (args) => ({ path: args.path, namespace: 'stand-ins' }));
          b.onLoad({ filter: /.*/, namespace: 'stand-ins' }, (args) => ({
            contents:
              args.path === 'stand-ins'
                ? STAND_INS
                : `import { ${args.path === 'time' ? 'Time' : 'Timer'} as X } from 'stand-ins'; export default X;`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as never;
}

t.test('waits chained from timer callbacks do not drift when every timer fires 3 ms late', async (t) => {
  const { ModdableClock, host, runUntil } = await loadClock();
  host.lateMs = 3;
  const clock = new ModdableClock();
  const steps: number[] = [];
  const step = (n: number): void => {
    steps.push(clock.now());
    if (n > 0) clock.schedule(100, () => step(n - 1));
  };
  clock.schedule(100, () => step(99));
  runUntil(20_000);
  t.equal(steps.length, 100);
  t.same(steps.slice(0, 3), [100, 200, 300], 'each step reads the time it was due');
  t.equal(steps[99], 10_000, 'the 100th wait ends due at 10 s, not 10.3 s');
  t.ok(host.ticks >= 10_003, 'while the counter ran on');
});

t.test('now() never goes back: a late timer after a real-time event reads the later time', async (t) => {
  const { ModdableClock, host, runUntil } = await loadClock();
  host.lateMs = 0;
  const clock = new ModdableClock();
  let seen: number | undefined;
  clock.schedule(50, () => (seen = clock.now()));
  await Promise.resolve(); // the turn that scheduled it ends
  host.ticks = 60; // a hook event is stamped at 60 before the timer due at 50 runs
  t.equal(clock.now(), 60);
  runUntil(100);
  t.equal(seen, 60, 'the timer due at 50 reads 60, not 50');
});

t.test('now() outside timers is read once a turn: an event and what it sets off share its time', async (t) => {
  const { ModdableClock, host } = await loadClock();
  const clock = new ModdableClock();
  host.ticks = 100;
  await Promise.resolve();
  const key = clock.now();
  host.ticks = 122; // 22 ms of XS work on a slow chip within the same turn
  t.equal(clock.now(), key, 'the prompt cut by the key is stamped with the key time');
  t.equal(key, 100);
  await Promise.resolve(); // the turn's promise jobs run: the next turn reads the counter again
  t.equal(clock.now(), 122);
});

t.test('ticks() reads the counter itself: in a late timer now() is its due time, ticks() the real time', async (t) => {
  const { ModdableClock, host, runUntil } = await loadClock();
  host.lateMs = 1200; // a long boot turn: the first timer runs 1.2 s after it was due
  const clock = new ModdableClock();
  let seen: [number, number] | undefined;
  clock.schedule(0, () => (seen = [clock.now(), clock.ticks()]));
  runUntil(2000);
  t.same(seen, [0, 1200]);
});

t.test(
  'waits due in the same millisecond fire in scheduling order, whatever order the host fires its timers',
  async (t) => {
    const { ModdableClock, host, runUntil } = await loadClock();
    const clock = new ModdableClock();
    const fired: [string, number][] = [];
    host.lateMs = 1; // the first wait's host timer would fire a millisecond later than the second's
    clock.schedule(300, () => fired.push(['door off', clock.now()]));
    host.lateMs = 0;
    clock.schedule(300, () => fired.push(['hangup', clock.now()]));
    clock.schedule(299, () => fired.push(['earlier', clock.now()]));
    runUntil(1000);
    t.same(fired, [
      ['earlier', 299],
      ['door off', 300],
      ['hangup', 300],
    ]);
  },
);

t.test('a cancelled wait never runs; the next one still fires on time, and nothing is left armed', async (t) => {
  const { ModdableClock, host, runUntil } = await loadClock();
  const clock = new ModdableClock();
  const fired: [string, number][] = [];
  const first = clock.schedule(100, () => fired.push(['first', clock.now()]));
  clock.schedule(200, () => fired.push(['second', clock.now()]));
  const third = clock.schedule(300, () => fired.push(['third', clock.now()]));
  clock.cancel(first);
  clock.cancel(first); // twice is harmless
  runUntil(250);
  clock.cancel(third);
  runUntil(1000);
  t.same(fired, [['second', 200]]);
  t.equal((host as unknown as { timers: unknown[] }).timers.length, 0, 'no host timer left set');
});

/** A stand-in PinEdges: edges queued as the interrupt would, `wake()` as its message would call. */
function fakeEdges(): {
  io: new (options: {
    pin: number;
    onReadable: () => void;
  }) => { read(): number; take(): number | undefined; close(): void };
  edge: (ticks: number, level: number) => void;
  wake: () => void;
  closed: () => boolean;
} {
  const queue: number[] = [];
  let level = 1;
  let onReadable: (() => void) | undefined;
  let closed = false;
  class FakeEdges {
    constructor(options: { pin: number; onReadable: () => void }) {
      onReadable = options.onReadable;
    }
    read(): number {
      return level;
    }
    take(): number | undefined {
      return queue.shift();
    }
    close(): void {
      closed = true;
    }
  }
  return {
    io: FakeEdges,
    edge: (ticks, l) => {
      queue.push(ticks * 2 + l);
      level = l;
    },
    wake: () => onReadable?.(),
    closed: () => closed,
  };
}

t.test('a dialled 2 whose last make comes during a 60 ms stall of XS: the digit keeps its time', async (t) => {
  const { ModdableClock, host, runUntil } = await loadClock();
  const clock = new ModdableClock();
  const pin = fakeEdges();
  const events: string[] = [];
  const decoder = new HookDecoder({
    clock,
    timing: profileNamed('us')!.timing,
    offHook: true,
    onEvent: (e: LineEvent) => events.push(`${e.kind === 'digit' ? `digit ${e.key}` : e.kind}@${clock.now()}`),
  });
  const input = stampedInputs(pin.io, clock)(2, (level, atMs) => decoder.input(level === 1, atMs));
  // 10 pps: breaks at 1000 and 1100, makes at 1060 and 1160. Each edge read a ms after it...
  for (const [ms, level] of [
    [1000, 0],
    [1060, 1],
    [1100, 0],
  ] as const) {
    runUntil(ms);
    pin.edge(ms, level);
    runUntil(ms + 1);
    pin.wake();
  }
  // ...but from 1150 to 1210 XS is collecting garbage: the make at 1160 waits in the queue.
  runUntil(1150);
  host.ticks = 1210;
  pin.edge(1160, 1);
  pin.wake();
  runUntil(3000);
  t.same(events, ['loop-open@1015', 'digit 2@1410'], 'the digit 250 ms after the make, not after the stall');
  t.equal(input.read(), 1);
  input.close();
  t.ok(pin.closed(), 'close() closes the pin');
});

t.test('an edge not yet read runs before a later wait, and at its own time', async (t) => {
  const { ModdableClock, host, runUntil } = await loadClock();
  const clock = new ModdableClock();
  const pin = fakeEdges();
  const seen: string[] = [];
  stampedInputs(pin.io, clock)(2, (level, atMs) => seen.push(`edge ${level} at ${atMs}, now ${clock.now()}`));
  clock.schedule(1165, () => seen.push(`wait at ${clock.now()}`));
  runUntil(1100);
  // A stall: the edge at 1160 is queued, and the host fires the wait's timer before the pin's message.
  host.ticks = 1190;
  pin.edge(1160, 0);
  runUntil(1200);
  t.same(seen, ['edge 0 at 1160, now 1160', 'wait at 1165'], 'the clock read the queue before running the wait');
});

t.test('fromTicks places a 32-bit tick stamp on the clock, across the counter wrapping', async (t) => {
  const { ModdableClock, host } = await loadClock();
  host.ticks = 2 ** 32 - 100;
  const clock = new ModdableClock();
  host.ticks = 50; // wrapped: 150 ms later
  t.equal(clock.fromTicks(2 ** 32 - 10), 90, 'a stamp from before the wrap');
  t.equal(clock.fromTicks(40), 140, 'a stamp from after it');
});

t.test('IdleClock: onIdle when the last pending timer fires or is cancelled', (t) => {
  const virtual = new VirtualClock();
  const clock = new IdleClock(virtual);
  const idles: number[] = [];
  clock.onIdle = () => idles.push(virtual.now());
  clock.schedule(10, () => clock.schedule(5, () => undefined));
  const late = clock.schedule(100, () => undefined);
  while (virtual.step(20)) {
    // run to 20 ms
  }
  t.same(idles, [], 'the 100 ms timer is still pending');
  t.equal(clock.pending, 1);
  virtual.schedule(30, () => clock.cancel(late));
  while (virtual.step()) {
    // run out
  }
  t.equal(clock.pending, 0);
  t.same(idles, [], 'a cancel outside a timer callback does not call onIdle by itself');
  const due = virtual.now() + 1;
  clock.schedule(1, () => undefined);
  while (virtual.step()) {
    // run out
  }
  t.same(idles, [due], 'the next timer to finish with nothing else pending calls it');
  t.end();
});
