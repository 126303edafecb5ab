/**
 * The drivers against fake ECMA-419 classes in virtual time: the Ag1171 (SHK levels in, ringing
 * and polarity reversal out), the MT8870 (StD edges with codes), the AudioOut player (clips,
 * flush on barge-in, tones as sine blocks), and the whole line through the phone.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { SimLineFeed } from '../sim/sim-line.js';
import { SimAudio } from '../sim/sim-audio.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { Ag1171 } from '../drivers/ag1171/ag1171.js';
import { AudioOutPlayer, seamlessLength, toneLoop } from '../drivers/audioout-player/audioout-player.js';
import { DigitalButton } from '../drivers/button/button.js';
import { DigitalPinOutputs } from '../drivers/digital-outputs/digital-outputs.js';
import { Mt8870, bankLayout, mt8870Key } from '../drivers/mt8870/mt8870.js';
import type { DtmfEvent } from '../hal/dtmf.js';
import { Phone } from '../src/engine/phone.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { CEPT, NORTH_AMERICA, UNITED_KINGDOM } from '../src/line/profile.js';
import { pulseTrain } from '../src/line/rotary.js';
import { loadMenu } from '../src/ozml/load.js';
import { renderTone } from '../src/tones/synth.js';
import { fakeAudioOut, type FakeAudioOut } from './fakes/audioout.js';
import { Wires, fakeDigital, fakeDigitalBank } from './fakes/io.js';

const SHK = 34;
const RM = 32;
const FR = 33;

function slic(options: { shkActiveHigh?: boolean } = {}) {
  const clock = new VirtualClock();
  const wires = new Wires(clock);
  const Digital = fakeDigital(wires);
  const ag = new Ag1171({
    clock,
    shk: { pin: SHK, io: Digital },
    rm: { pin: RM, io: Digital },
    fr: { pin: FR, io: Digital },
    ...options,
  });
  const changes: string[] = [];
  ag.onChange = (offHook, at) => changes.push(`${at} ${offHook ? 'make' : 'break'}`);
  return {
    clock,
    wires,
    ag,
    changes,
    run: (until = Infinity) => {
      while (clock.step(until));
    },
  };
}

t.test('Ag1171: opens SHK as an input on both edges; RM low and F/R forward at start', async (t) => {
  const s = slic();
  t.equal(s.wires.modes.get(SHK), 'Input');
  t.same(s.wires.writesTo(RM), [[0, 0]]);
  t.same(s.wires.writesTo(FR), [[0, 1]]);
});

t.test('Ag1171: every raw SHK edge is reported with its time, bounces included (the decoder debounces)', async (t) => {
  const s = slic();
  for (const [at, v] of [
    [100, 1],
    [102, 0],
    [103, 1],
    [500, 0],
  ] as const)
    s.wires.at(at, SHK, v);
  s.run();
  t.same(s.changes, ['100 make', '102 break', '103 make', '500 break']);
  t.equal(s.ag.read(), false);
});

t.test(
  'Ag1171 with shkEdges: SHK is opened through it, each edge reported at its own time, inverted as set',
  async (t) => {
    const clock = new VirtualClock();
    const Digital = fakeDigital(new Wires(clock));
    let onEdge: ((level: number, atMs: number) => void) | undefined;
    let level = 0;
    const opened: number[] = [];
    const ag = new Ag1171({
      clock,
      shk: { pin: SHK, io: Digital },
      rm: { pin: RM, io: Digital },
      fr: { pin: FR, io: Digital },
      shkActiveHigh: false,
      shkEdges: (pin, callback) => {
        opened.push(pin);
        onEdge = callback;
        return { read: () => level, close: () => undefined };
      },
    });
    const changes: string[] = [];
    ag.onChange = (offHook, at) => changes.push(`${at} ${offHook ? 'make' : 'break'}`);
    t.same(opened, [SHK]);
    t.equal(ag.read(), true, 'low SHK is off-hook on an inverting module');
    // Edges come late (at 500), each with the time it was stamped at.
    clock.schedule(500, () => {
      onEdge!(1, 100);
      onEdge!(1, 120); // no change: not reported
      onEdge!(0, 160);
      level = 0;
    });
    while (clock.step());
    t.same(changes, ['100 break', '160 make']);
  },
);

t.test('Ag1171: an inverted SHK (shkActiveHigh false) reads the other way', async (t) => {
  const s = slic({ shkActiveHigh: false });
  t.equal(s.ag.read(), true, 'low SHK is off-hook');
  s.wires.at(10, SHK, 1);
  s.run();
  t.same(s.changes, ['10 break']);
});

/** F/R and RM writes as [time, value], from `from` to `to`. */
function between(writes: [number, 0 | 1][], from: number, to: number): [number, 0 | 1][] {
  return writes.filter(([at]) => at >= from && at < to);
}

t.test('Ag1171 ringing, North America: RM high 2 s of 6, F/R toggled every 25 ms (20 Hz) in the burst', async (t) => {
  const s = slic();
  s.ag.start(NORTH_AMERICA.ring);
  s.run(12_500);
  const rm = s.wires.writesTo(RM).slice(1);
  t.same(rm, [
    [0, 1],
    [2000, 0],
    [6000, 1],
    [8000, 0],
    [12000, 1],
  ]);
  const burst = between(s.wires.writesTo(FR), 0, 2000).slice(1); // after the forward set at open
  t.equal(burst.length, 80, '80 F/R changes in a 2 s burst: 40 cycles of 20 Hz');
  t.same(burst.slice(0, 3), [
    [0, 0],
    [25, 1],
    [50, 0],
  ]);
  t.same(between(s.wires.writesTo(FR), 2000, 6000), [[2000, 1]], 'forward and still between bursts');
});

t.test('Ag1171 ringing, UK: 25 Hz (20 ms half period), 0.4 on 0.2 off 0.4 on 2.0 off', async (t) => {
  const s = slic();
  s.ag.start(UNITED_KINGDOM.ring);
  s.run(3100);
  t.same(s.wires.writesTo(RM).slice(1), [
    [0, 1],
    [400, 0],
    [600, 1],
    [1000, 0],
    [3000, 1],
  ]);
  t.equal(between(s.wires.writesTo(FR), 0, 400).slice(1).length, 20, '20 changes in 400 ms at 25 Hz');
  t.same(between(s.wires.writesTo(FR), 0, 60).slice(1), [
    [0, 0],
    [20, 1],
    [40, 0],
  ]);
});

t.test('Ag1171 ring trip mid-burst: stop() drops RM and sets F/R forward at once; no timer left', async (t) => {
  const s = slic();
  s.ag.start(CEPT.ring);
  s.clock.schedule(512, () => s.ag.stop());
  s.run();
  t.same(s.wires.writesTo(RM).slice(-2), [
    [0, 1],
    [512, 0],
  ]);
  t.same(s.wires.writesTo(FR).at(-1), [512, 1]);
  t.equal(s.clock.pending, 0);
});

t.test('Ag1171 disconnect: polarity reversed for 500 ms, then forward; not while ringing', async (t) => {
  const s = slic();
  s.clock.schedule(100, () => s.ag.disconnect());
  s.run();
  t.same(s.wires.writesTo(FR).slice(1), [
    [100, 0],
    [600, 1],
  ]);
  const r = slic();
  r.ag.start(NORTH_AMERICA.ring);
  r.clock.schedule(30, () => r.ag.disconnect());
  r.clock.schedule(40, () => r.ag.stop());
  r.run();
  t.same(r.wires.writesTo(FR).slice(1), [
    [0, 0],
    [25, 1],
    [40, 1],
  ]);
});

/** The whole line: fake SHK → Ag1171 → line state machine → phone. */
function line(menuPath: string, options: { lagMs?: number } = {}) {
  const s = slic();
  const lag = options.lagMs ?? 0;
  const clips = new SimClipLibrary({ fixedMs: 2000 });
  const trace: TraceEvent[] = [];
  const loaded = loadMenu(readFileSync(menuPath, 'utf8')).menu!;
  const phone = new Phone({
    menu: loaded,
    clock: s.clock,
    audio: new SimAudio(s.clock, (c) => clips.lengthOf(c)),
    clips,
    profile: NORTH_AMERICA,
    line: new SimLineFeed(s.clock),
    trace: (e) => trace.push(e),
    hook: s.ag,
    ringer: s.ag,
  });
  /** The handset: SHK follows it, `lag` ms late while RM is high (ringing voltage applied). */
  const handset = (at: number, offHook: boolean): void => {
    s.clock.schedule(at - s.clock.now(), () => {
      const late = s.wires.level(RM) === 1 ? lag : 0;
      s.clock.schedule(late, () => s.wires.set(SHK, offHook ? 1 : 0));
    });
  };
  return {
    ...s,
    phone,
    trace,
    handset,
    brief: () => trace.map((e) => `${e.t} ${e.type}${'key' in e ? ` ${e.key}` : ''}`),
  };
}

t.test('through the driver: a bouncy lift, then rotary pulse trains at 8, 10 and 12 pps', async (t) => {
  for (const pulsesPerSecond of [8, 10, 12]) {
    const l = line('test/menus/line-flash.xml');
    for (const [at, v] of [
      [100, true],
      [101, false],
      [103, true],
    ] as const)
      l.handset(at, v);
    for (const c of pulseTrain(1, { pulsesPerSecond, breakRatio: 0.7 })) l.handset(1000 + c.atMs, c.offHook);
    l.run(3000);
    const lastMake = 1000 + Math.round(0.7 * (1000 / pulsesPerSecond));
    t.same(
      l.brief().filter((x) => /offhook|onhook|key|match/.test(x)),
      ['113 offhook', '1015 onhook', `${lastMake + 250} key 1`, `${lastMake + 250} match 1`],
      `${pulsesPerSecond} pps`,
    );
  }
});

t.test('through the driver: hook flashes at the edges of the window', async (t) => {
  for (const [ms, expected] of [
    [1250, ['2260 flash', '2260 match F']],
    [1251, ['2251 idle', '2261 offhook']],
  ] as const) {
    const l = line('test/menus/line-flash.xml');
    l.handset(0, true);
    l.handset(1000, false);
    l.handset(1000 + ms, true);
    l.run(2300);
    t.same(
      l.brief().filter((x) => /flash|match|idle|offhook/.test(x) && !x.startsWith('10 ')),
      expected,
      `${ms} ms break`,
    );
  }
});

t.test('through the driver: a ring answered mid-burst trips at once; SHK lag and the trip hold add up', async (t) => {
  const l = line('examples/ozeki/hangup-simple.xml', { lagMs: 100 });
  l.clock.schedule(0, () => l.phone.ring());
  l.handset(7000, true); // second burst: 6 s to 8 s
  l.run(7500);
  t.same(l.brief().slice(0, 4), ['0 ring', '7150 offhook', '7150 ring-stop', '7150 delay']);
  t.same(
    l.wires.writesTo(RM).filter(([at]) => at > 0),
    [
      [2000, 0],
      [6000, 1],
      [7150, 0],
    ],
    'RM dropped mid-burst',
  );
  t.same(l.wires.writesTo(FR).at(-1), [7150, 1]);
});

const Q = { q1: 16, q2: 17, q3: 18, q4: 19, std: 21 };

function dtmfChip() {
  const clock = new VirtualClock();
  const wires = new Wires(clock);
  const chip = new Mt8870({ clock, io: fakeDigitalBank(wires), pins: Q });
  const keys: string[] = [];
  chip.onKey = (e: DtmfEvent) => keys.push(`${e.atMs} ${e.key} ${e.down ? 'down' : 'up'}`);
  /** A tone: Q1..Q4 latched with `code`, StD high at `at` for `ms`. */
  const tone = (at: number, code: number, ms: number): void => {
    clock.schedule(at - clock.now(), () => {
      wires.set(Q.q1, code & 1 ? 1 : 0);
      wires.set(Q.q2, code & 2 ? 1 : 0);
      wires.set(Q.q3, code & 4 ? 1 : 0);
      wires.set(Q.q4, code & 8 ? 1 : 0);
      wires.set(Q.std, 1);
    });
    clock.schedule(at + ms - clock.now(), () => wires.set(Q.std, 0));
  };
  return {
    clock,
    wires,
    chip,
    keys,
    tone,
    run: () => {
      while (clock.step());
    },
  };
}

t.test('MT8870 decode table: 1-9, 10 is 0, 11 *, 12 #, 13-15 A-C, 0 D', async (t) => {
  t.same(Array.from({ length: 16 }, (_, i) => mt8870Key(i)).join(''), 'D1234567890*#ABC');
  t.equal(mt8870Key(16), undefined);
});

t.test('MT8870: each code on Q1..Q4 is read at the StD rising edge; key up at its falling edge', async (t) => {
  const d = dtmfChip();
  for (let code = 0; code < 16; code++) d.tone(100 * (code + 1), code, 40);
  d.run();
  const downs = d.keys
    .filter((k) => k.endsWith('down'))
    .map((k) => k.split(' ')[1])
    .join('');
  t.equal(downs, 'D1234567890*#ABC');
  t.same(d.keys.slice(0, 4), ['100 D down', '140 D up', '200 1 down', '240 1 up']);
});

t.test('MT8870: Q lines changing without StD report nothing; disabled (ringing) reports nothing', async (t) => {
  const d = dtmfChip();
  d.clock.schedule(50, () => d.wires.set(Q.q1, 1));
  d.clock.schedule(60, () => d.chip.setEnabled(false));
  d.tone(100, 5, 40);
  d.clock.schedule(150, () => d.chip.setEnabled(true));
  d.tone(200, 12, 40);
  d.run();
  t.same(d.keys, ['200 # down', '240 # up']);
});

t.test('MT8870: a key held while DTMF is re-enabled reports no key up for a down never reported', async (t) => {
  const d = dtmfChip();
  d.chip.setEnabled(false);
  d.tone(100, 3, 100);
  d.clock.schedule(150, () => d.chip.setEnabled(true));
  d.run();
  t.same(d.keys, []);
});

t.test('MT8870 pins: one bank, bits relative to it; pins in two banks or repeated are refused clearly', async (t) => {
  t.same(bankLayout(Q), {
    bank: 0,
    bits: { q1: 1 << 16, q2: 1 << 17, q3: 1 << 18, q4: 1 << 19, std: 1 << 21 },
    mask: 0x2f0000,
  });
  t.same(bankLayout({ q1: 32, q2: 33, q3: 34, q4: 35, std: 39 }).bank, 1);
  t.throws(() => bankLayout({ q1: 16, q2: 17, q3: 18, q4: 19, std: 34 }), /one bank/);
  t.throws(() => bankLayout({ q1: 16, q2: 16, q3: 18, q4: 19, std: 21 }), /must differ/);
});

function player(clips: Record<string, object> = { hello: { maud: 'hello' } }) {
  const clock = new VirtualClock();
  const opened: FakeAudioOut[] = [];
  const p = new AudioOutPlayer({ io: fakeAudioOut(opened), clock, clip: (name) => clips[name] });
  return { clock, p, out: opened[0]! };
}

t.test('AudioOut player: a clip is Samples then a Callback; its end calls onEnd once', async (t) => {
  const a = player();
  t.equal(a.out.started, true);
  let ended = 0;
  a.p.play('hello', () => ended++);
  t.same(
    a.out.queue.map((q) => q.kind),
    ['Samples', 'Callback'],
  );
  a.out.drain();
  t.equal(ended, 1);
});

t.test(
  'AudioOut player with clip lengths: ends by the clock, queues the next clip behind a finished one, flushes on a cut',
  async (t) => {
    const clock = new VirtualClock();
    const opened: FakeAudioOut[] = [];
    const clips: Record<string, object> = { hello: { maud: 'hello' }, bye: { maud: 'bye' } };
    const lengths: Record<string, number> = { hello: 2935, bye: 1951 };
    const p = new AudioOutPlayer({
      io: fakeAudioOut(opened),
      clock,
      clip: (name) => clips[name],
      clipMs: (name) => lengths[name],
    });
    const out = opened[0]!;
    const ends: string[] = [];
    p.play('hello', () => {
      ends.push(`hello@${clock.now()}`);
      p.play('bye', () => ends.push(`bye@${clock.now()}`));
    });
    t.same(
      out.log.map((q) => q.kind),
      ['Flush', 'Samples'],
      'no Callback marker: the clock ends the clip',
    );
    out.drain(); // AudioOut finishing its buffers early changes nothing
    t.same(ends, []);
    while (clock.step(10_000));
    t.same(ends, ['hello@2935', 'bye@4886'], 'each end at its exact length');
    t.same(
      out.log.map((q) => q.kind),
      ['Flush', 'Samples', 'Samples'],
      'bye queued behind hello, not flushed',
    );
    p.play('hello', () => ends.push('cut'));
    clock.advanceTo(5000);
    p.stop();
    while (clock.step(20_000));
    t.equal(out.log.at(-1)?.kind, 'Flush', 'a stop flushes');
    t.same(ends, ['hello@2935', 'bye@4886'], 'the stopped clip never ends');
  },
);

t.test('AudioOut player: barge-in flushes at once and the cut clip never ends', async (t) => {
  const a = player();
  let ended = 0;
  a.p.play('hello', () => ended++);
  const stale = a.out.queue.find((q) => q.kind === 'Callback')!.value!;
  a.p.stop();
  t.equal(a.out.log.at(-1)?.kind, 'Flush');
  t.same(a.out.queue, []);
  a.out.callback(stale); // a callback already in flight when the flush came
  t.equal(ended, 0);
});

t.test('AudioOut player: a clip missing from the resources ends at once instead of hanging', async (t) => {
  const a = player({});
  let ended = 0;
  a.p.play('nope', () => ended++);
  a.clock.step();
  t.equal(ended, 1);
});

t.test('tones are sine blocks that loop without a seam, never the square-wave Tone', async (t) => {
  t.equal(seamlessLength([350, 440], 8000), 800, 'dial: 100 ms');
  t.equal(seamlessLength([480, 620], 8000), 400, 'busy/reorder: 50 ms');
  t.equal(seamlessLength([440, 480], 8000), 200, 'ringback');
  t.equal(seamlessLength([425], 8000), 320);
  t.equal(seamlessLength([400, 450], 8000), 160);
  t.equal(seamlessLength([350.5], 8000), undefined);
  const busy = toneLoop(NORTH_AMERICA.tones.busy, 8000);
  const expected = new Int16Array(400);
  renderTone({ ...NORTH_AMERICA.tones.busy, cadenceMs: [] }, 8000, 0, expected, 0, 400);
  t.same(Array.from(busy.block), Array.from(expected), 'the block is synth.ts sines');
  const next = new Int16Array(1);
  renderTone({ ...NORTH_AMERICA.tones.busy, cadenceMs: [] }, 8000, 400, next, 0, 1);
  t.equal(next[0], busy.block[0], 'sample 400 equals sample 0: the loop is seamless');
  t.same(busy.cadence, [4000, 4000]);
});

t.test('AudioOut player: busy tone queues 0.5 s of sine blocks, 0.5 s silence, then the next cycle', async (t) => {
  const a = player();
  a.p.playTone(NORTH_AMERICA.tones.busy);
  t.same(
    a.out.queue.map((q) => [q.kind, q.repeat ?? q.value]),
    [
      ['RawSamples', 10],
      ['Silence', 4000],
      ['Callback', 1],
    ],
  );
  a.out.drain(1);
  t.same(
    a.out.queue.map((q) => q.kind),
    ['RawSamples', 'Silence', 'Callback'],
    'the next cycle is queued at the callback',
  );
  t.notOk(a.out.log.some((q) => q.kind === 'Tone'));
  a.p.stop();
  t.same(a.out.queue, []);
});

t.test('AudioOut player: a cadence not a multiple of the block ends with a partial block', async (t) => {
  const a = player();
  a.p.playTone(UNITED_KINGDOM.tones.reorder); // 400 Hz: 20-sample block; 225 ms = 1800 samples
  const q = a.out.queue.map((x) => [x.kind, x.repeat ?? x.value, x.count]);
  t.same(q, [
    ['RawSamples', 160, undefined],
    ['Silence', 2800, undefined],
    ['RawSamples', 90, undefined],
    ['Silence', 4200, undefined],
    ['Callback', 1, undefined],
  ]);
  const dial = player();
  dial.p.playTone(NORTH_AMERICA.tones.dial); // steady: one second per cycle
  t.same(
    dial.out.queue.map((x) => [x.kind, x.repeat ?? x.value]),
    [
      ['RawSamples', 10],
      ['Callback', 1],
    ],
  );
  const odd = player();
  odd.p.playTone({ name: 'x', frequencies: [425], cadenceMs: [130, 100], levelDbm0: -13 }); // 1040 samples, 320 a block
  t.same(
    odd.out.queue.map((x) => [x.kind, x.repeat ?? x.value, x.offset, x.count]),
    [
      ['RawSamples', 3, undefined, undefined],
      ['RawSamples', 1, 0, 80],
      ['Silence', 800, undefined, undefined],
      ['Callback', 1, undefined, undefined],
    ],
  );
});

t.test('named outputs drive their pins; active-low outputs invert; unknown names do nothing', async (t) => {
  const clock = new VirtualClock();
  const wires = new Wires(clock);
  const outs = new DigitalPinOutputs({
    io: fakeDigital(wires),
    outputs: { door: { pin: 23 }, led: { pin: 22, activeLow: true } },
  });
  t.same(outs.names, ['door', 'led']);
  outs.write('door', true);
  outs.write('led', true);
  outs.write('nope', true);
  t.same(
    wires.writes.map((w) => [w.pin, w.value]),
    [
      [23, 0],
      [22, 1],
      [23, 1],
      [22, 0],
    ],
  );
});

t.test('doorbell button: one press per debounced press, bounces and a 19 ms glitch ignored', async (t) => {
  const clock = new VirtualClock();
  const wires = new Wires(clock);
  wires.set(4, 1); // pulled up: not pressed
  const presses: number[] = [];
  new DigitalButton({ clock, pin: { pin: 4, io: fakeDigital(wires) }, onPress: () => presses.push(clock.now()) });
  t.equal(wires.modes.get(4), 'InputPullUp');
  for (const [at, v] of [
    [100, 0],
    [102, 1],
    [104, 0],
    [300, 1],
    [303, 0],
    [305, 1],
    [1000, 0],
    [1019, 1],
    [2000, 0],
  ] as const)
    wires.at(at, 4, v);
  while (clock.step());
  t.same(presses, [124, 2020]);
});

t.test("doorbell button through the phone rings with the trigger's cadence", async (t) => {
  const s = slic();
  const clips = new SimClipLibrary({ fixedMs: 1000 });
  const trace: TraceEvent[] = [];
  const m = loadMenu(readFileSync('examples/ozeki/hangup-simple.xml', 'utf8')).menu!;
  const phone = new Phone({
    menu: m,
    clock: s.clock,
    audio: new SimAudio(s.clock, (c) => clips.lengthOf(c)),
    clips,
    profile: NORTH_AMERICA,
    line: new SimLineFeed(s.clock),
    trace: (e) => trace.push(e),
    hook: s.ag,
    ringer: s.ag,
    triggers: { doorbell: { cadence: UNITED_KINGDOM.ring, boundMs: 3000 } },
  });
  s.wires.set(4, 1);
  new DigitalButton({
    clock: s.clock,
    pin: { pin: 4, io: fakeDigital(s.wires) },
    onPress: () => phone.ring('doorbell'),
  });
  s.wires.at(500, 4, 0);
  s.run();
  t.same(
    trace.map((e) => `${e.t} ${e.type}`),
    ['520 ring', '3520 ring-stop'],
  );
  t.same(
    s.wires.writesTo(RM).slice(1, 3),
    [
      [520, 1],
      [920, 0],
    ],
    'UK cadence: 0.4 s first burst',
  );
});
