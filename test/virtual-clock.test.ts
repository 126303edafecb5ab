import fc from 'fast-check';
import t from 'tap';
import { VirtualClock } from '../sim/virtual-clock.js';
import type { TimerHandle } from '../hal/clock.js';

/** What the clock must do, written the slow obvious way: a list sorted by due time, then scheduling order. */
class ModelClock {
  time = 0;
  private seq = 0;
  queue: { at: number; seq: number; id: number }[] = [];
  schedule(ms: number, id: number): number {
    const seq = this.seq++;
    this.queue.push({ at: this.time + (Number.isFinite(ms) && ms > 0 ? ms : 0), seq, id });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    return seq;
  }
  cancel(seq: number): void {
    this.queue = this.queue.filter((e) => e.seq !== seq);
  }
  step(limit: number): number | undefined {
    const e = this.queue[0];
    if (e === undefined || e.at > limit) return undefined;
    this.queue.shift();
    this.time = e.at;
    return e.id;
  }
}

type Op =
  | { kind: 'schedule'; ms: number; chain: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'step'; limit: number };

t.test(
  'virtual clock: property: fires exactly as a sorted list by (due time, scheduling order), with cancels and timers scheduled from callbacks',
  async (t) => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant('schedule' as const),
        ms: fc.oneof(fc.constantFrom(0, -5, NaN, Infinity, 10, 10, 20), fc.integer({ min: 0, max: 50 })),
        chain: fc.integer({ min: 0, max: 3 }),
      }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({
        kind: fc.constant('step' as const),
        limit: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 200 })),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const clock = new VirtualClock();
        const model = new ModelClock();
        const handles: { handle: TimerHandle; seq: number }[] = [];
        const fired: number[] = [];
        let nextId = 0;
        const add = (ms: number, chain: number): void => {
          const id = nextId++;
          // A timer's callback schedules `chain` more at the same delay: same-time timers pile up.
          const handle = clock.schedule(ms, () => {
            fired.push(id);
            for (let i = 0; i < chain; i++) add(ms, 0);
          });
          handles.push({ handle, seq: model.schedule(ms, id) });
        };
        for (const o of ops) {
          if (o.kind === 'schedule') add(o.ms, o.chain);
          else if (o.kind === 'cancel' && handles.length > 0) {
            const h = handles[o.pick % handles.length]!;
            clock.cancel(h.handle);
            model.cancel(h.seq);
          } else if (o.kind === 'step') {
            const want = model.step(o.limit);
            const before = fired.length;
            const stepped = clock.step(o.limit);
            if (stepped !== (want !== undefined)) return false;
            // (add() schedules the callback's timers in the model too, after model.step moved its time.)
            if (want !== undefined && fired[before] !== want) return false;
          }
          if (
            clock.pending !== model.queue.length ||
            clock.nextAt() !== model.queue[0]?.at ||
            clock.now() !== model.time
          )
            return false;
        }
        return true;
      }),
      { seed: 12, numRuns: 500 },
    );
    t.pass('500 random schedules');
  },
);

t.test(
  'virtual clock: 200,000 timers (schedule, cancel a third, fire the rest) take well under a second, not minutes',
  async (t) => {
    const clock = new VirtualClock();
    const started = Date.now();
    const handles: TimerHandle[] = [];
    let x = 12345;
    for (let i = 0; i < 200_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      handles.push(clock.schedule(x % 1_000_000, () => {}));
    }
    for (let i = 0; i < handles.length; i += 3) clock.cancel(handles[i]!);
    let fired = 0;
    let last = -1;
    while (clock.step()) {
      if (clock.now() < last) t.fail('time went backwards');
      last = clock.now();
      fired++;
    }
    const ms = Date.now() - started;
    t.equal(fired, 200_000 - Math.ceil(200_000 / 3));
    t.ok(ms < 5000, `took ${ms} ms (a sorted array with splice/shift took minutes)`);
    // A simulation's pattern: every timer schedules the next, with 100,000 others waiting.
    const chain = new VirtualClock();
    for (let i = 0; i < 100_000; i++) chain.schedule(10_000_000 + i, () => {});
    let n = 0;
    const tick = (): void => {
      if (++n < 100_000) chain.schedule(1, tick);
    };
    chain.schedule(0, tick);
    const t0 = Date.now();
    while (chain.step(10_000_000 - 1));
    t.equal(n, 100_000);
    t.ok(Date.now() - t0 < 5000, `100,000 chained timers among 100,000 waiting: ${Date.now() - t0} ms`);
  },
);
