import { readFileSync } from 'node:fs';
import t from 'tap';
import { SimAudio } from '../sim/sim-audio.js';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { SimLineFeed } from '../sim/sim-line.js';
import { simulate } from '../sim/simulate.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import type { AudioPlayer } from '../hal/audio.js';
import { Phone } from '../src/engine/phone.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { NORTH_AMERICA, UNITED_KINGDOM } from '../src/line/profile.js';
import { loadMenu } from '../src/ozml/load.js';
import type { Menu } from '../src/ozml/menu.js';

function menu(path: string): Menu {
  const m = loadMenu(readFileSync(path, 'utf8')).menu;
  if (m === undefined) throw new Error(`${path} does not load`);
  return m;
}

t.test('a loop without time passing is stopped with an error and a hang-up', async (t) => {
  const r = simulate({
    menu: menu('test/menus/busy-loop.xml'),
    events: [{ at: 0, what: 'offhook' }],
    clips: new SimClipLibrary({ fixedMs: 1000 }),
  });
  const tail = r.trace.slice(-4);
  t.same(tail, [
    { t: 0, type: 'error', message: 'the menu ran 1000 commands without time passing; stopped' },
    { t: 0, type: 'hangup', reason: 'error' },
    { t: 0, type: 'tone', name: 'reorder' },
    { t: 0, type: 'end' },
  ]);
  t.notOk(
    r.trace.some((e) => e.type === 'play'),
    'the Speak after the loop never plays',
  );
});

t.test('the reorder tone comes from the profile', async (t) => {
  const hangup = menu('examples/ozeki/third-party-simple.xml');
  for (const profile of [NORTH_AMERICA, UNITED_KINGDOM]) {
    const r = simulate({
      menu: hangup,
      events: [
        { at: 0, what: 'offhook' },
        { at: 2000, what: 'onhook' },
      ],
      clips: new SimClipLibrary(),
      profile,
    });
    t.same(
      r.audio.map((s) => [s.kind, s.start, s.end, s.tone?.frequencies, s.tone?.cadenceMs]),
      [['tone', 0, 2000, profile.tones.reorder.frequencies, profile.tones.reorder.cadenceMs]],
      profile.name,
    );
  }
});

t.test('on-hook leaves nothing pending; a second off-hook while off-hook is ignored', async (t) => {
  const clock = new VirtualClock();
  const clips = new SimClipLibrary({ fixedMs: 2000 });
  const audio = new SimAudio(clock, (c) => clips.lengthOf(c));
  const trace: TraceEvent[] = [];
  const phone = new Phone({
    menu: menu('examples/ozeki/hangup-detailed.xml'),
    clock,
    audio,
    clips,
    profile: NORTH_AMERICA,
    line: new SimLineFeed(clock),
    trace: (e) => trace.push(e),
  });
  phone.offHook();
  phone.offHook();
  t.equal(trace.filter((e) => e.type === 'input').length, 1, 'the menu started once');
  clock.step();
  t.equal(phone.lineState, 'menu');
  phone.onHook();
  t.equal(clock.pending, 0, 'no timer left');
  t.equal(audio.busy, false, 'no audio left');
  t.equal(phone.lineState, 'idle');
});

t.test('a fault inside an event handler is traced and leaves the line safe', async (t) => {
  const clock = new VirtualClock();
  const trace: TraceEvent[] = [];
  let tones = 0;
  const broken: AudioPlayer = {
    play() {
      throw new Error('DMA underrun');
    },
    playTone() {
      tones++;
    },
    stop() {},
  };
  const line = new SimLineFeed(clock);
  const phone = new Phone({
    menu: menu('examples/ozeki/hangup-simple.xml'),
    clock,
    audio: broken,
    clips: new SimClipLibrary({ fixedMs: 10 }),
    profile: NORTH_AMERICA,
    line,
    trace: (e) => trace.push(e),
  });
  phone.offHook();
  t.doesNotThrow(() => clock.step());
  t.same(
    trace.slice(-5).map((e) => e.type),
    ['play', 'error', 'play-cut', 'hangup', 'tone'],
  );
  t.match(trace.at(-3), { type: 'play-cut', reason: 'fault' });
  t.match(
    trace.find((e) => e.type === 'error'),
    { message: 'internal fault: DMA underrun' },
  );
  t.equal(phone.lineState, 'disconnected');
  t.equal(tones, 1);
  t.same(line.disconnects, [1000]);
  phone.onHook();
  phone.offHook();
  t.equal(phone.lineState, 'menu', 'a new off-hook starts the menu again');
});
