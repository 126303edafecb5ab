/**
 * The phone fed by raw hook levels, a DTMF receiver and a ringer (all simulated, virtual time):
 * loop-open silences audio at once, dialed digits reach UserInput like keys, flashes and
 * hang-ups are decided at the flash window, rings trip and run their own menu.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { SimAudio } from '../sim/sim-audio.js';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { SimDtmf } from '../sim/sim-dtmf.js';
import { SimHook } from '../sim/sim-hook.js';
import { SimLineFeed } from '../sim/sim-line.js';
import { SimRinger } from '../sim/sim-ringer.js';
import { simulate } from '../sim/simulate.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { Phone, type RingTrigger } from '../src/engine/phone.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { NORTH_AMERICA, UNITED_KINGDOM } from '../src/line/profile.js';
import { pulseTrain } from '../src/line/rotary.js';
import { loadMenu } from '../src/ozml/load.js';
import type { Menu } from '../src/ozml/menu.js';

function menu(path: string): Menu {
  const m = loadMenu(readFileSync(path, 'utf8')).menu;
  if (m === undefined) throw new Error(`${path} does not load`);
  return m;
}

const FLASH = 'test/menus/line-flash.xml';
const SIMPLE = 'examples/ozeki/hangup-simple.xml';
const DETAILED = 'examples/ozeki/hangup-detailed.xml';

/** A phone on simulated hardware; `at(ms, fn)` scripts, `run()` returns "T type detail" lines. */
function rig(
  options: { menu?: string; ringMenu?: string; triggers?: Record<string, RingTrigger>; ringLagMs?: number } = {},
) {
  const clock = new VirtualClock();
  const clips = new SimClipLibrary({ fixedMs: 2000 });
  const audio = new SimAudio(clock, (c) => clips.lengthOf(c));
  const hook = new SimHook(clock, options.ringLagMs ?? 0);
  const dtmf = new SimDtmf(clock);
  const ringer = new SimRinger(clock, (on) => (hook.ringing = on));
  const trace: TraceEvent[] = [];
  const phone = new Phone({
    menu: menu(options.menu ?? FLASH),
    clock,
    audio,
    clips,
    profile: NORTH_AMERICA,
    line: new SimLineFeed(clock),
    trace: (e) => trace.push(e),
    hook,
    dtmf,
    ringer,
    ...(options.ringMenu !== undefined ? { ringMenu: menu(options.ringMenu) } : {}),
    ...(options.triggers !== undefined ? { triggers: options.triggers } : {}),
  });
  return {
    clock,
    audio,
    hook,
    dtmf,
    ringer,
    phone,
    trace,
    at(ms: number, fn: () => void): void {
      clock.schedule(ms - clock.now(), fn);
    },
    lift(ms: number): void {
      this.at(ms, () => hook.set(true));
    },
    hangUp(ms: number): void {
      this.at(ms, () => hook.set(false));
    },
    dial(ms: number, pulses: number): void {
      for (const c of pulseTrain(pulses)) this.at(ms + c.atMs, () => hook.set(c.offHook));
    },
    run(until = Infinity): string[] {
      while (clock.step(until));
      return trace.map(brief);
    },
  };
}

function brief(e: TraceEvent): string {
  const rest = Object.entries(e)
    .filter(([k]) => k !== 't' && k !== 'type' && k !== 'text')
    .map(([, v]) => String(v));
  return [e.t, e.type, ...rest].join(' ');
}

t.test('lifting the handset (raw level) runs the off-hook menu after the debounce', async (t) => {
  const r = rig();
  r.lift(100);
  t.same(r.run(1000), ['110 offhook', '110 input 1 3000 false', '110 play main-menu-press-1-for-news 2000']);
});

t.test('a phone already off-hook at power-up gets its call', async (t) => {
  const clock = new VirtualClock();
  const hook = new SimHook(clock);
  hook.assume(true);
  const trace: TraceEvent[] = [];
  const clips = new SimClipLibrary({ fixedMs: 2000 });
  new Phone({
    menu: menu(FLASH),
    clock,
    audio: new SimAudio(clock, () => 2000),
    clips,
    profile: NORTH_AMERICA,
    line: new SimLineFeed(clock),
    trace: (e) => trace.push(e),
    hook,
  });
  clock.step();
  t.same(trace.slice(0, 1), [{ t: 10, type: 'offhook' }]);
});

t.test('a dialed digit reaches UserInput like a DTMF key; the prompt is silenced at the first break', async (t) => {
  const r = rig();
  r.lift(0);
  r.dial(1000, 1);
  t.same(r.run(), [
    '10 offhook',
    '10 input 1 3000 false',
    '10 play main-menu-press-1-for-news 2000',
    '1015 onhook',
    '1310 key 1',
    '1310 play-cut main-menu-press-1-for-news barge-in',
    '1310 match 1',
    '1310 play news 2000',
    '3310 hangup command',
    '3310 tone reorder',
  ]);
  t.same(
    r.audio.segments.slice(0, 1).map((s) => [s.name, s.start, s.end]),
    [['main-menu-press-1-for-news', 10, 1015]],
    'the clip stopped at the onhook',
  );
});

t.test('a dialed digit that matches nothing: the silenced clip counts as ended and the prompt goes on', async (t) => {
  const r = rig({ menu: DETAILED });
  r.lift(0);
  r.dial(500, 9);
  t.same(r.run(4000).slice(3, 8), [
    '515 onhook',
    `${500 + 800 + 60 + 250} key 9`,
    `${500 + 800 + 60 + 250} nomatch 9`,
    `${500 + 800 + 60 + 250} play to-subscribe-to-the-golden-package-press-2 2000`,
    `${500 + 800 + 60 + 250 + 2000} wait 2000`,
  ]);
});

t.test('the menu waits while the loop is open: a delay due during a flash ends when it is decided', async (t) => {
  const r = rig({ menu: SIMPLE });
  r.lift(0);
  r.hangUp(500); // the 1 s Delay is due at 1010, inside the break
  r.lift(1100);
  t.same(r.run(4000), [
    '10 offhook',
    '10 delay 1000',
    '515 onhook',
    '1110 play your-call-will-be-hanged-up-in-5-seconds 2000', // the held delay ends first: it was due first
    '1110 flash',
    '1110 ignored F',
    '3110 delay 5000',
  ]);
});

t.test('flash window edges through the phone: 1250 ms flashes, 1251 ms hangs up at the window close', async (t) => {
  const inside = rig();
  inside.lift(0);
  inside.hangUp(1000);
  inside.lift(2250);
  t.same(inside.run(2500).slice(3), [
    '1015 onhook',
    '2260 flash',
    '2260 play-cut main-menu-press-1-for-news barge-in',
    '2260 match F',
    '2260 play back-to-the-top 2000',
  ]);
  const outside = rig();
  outside.lift(0);
  outside.hangUp(1000);
  outside.lift(2251);
  t.same(outside.run(2500).slice(3), [
    '1015 onhook',
    '2251 play-cut main-menu-press-1-for-news onhook',
    '2251 idle',
    '2261 offhook',
    '2261 input 1 3000 false',
    '2261 play main-menu-press-1-for-news 2000',
  ]);
  t.equal(outside.clock.pending > 0, true);
});

t.test('hanging up for good: audio stops at once, nothing of the call runs after the window', async (t) => {
  const r = rig({ menu: SIMPLE });
  r.lift(0);
  r.hangUp(1500);
  t.same(r.run(), [
    '10 offhook',
    '10 delay 1000',
    '1010 play your-call-will-be-hanged-up-in-5-seconds 2000',
    '1515 onhook',
    '2751 play-cut your-call-will-be-hanged-up-in-5-seconds onhook',
    '2751 idle',
  ]);
  t.same(
    r.audio.segments.map((s) => [s.start, s.end]),
    [[1010, 1515]],
  );
  t.equal(r.clock.pending, 0);
  t.equal(r.phone.lineState, 'idle');
});

t.test('the reorder tone stops on the onhook and plays again if it was only a flash', async (t) => {
  const r = rig({ menu: 'examples/ozeki/third-party-simple.xml' });
  r.lift(0);
  r.hangUp(1000);
  r.lift(1500);
  r.hangUp(3000);
  t.same(r.run(), [
    '10 offhook',
    '10 hangup command',
    '10 tone reorder',
    '1015 onhook',
    '1015 tone-stop reorder',
    '1510 tone reorder',
    '1510 flash',
    '1510 ignored F',
    '3015 onhook',
    '3015 tone-stop reorder',
    '4251 idle',
  ]);
});

t.test('DTMF keys count on key down, and not while the loop is open', async (t) => {
  const r = rig();
  r.lift(0);
  r.at(500, () => r.hook.set(false));
  r.at(600, () => r.dtmf.press('1'));
  r.at(800, () => r.hook.set(true)); // a 300 ms break: a flash
  r.at(1000, () => r.dtmf.press('1'));
  t.same(r.run(1500).slice(3), [
    '515 onhook',
    '810 flash',
    '810 play-cut main-menu-press-1-for-news barge-in',
    '810 match F',
    '810 play back-to-the-top 2000',
    '1000 key 1',
    '1000 ignored 1',
  ]);
});

t.test('eleven pulses are reported and change nothing', async (t) => {
  const r = rig();
  r.lift(0);
  r.dial(500, 11);
  t.same(
    r.run(2500).slice(3),
    ['515 onhook', '1810 error dialed 11 pulses: not a digit; ignored', '1810 wait 3000'],
    'the silenced prompt counts as ended',
  );
});

t.test('ringing: the cadence from the profile, DTMF gated, tripped mid-burst, ring menu runs', async (t) => {
  const r = rig({ menu: FLASH, ringMenu: SIMPLE, ringLagMs: 100 });
  r.at(0, () => r.phone.ring());
  r.at(500, () => r.dtmf.press('5')); // ring residue that looks like a key: gated
  r.at(6800, () => r.hook.set(true)); // lifted in the second burst (6 s to 8 s); SHK lags 100 ms
  t.same(r.run(8000), [
    '0 ring ring',
    '6950 offhook',
    '6950 ring-stop answer',
    '6950 delay 1000',
    '7950 play your-call-will-be-hanged-up-in-5-seconds 2000',
  ]);
  t.same(r.ringer.log, [{ at: 0, start: NORTH_AMERICA.ring }, { at: 6950 }]);
  t.equal(r.dtmf.isEnabled, true, 'DTMF back on after the answer');
});

t.test('ring trip hold edges: an off-hook of 149 ms (lag 100 + 49) does not trip, 150 ms does', async (t) => {
  const r = rig({ ringLagMs: 100 });
  r.at(0, () => r.phone.ring());
  r.at(1000, () => r.hook.set(true));
  r.at(1049, () => r.hook.set(false));
  r.at(3000, () => r.hook.set(true));
  t.same(r.run(3500).slice(0, 3), ['0 ring ring', '3150 offhook', '3150 ring-stop answer']);
});

t.test('an unanswered ring stops at the bound; DTMF comes back', async (t) => {
  const r = rig();
  r.at(0, () => r.phone.ring());
  t.same(r.run(), ['0 ring ring', '30000 ring-stop bound']);
  t.equal(r.phone.lineState, 'idle');
  t.equal(r.dtmf.isEnabled, true);
});

t.test('a ring trigger brings its own menu, cadence and bound; lifting from idle runs the off-hook menu', async (t) => {
  const doorbell: RingTrigger = { menu: menu(SIMPLE), cadence: UNITED_KINGDOM.ring, boundMs: 5000 };
  const r = rig({ menu: FLASH, ringMenu: DETAILED, triggers: { doorbell } });
  r.at(0, () => r.phone.ring('doorbell'));
  r.at(1000, () => r.phone.offHook());
  r.at(2000, () => r.phone.onHook());
  r.at(3000, () => r.phone.ring('doorbell'));
  r.at(9000, () => r.phone.offHook());
  t.same(r.run(9001), [
    '0 ring doorbell',
    '1000 offhook',
    '1000 ring-stop answer',
    '1000 delay 1000',
    '2000 onhook',
    '3000 ring doorbell',
    '8000 ring-stop bound',
    '9000 offhook',
    '9000 input 1 3000 false',
    '9000 play main-menu-press-1-for-news 2000',
  ]);
  t.same(
    r.ringer.log.map((e) => [e.at, e.start?.cadenceMs]),
    [
      [0, [400, 200, 400, 2000]],
      [1000, undefined],
      [3000, [400, 200, 400, 2000]],
      [8000, undefined],
    ],
  );
});

t.test('a ring while a call is in progress is busy', async (t) => {
  const r = rig();
  r.lift(0);
  r.at(100, () => r.phone.ring());
  t.same(r.run(200).slice(3), ['100 ring ring', '100 ring-stop busy']);
  t.same(r.ringer.log, []);
});

t.test('an on-hook trace while ringing leaves the ring going', async (t) => {
  const r = rig();
  r.at(0, () => r.phone.ring());
  r.at(100, () => r.phone.onHook());
  t.same(r.run(), ['0 ring ring', '100 onhook', '30000 ring-stop bound']);
});

t.test('simulate: dial:N, break:MS and ring tokens drive the same machinery', async (t) => {
  const events = [
    { at: 0, what: 'ring' as const, trigger: 'ring' },
    { at: 7000, what: 'offhook' as const },
    { at: 8000, what: 'dial' as const, key: '0' },
    { at: 10000, what: 'break' as const, ms: 600 },
  ];
  const r = simulate({ menu: menu(FLASH), events, clips: new SimClipLibrary({ fixedMs: 2000 }), untilMs: 11000 });
  t.same(r.trace.map(brief), [
    '0 ring ring',
    '7000 offhook',
    '7000 ring-stop answer',
    '7000 input 1 3000 false',
    '7000 play main-menu-press-1-for-news 2000',
    '8015 onhook',
    '9210 key 0',
    '9210 nomatch 0',
    '9210 wait 3000',
    '10015 onhook',
    '10610 flash',
    '10610 match F',
    '10610 play back-to-the-top 2000',
    '11000 end',
  ]);
  t.same(r.rings, [{ at: 0, start: NORTH_AMERICA.ring }, { at: 7000 }]);
});
