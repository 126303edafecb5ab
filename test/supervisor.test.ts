import fc from 'fast-check';
import t from 'tap';
import { VirtualClock } from '../sim/virtual-clock.js';
import { pulseTrain } from '../src/line/rotary.js';
import { DEFAULT_SUPERVISOR_LIMITS, LineSupervisor, type LineFault } from '../src/line/supervisor.js';
import { holds } from './fuzz-support.js';

function rig(): { clock: VirtualClock; faults: LineFault[]; sup: LineSupervisor; runTo: (t: number) => void } {
  const clock = new VirtualClock();
  const faults: LineFault[] = [];
  const sup = new LineSupervisor({ clock, onFault: (f) => faults.push(f) });
  const runTo = (at: number): void => {
    while (clock.step(at));
    clock.advanceTo(at);
  };
  return { clock, faults, sup, runTo };
}

t.test('a key held down past 10 s is one stuck-strobe fault, held open without a timer until it goes up', async (t) => {
  const { clock, faults, sup, runTo } = rig();
  runTo(1000);
  sup.key('5', true, 1000);
  runTo(10_999);
  t.same(faults, [], 'nothing before 10 s');
  runTo(11_000);
  t.same(faults, [{ kind: 'dtmf-stuck', key: '5', atMs: 11_000, downMs: 10_000 }]);
  t.equal(sup.dtmfHealthy, false);
  runTo(3_600_000);
  t.equal(faults.length, 1, 'reported once in an hour, not looped on');
  t.equal(clock.pending, 0, 'no timer while the strobe stays stuck');
  sup.key('5', false, 3_600_000);
  runTo(3_601_999);
  t.equal(sup.dtmfHealthy, false, 'still faulted during the quiet time');
  runTo(3_602_000);
  t.same(faults.at(-1), { kind: 'recovered', input: 'dtmf', atMs: 3_602_000 });
  t.equal(sup.dtmfHealthy, true);
  t.equal(clock.pending, 0);
});

t.test(
  'keys at the fastest DTMF rate (ITU-T Q.24: 40 ms on, 40 ms off) and held a few seconds are no fault',
  async (t) => {
    const { clock, faults, sup, runTo } = rig();
    let at = 0;
    for (let i = 0; i < 1000; i++) {
      runTo(at);
      sup.key('1', true, at);
      runTo(at + 40);
      sup.key('1', false, at + 40);
      at += 80;
    }
    runTo(at);
    sup.key('0', true, at);
    runTo(at + 9000);
    sup.key('0', false, at + 9000);
    runTo(at + 60_000);
    t.same(faults, []);
    t.equal(clock.pending, 0);
  },
);

t.test('a chattering strobe is one fault while it chatters, recovered 2 s after it stops', async (t) => {
  const { clock, faults, sup, runTo } = rig();
  let at = 0;
  let mostPending = 0;
  for (let i = 0; i < 1000; i++) {
    runTo(at);
    sup.key('D', true, at);
    sup.key('D', false, at + 1);
    mostPending = Math.max(mostPending, clock.pending);
    at += 10;
  }
  t.equal(mostPending, 1, 'one recovery timer at most, whatever the storm');
  runTo(at + 10_000);
  t.same(faults, [
    { kind: 'dtmf-chatter', atMs: 250, events: 26, windowMs: 1000 },
    { kind: 'recovered', input: 'dtmf', atMs: 9990 + 2000 },
  ]);
});

t.test('hook: a rotary dial at 20 pps with bouncing contacts is fine; a floating input is one fault', async (t) => {
  const { clock, faults, sup, runTo } = rig();
  // 20 digits of 0 (10 pulses), 20 pulses/s, 3 extra bounce edges 1 ms apart on every transition.
  let at = 0;
  for (let d = 0; d < 20; d++) {
    for (let p = 0; p < 10; p++) {
      for (const edgeAt of [at, at + 30]) for (let b = 0; b < 4; b++) sup.hook(edgeAt + b);
      at += 50;
    }
    at += 300;
  }
  runTo(at + 10_000);
  t.same(faults, [], 'no fault from dialling');
  // A floating input: an edge every millisecond for a minute.
  const start = clock.now();
  for (let i = 0; i < 60_000; i++) {
    runTo(start + i);
    sup.hook(start + i);
  }
  t.equal(sup.hookHealthy, false);
  runTo(start + 70_000);
  t.same(faults, [
    { kind: 'hook-chatter', atMs: start + 150, events: 151, windowMs: 1000 },
    { kind: 'recovered', input: 'hook', atMs: start + 59_999 + 2000 },
  ]);
  t.equal(sup.hookHealthy, true);
  t.equal(clock.pending, 0);
});

t.test('random input streams: faults alternate start and recovery per input; timers stay bounded', async (t) => {
  type Ev = { gap: number; what: 'down' | 'up' | 'hook'; key: string };
  const ev = fc.record({
    gap: fc.oneof(
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 200 }),
      fc.integer({ min: 0, max: 15_000 }),
    ),
    what: fc.constantFrom<Ev['what']>('down', 'up', 'hook'),
    key: fc.constantFrom('1', '2', '#'),
  });
  holds(
    t,
    'supervisor on random streams',
    fc.property(fc.array(ev, { maxLength: 600 }), (events) => {
      const { clock, faults, sup, runTo } = rig();
      let at = 0;
      for (const e of events) {
        at += e.gap;
        runTo(at);
        if (e.what === 'hook') sup.hook(at);
        else sup.key(e.key, e.what === 'down', at);
        if (clock.pending > 3) throw new Error(`${clock.pending} timers pending`);
      }
      runTo(at + DEFAULT_SUPERVISOR_LIMITS.maxKeyDownMs + 1);
      sup.key('1', false, clock.now());
      runTo(clock.now() + DEFAULT_SUPERVISOR_LIMITS.quietMs + 1);
      const open = { dtmf: false, hook: false };
      for (const f of faults) {
        const input = f.kind === 'recovered' ? f.input : f.kind === 'hook-chatter' ? 'hook' : 'dtmf';
        if (open[input] === (f.kind !== 'recovered')) throw new Error(`out of order: ${JSON.stringify(faults)}`);
        open[input] = f.kind !== 'recovered';
      }
      if (open.dtmf || open.hook || !sup.dtmfHealthy || !sup.hookHealthy)
        throw new Error('a fault stayed open after the inputs went quiet');
      if (clock.pending !== 0) throw new Error(`${clock.pending} timers left`);
      return true;
    }),
    300,
  );
});

t.test('no fault from any real caller: dialling at 7-20 pps with bouncing contacts, DTMF at its fastest', async (t) => {
  holds(
    t,
    'dialled digits and DTMF keys',
    fc.property(
      fc.array(
        fc.record({
          pulses: fc.integer({ min: 1, max: 10 }),
          pps: fc.integer({ min: 7, max: 20 }),
          bounces: fc.integer({ min: 0, max: 3 }),
          pause: fc.integer({ min: 300, max: 3000 }),
          keys: fc.integer({ min: 0, max: 5 }),
        }),
        { maxLength: 30 },
      ),
      (digits) => {
        const { faults, sup, runTo } = rig();
        let at = 0;
        for (const d of digits) {
          for (const c of pulseTrain(d.pulses, { pulsesPerSecond: d.pps, breakRatio: 0.6 })) {
            for (let b = 0; b <= d.bounces; b++) {
              runTo(at + c.atMs + b);
              sup.hook(at + c.atMs + b);
            }
          }
          at += Math.ceil((d.pulses * 1000) / d.pps) + d.pause;
          for (let k = 0; k < d.keys; k++) {
            runTo(at);
            sup.key('5', true, at);
            runTo(at + 40);
            sup.key('5', false, at + 40);
            at += 80;
          }
        }
        runTo(at + 20_000);
        if (faults.length > 0) throw new Error(JSON.stringify(faults));
        return true;
      },
    ),
    300,
  );
});

t.test('stop cancels every timer', async (t) => {
  const { clock, sup } = rig();
  for (let i = 0; i < 200; i++) sup.hook(i);
  sup.key('1', true, 200);
  t.ok(clock.pending > 0);
  sup.stop();
  t.equal(clock.pending, 0);
});
