/**
 * Property-based tests of the core on the simulated board: random sequences of off-hook, on-hook,
 * flashes, keys and key storms (hundreds of keys a second) at random moments in virtual time,
 * against every example menu. LineRig checks the invariants after every event and timer: no
 * handler throws, the line is never dead, on-hook leaves it idle and silent with no timer
 * pending, a new off-hook starts the menu afresh, and the trace obeys the call semantics.
 *
 * The events go to today's Phone API (offHook/onHook/flash/key). When the line state machine
 * (debounce, flash window, rotary pulses, ringing) lands, raw hook levels become another
 * `LineEvent` source for the same rig and the same invariants.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { loadMenu } from '../src/ozml/load.js';
import type { Menu } from '../src/ozml/menu.js';
import { describeTrace, LineRig, type LineEvent } from './soak/line-rig.js';
import { exampleMenus, holds } from './fuzz-support.js';

const MENUS: { file: string; menu: Menu }[] = exampleMenus().flatMap(({ file, text }) => {
  const menu = loadMenu(text).menu;
  return menu === undefined ? [] : [{ file, menu }];
});

/** One scripted happening: `gap` ms after the previous one. A storm is many keys, `spacing` apart. */
type Step = { gap: number; event: LineEvent } | { gap: number; storm: string[]; spacing: number };

/** Keys, the ones the example menus listen for more often than the rest. */
const KEY = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('1', '2', '0', '#', '*') },
  { weight: 1, arbitrary: fc.constantFrom(...'0123456789*#ABCD') },
);

/** Gaps from simultaneous to a minute: barge-in at the first instant, timeouts, abandoned calls. */
const gap = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 4, arbitrary: fc.integer({ min: 60, max: 4000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 4000, max: 60_000 }) },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: gap.map((g): Step => ({ gap: g, event: { what: 'offhook' } })) },
  { weight: 3, arbitrary: gap.map((g): Step => ({ gap: g, event: { what: 'onhook' } })) },
  { weight: 1, arbitrary: gap.map((g): Step => ({ gap: g, event: { what: 'flash' } })) },
  { weight: 6, arbitrary: fc.tuple(gap, KEY).map(([g, key]): Step => ({ gap: g, event: { what: 'key', key } })) },
  {
    // A caller typing a code (the door PIN among them) at a human pace.
    weight: 2,
    arbitrary: fc
      .tuple(
        gap,
        fc.constantFrom('1234#', '1234', '12#', '4321#', '12345678', '1#', '21', '1*1*', '12'),
        fc.integer({ min: 80, max: 1500 }),
      )
      .map(([g, code, spacing]): Step => ({ gap: g, storm: [...code], spacing })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(gap, fc.array(KEY, { minLength: 10, maxLength: 400 }), fc.integer({ min: 1, max: 10 }))
      .map(([g, storm, spacing]): Step => ({ gap: g, storm, spacing })),
  },
);

const scenario = fc.record({
  which: fc.nat({ max: MENUS.length - 1 }),
  clipMs: fc.option(fc.integer({ min: 1, max: 6000 }), { nil: undefined }),
  steps: fc.array(step, { maxLength: 40 }),
});

/** Runs the steps on a fresh rig; returns the rig with its violations. */
function run(menu: Menu, clipMs: number | undefined, steps: readonly Step[]): LineRig {
  const rig = new LineRig({ menu, keepTrace: true, ...(clipMs !== undefined ? { clipMs } : {}) });
  let at = 0;
  for (const s of steps) {
    at += s.gap;
    rig.advanceTo(at);
    if ('event' in s) {
      rig.deliver(s.event);
      continue;
    }
    for (const key of s.storm) {
      rig.advanceTo(at);
      rig.deliver({ what: 'key', key });
      at += s.spacing;
    }
  }
  // Whatever the caller did last, the line must come to rest; then a final on-hook and a new call.
  rig.settle();
  rig.deliver({ what: 'onhook' });
  rig.deliver({ what: 'offhook' });
  rig.settle();
  rig.deliver({ what: 'onhook' });
  rig.settle();
  return rig;
}

/** How often each trace event type occurred across the random runs: shows what they reached. */
const seen = new Map<string, number>();

function invariantsHold(which: number, clipMs: number | undefined, steps: readonly Step[]): boolean {
  const { file, menu } = MENUS[which]!;
  const rig = run(menu, clipMs, steps);
  for (const e of rig.trace) {
    const kind = e.type === 'play-cut' || e.type === 'hangup' ? `${e.type}:${e.reason}` : e.type;
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
  }
  if (rig.violations.length > 0) {
    throw new Error(`${file}: ${rig.violations.join('\n')}\n--- trace tail:\n${describeTrace(rig.trace.slice(-30))}`);
  }
  if (rig.phone.lineState !== 'idle' || rig.clock.pending !== 0 || rig.audio.busy)
    throw new Error(`${file}: not at rest at the end`);
  return true;
}

t.test('random calls on every example menu keep the line invariants', async (t) => {
  t.ok(MENUS.length >= 8, `${MENUS.length} menus: ${MENUS.map((m) => m.file).join(', ')}`);
  holds(
    t,
    'random event sequences',
    fc.property(scenario, ({ which, clipMs, steps }) => invariantsHold(which, clipMs, steps)),
    1000,
  );
  t.comment(
    [...seen]
      .sort()
      .map(([k, n]) => `${k}=${n}`)
      .join(' '),
  );
  for (const kind of [
    'play-cut:barge-in',
    'play-cut:onhook',
    'hangup:command',
    'hangup:end',
    'match',
    'nomatch',
    'timeout',
    'held',
    'digits',
    'tone-stop',
    'output',
    'failed',
  ]) {
    t.ok((seen.get(kind) ?? 0) > 0, `the random calls reached ${kind}`);
  }
});

t.test('key storms of hundreds of keys a second in every phase of a call', async (t) => {
  // A storm starting at each moment of the first 20 s of a call covers every state a menu reaches.
  holds(
    t,
    'storm at a random moment',
    fc.property(
      fc.nat({ max: MENUS.length - 1 }),
      fc.integer({ min: 0, max: 20_000 }),
      fc.array(KEY, { minLength: 100, maxLength: 600 }),
      fc.integer({ min: 1, max: 5 }),
      (which, start, storm, spacing) =>
        invariantsHold(which, 1500, [
          { gap: 0, event: { what: 'offhook' } },
          { gap: start, storm, spacing },
          { gap: 100, event: { what: 'onhook' } },
        ]),
    ),
    150,
  );
});

t.test('on-hook at every 250 ms of a call leaves the line idle; the next call starts afresh', async (t) => {
  // Exhaustive rather than random: each menu, hung up at each moment of its first 30 s.
  let checked = 0;
  for (const { file, menu } of MENUS) {
    for (let at = 0; at <= 30_000; at += 250) {
      const rig = run(menu, 1000, [
        { gap: 0, event: { what: 'offhook' } },
        { gap: 1200, event: { what: 'key', key: '1' } },
        { gap: at, event: { what: 'onhook' } },
        { gap: 0, event: { what: 'offhook' } },
      ]);
      checked++;
      if (rig.violations.length > 0) {
        t.fail(`${file} on-hook at ${at}: ${rig.violations.join('; ')}`);
        return;
      }
    }
  }
  t.pass(`${checked} hang-up moments`);
});

t.test('the rig catches a leftover timer, a late play and a stray play-cut (it can fail)', async (t) => {
  const menu = loadMenu(readFileSync('examples/ozeki/hangup-simple.xml', 'utf8')).menu!;
  const rig = new LineRig({ menu, clipMs: 1000, keepTrace: true });
  rig.deliver({ what: 'offhook' });
  // A timer nobody cancels, as a leaky driver would leave: on-hook must report it.
  rig.clock.schedule(60_000, () => {});
  rig.deliver({ what: 'onhook' });
  t.match(rig.violations, [/on-hook left 1 timers pending/]);
  const checker = new LineRig({ menu, clipMs: 1000 }).checker;
  checker.observe({ t: 0, type: 'offhook' }, true);
  checker.observe({ t: 0, type: 'hangup', reason: 'command' });
  checker.observe({ t: 5, type: 'play', text: 'x', clip: 'x', ms: 10 });
  checker.observe({ t: 6, type: 'play-cut', clip: 'y', reason: 'barge-in' });
  t.match(checker.violations, [/play after the call hung up/, /play-cut without a clip playing/]);
});
