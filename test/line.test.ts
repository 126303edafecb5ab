/**
 * The line state machine (src/line/hook-decoder.ts) on raw levels in virtual time: each timing
 * rule pinned just inside and just outside its window.
 */
import t from 'tap';
import { VirtualClock } from '../sim/virtual-clock.js';
import { HookDecoder, pulsesToKey, type LineEvent } from '../src/line/hook-decoder.js';
import { DAHDI_TIMING } from '../src/line/profile.js';
import { digitPulses, pulseTrain, type LevelChange } from '../src/line/rotary.js';

function describe(e: LineEvent): string {
  if (e.kind === 'digit') return `digit ${e.key}`;
  if (e.kind === 'bad-digit') return `bad-digit ${e.pulses}`;
  return e.kind;
}

/** A decoder fed raw levels at absolute virtual times; `run` returns "T event" lines. */
function line(options: { offHook?: boolean } = {}) {
  const clock = new VirtualClock();
  const events: string[] = [];
  const decoder = new HookDecoder({
    clock,
    timing: DAHDI_TIMING,
    onEvent: (e) => events.push(`${clock.now()} ${describe(e)}`),
    ...(options.offHook !== undefined ? { offHook: options.offHook } : {}),
  });
  return {
    clock,
    decoder,
    level(at: number, offHook: boolean): void {
      clock.schedule(at, () => decoder.input(offHook));
    },
    /** A break from `at` lasting `ms`. */
    open(at: number, ms: number): void {
      this.level(at, false);
      this.level(at + ms, true);
    },
    changes(start: number, changes: readonly LevelChange[]): void {
      for (const c of changes) this.level(start + c.atMs, c.offHook);
    },
    run(): string[] {
      while (clock.step());
      return events;
    },
  };
}

t.test('pulse counts map to keys; 10 is 0; anything else is no digit', async (t) => {
  t.same([1, 2, 9, 10].map(pulsesToKey), ['1', '2', '9', '0']);
  t.same([0, 11, 1.5].map(pulsesToKey), [undefined, undefined, undefined]);
  t.same(['1', '0', '9', 'A', '12'].map(digitPulses), [1, 10, 9, undefined, undefined]);
});

t.test('lifting the handset: off-hook once it has held the debounce time', async (t) => {
  const l = line();
  l.level(100, true);
  t.same(l.run(), ['110 offhook']);
});

t.test('contact bounce on lifting gives one off-hook, timed from the last bounce', async (t) => {
  const l = line();
  l.changes(100, [
    { atMs: 0, offHook: true },
    { atMs: 3, offHook: false },
    { atMs: 5, offHook: true },
    { atMs: 6, offHook: false },
    { atMs: 8, offHook: true },
  ]);
  t.same(l.run(), ['118 offhook']);
});

t.test('bounce never becomes a hang-up or a digit', async (t) => {
  t.test('an opening shorter than the debounce time is not seen', async (t) => {
    const l = line({ offHook: true });
    l.open(1000, 9);
    t.same(l.run(), []);
  });
  t.test('a break of 14 ms (under the 15 ms pulse minimum) is noise', async (t) => {
    const l = line({ offHook: true });
    l.open(1000, 14);
    t.same(l.run(), []);
  });
  t.test('a break of 15 ms is a dial pulse', async (t) => {
    const l = line({ offHook: true });
    l.open(1000, 15);
    t.same(l.run(), ['1015 loop-open', '1265 digit 1']);
  });
  t.test('a burst of bounces inside a break and inside a make changes nothing', async (t) => {
    const l = line({ offHook: true });
    l.changes(1000, [
      { atMs: 0, offHook: false },
      { atMs: 2, offHook: true },
      { atMs: 3, offHook: false }, // the break settles from here
      { atMs: 30, offHook: true },
      { atMs: 32, offHook: false }, // a bounce in the middle of the break
      { atMs: 60, offHook: true },
      { atMs: 61, offHook: false },
      { atMs: 63, offHook: true }, // the make settles from here
    ]);
    t.same(l.run(), ['1018 loop-open', '1313 digit 1']);
  });
});

t.test('rotary pulse trains at 8, 10 and 12 pps with 55 % and 70 % break are counted', async (t) => {
  for (const pulsesPerSecond of [8, 10, 12]) {
    for (const breakRatio of [0.55, 0.7]) {
      for (const digit of ['1', '5', '0']) {
        const l = line({ offHook: true });
        const train = pulseTrain(digitPulses(digit)!, { pulsesPerSecond, breakRatio });
        l.changes(1000, train);
        const lastMake = 1000 + train[train.length - 1]!.atMs;
        t.same(
          l.run(),
          ['1015 loop-open', `${lastMake + 250} digit ${digit}`],
          `${digit} at ${pulsesPerSecond} pps, ${breakRatio * 100} % break`,
        );
      }
    }
  }
});

t.test('a bouncing SHK (3.3 V Ag1171) on every edge of a 12 pps, 70 % train still counts 7', async (t) => {
  const l = line({ offHook: true });
  const bouncy: LevelChange[] = [];
  for (const c of pulseTrain(7, { pulsesPerSecond: 12, breakRatio: 0.7 })) {
    bouncy.push(c, { atMs: c.atMs + 1, offHook: !c.offHook }, { atMs: c.atMs + 3, offHook: c.offHook });
  }
  l.changes(1000, bouncy);
  const lastMake = 1000 + bouncy[bouncy.length - 1]!.atMs;
  t.same(l.run(), ['1018 loop-open', `${lastMake + 250} digit 7`]);
});

t.test('pulse break edges: 200 ms is a pulse, 201 ms a flash', async (t) => {
  const pulse = line({ offHook: true });
  pulse.open(1000, 200);
  t.same(pulse.run(), ['1015 loop-open', '1450 digit 1']);
  const flash = line({ offHook: true });
  flash.open(1000, 201);
  t.same(flash.run(), ['1015 loop-open', '1211 flash']);
});

t.test('inter-digit pause: a make of 249 ms continues the digit, 250 ms ends it', async (t) => {
  const inside = line({ offHook: true });
  inside.open(1000, 60);
  inside.open(1060 + 249, 60);
  t.same(inside.run(), ['1015 loop-open', `${1060 + 249 + 60 + 250} digit 2`]);
  const outside = line({ offHook: true });
  outside.open(1000, 60);
  outside.open(1060 + 250, 60);
  t.same(outside.run(), ['1015 loop-open', '1310 digit 1', '1325 loop-open', '1620 digit 1']);
});

t.test('two digits dialed one after the other', async (t) => {
  const l = line({ offHook: true });
  l.changes(1000, pulseTrain(3));
  l.changes(2000, pulseTrain(2));
  t.same(l.run(), ['1015 loop-open', '1510 digit 3', '2015 loop-open', '2410 digit 2']);
});

t.test('eleven pulses are not a digit', async (t) => {
  const l = line({ offHook: true });
  l.changes(1000, pulseTrain(11));
  t.same(l.run(), ['1015 loop-open', '2310 bad-digit 11']);
});

t.test('flash window: 1250 ms is a flash, 1251 ms a hang-up decided when the window closes', async (t) => {
  const flash = line({ offHook: true });
  flash.open(1000, 1250);
  t.same(flash.run(), ['1015 loop-open', '2260 flash']);
  const hangup = line({ offHook: true });
  hangup.open(1000, 1251);
  t.same(hangup.run(), ['1015 loop-open', '2251 hangup', '2261 offhook'], 'lifting again after it is a new call');
});

t.test('a make in the last ms of the window is a flash whichever way same-ms events are ordered', async (t) => {
  const l = line({ offHook: true });
  l.level(1000, false);
  // Scheduled from inside the last ms: it runs after every timer already due then.
  l.clock.schedule(2250, () => l.clock.schedule(0, () => l.decoder.input(true)));
  t.same(l.run(), ['1015 loop-open', '2260 flash']);
});

t.test('a GR-506 flash (400 ms and 800 ms) is a flash', async (t) => {
  for (const ms of [400, 800]) {
    const l = line({ offHook: true });
    l.open(1000, ms);
    t.same(l.run(), ['1015 loop-open', `${1000 + ms + 10} flash`], `${ms} ms`);
  }
});

t.test('the handset put down for good hangs up once, when the 1250 ms window has closed', async (t) => {
  const l = line({ offHook: true });
  l.level(1000, false);
  t.same(l.run(), ['1015 loop-open', '2251 hangup']);
  t.equal(l.decoder.inCall, false);
});

t.test('a hang-up in the middle of dialing drops the pulses counted', async (t) => {
  const l = line({ offHook: true });
  l.changes(1000, pulseTrain(3));
  l.level(1500, false);
  t.same(l.run(), ['1015 loop-open', '2751 hangup']);
});

t.test('while ringing an off-hook must hold 50 ms: ring chatter does not trip the ring', async (t) => {
  const l = line();
  l.decoder.setRinging(true);
  // SHK chatter at 20 Hz: 25 ms closed in each 50 ms, then the handset lifted at 1000.
  for (let at = 0; at < 500; at += 50) {
    l.level(at, true);
    l.level(at + 25, false);
  }
  l.level(700, true);
  l.level(749, false); // 49 ms: not yet
  l.level(1000, true);
  t.same(l.run(), ['1050 offhook']);
});

t.test('when not ringing the off-hook debounce is 10 ms', async (t) => {
  const l = line();
  l.decoder.setRinging(true);
  l.clock.schedule(500, () => l.decoder.setRinging(false));
  l.level(1000, true);
  t.same(l.run(), ['1010 offhook']);
});

t.test('assume() takes a level without reporting and drops a break being decided', async (t) => {
  const l = line({ offHook: true });
  l.level(1000, false);
  l.clock.schedule(1100, () => l.decoder.assume(false));
  l.level(3000, true);
  t.same(l.run(), ['1015 loop-open', '3010 offhook']);
});
