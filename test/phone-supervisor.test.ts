import { readFileSync } from 'node:fs';
import t from 'tap';
import { SimAudio } from '../sim/sim-audio.js';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { SimHook } from '../sim/sim-hook.js';
import { SimLineFeed } from '../sim/sim-line.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import type { DtmfReceiver } from '../hal/dtmf.js';
import { Phone } from '../src/engine/phone.js';
import type { TraceEvent } from '../src/engine/trace.js';
import type { LineFault } from '../src/line/supervisor.js';
import { NORTH_AMERICA } from '../src/line/profile.js';
import { loadMenu } from '../src/ozml/load.js';

/** A phone with a supervised hook switch and a DTMF receiver the test drives key down/up by hand. */
function rig() {
  const clock = new VirtualClock();
  const clips = new SimClipLibrary({ fixedMs: 1000 });
  const hook = new SimHook(clock);
  const dtmf: DtmfReceiver = { onKey: undefined, setEnabled: () => undefined };
  const trace: TraceEvent[] = [];
  const faults: LineFault[] = [];
  const menu = loadMenu(readFileSync('examples/ozeki/hangup-detailed.xml', 'utf8')).menu!;
  const phone = new Phone({
    menu,
    clock,
    clips,
    hook,
    dtmf,
    profile: NORTH_AMERICA,
    audio: new SimAudio(clock, (c) => clips.lengthOf(c)),
    line: new SimLineFeed(clock),
    trace: (e) => trace.push(e),
    supervise: true,
    onLineFault: (f) => faults.push(f),
  });
  const key = (k: string, down: boolean): void => dtmf.onKey?.({ key: k, down, atMs: clock.now() });
  const runTo = (ms: number): void => {
    while (clock.step(ms)) {}
    clock.advanceTo(ms);
  };
  return { clock, hook, trace, faults, phone, key, runTo };
}

t.test('a stuck DTMF strobe is reported once and its keys dropped until it clears', async (t) => {
  const r = rig();
  r.hook.set(true);
  r.runTo(500);
  r.key('5', true); // never released: StD stuck high
  r.runTo(12_000);
  t.same(
    r.trace.filter((e) => e.type === 'line-fault'),
    [{ t: 10_500, type: 'line-fault', input: 'dtmf', fault: 'dtmf-stuck' }],
  );
  r.key('2', true); // would match Input 2, but the input is faulty
  r.runTo(12_500);
  t.notOk(
    r.trace.some((e) => e.type === 'match'),
    'no key reaches the menu while the strobe is stuck',
  );
  r.key('2', false);
  r.runTo(15_000);
  t.same(
    r.faults.map((f) => f.kind),
    ['dtmf-stuck', 'recovered'],
  );
  r.key('2', true);
  r.key('2', false);
  t.match(r.trace.at(-3), { type: 'key', key: '2' });
  t.match(
    r.trace.filter((e) => e.type === 'match'),
    [{ key: '2' }],
    'keys count again once it has recovered',
  );
});

t.test('a chattering hook input is reported and does not become calls or digits', async (t) => {
  const r = rig();
  r.runTo(100);
  for (let i = 0; i < 400; i++) {
    r.hook.set(i % 2 === 0);
    r.clock.advanceTo(100 + (i + 1) * 2);
  }
  r.hook.set(false);
  r.runTo(5000);
  const faults = r.trace.filter((e) => e.type === 'line-fault');
  t.same(
    faults.map((e) => (e.type === 'line-fault' ? e.fault : '')),
    ['hook-chatter', 'recovered'],
  );
  t.notOk(
    r.trace.some((e) => e.type === 'play'),
    'no menu ran',
  );
  t.equal(r.phone.lineState, 'idle');
  r.hook.set(true);
  r.runTo(6000);
  t.match(
    r.trace.filter((e) => e.type === 'play'),
    [{ clip: 'to-subscribe-to-the-silver-package-press-1' }],
    'a real lift after recovery starts the menu',
  );
});
