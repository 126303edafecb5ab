/**
 * "A menu can never hold the line forever", for every menu: random nested menus (repeating
 * prompts inside repeating prompts, NoInput and Failed branches, long Delays and timeouts), the
 * handset lifted and nobody pressing anything. Every call hangs up by its TimeLimit (the menu's,
 * or the default 600 s), and at the bound the trace says so (`hangup` with reason `limit`).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import { simulate } from '../sim/simulate.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { loadMenu } from '../src/ozml/load.js';
import { DEFAULT_TIME_LIMIT_MS } from '../src/ozml/menu.js';
import { holds } from './fuzz-support.js';

/** Runs a call with no caller input; returns the trace. */
function unanswered(text: string, clipMs: number): { trace: TraceEvent[]; limitMs: number } {
  const loaded = loadMenu(text, undefined, SIM_OUTPUT_NAMES);
  if (loaded.menu === undefined)
    throw new Error(`menu does not load: ${JSON.stringify(loaded.diagnostics[0])}\n${text}`);
  const { trace } = simulate({
    menu: loaded.menu,
    events: [{ at: 0, what: 'offhook' }],
    clips: new SimClipLibrary({ fixedMs: clipMs }),
  });
  return { trace, limitMs: loaded.menu.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS };
}

/** What must hold: one hang-up, by the bound, with reason `limit` when it is at the bound; after it only the tone (and a pulse ending). */
function boundBreach(trace: readonly TraceEvent[], limitMs: number): string | undefined {
  const hangups = trace.filter((e) => e.type === 'hangup');
  if (hangups.length !== 1) return `${hangups.length} hangups`;
  const hangup = hangups[0]!;
  if (hangup.t > limitMs) return `hung up at ${hangup.t} ms, after the bound of ${limitMs} ms`;
  // The bound's timer is the call's first, so at the bound it goes first.
  if ((hangup.reason === 'limit') !== (hangup.t === limitMs))
    return `hangup reason ${hangup.reason} at ${hangup.t} ms (bound ${limitMs} ms)`;
  // An output pulse belongs to the board and may end after the call: it is the only thing that may.
  const after = trace
    .slice(trace.indexOf(hangup) + 1)
    .filter((e) => e.type !== 'tone' && e.type !== 'end' && !(e.type === 'output' && !e.on));
  if (after.length > 0) return `after the hangup: ${JSON.stringify(after[0])}`;
  const end = trace.at(-1)!;
  const lastOff = Math.max(0, ...trace.filter((e) => e.type === 'output').map((e) => e.t));
  if (end.type !== 'end' || end.t > Math.max(limitMs, lastOff)) return `the run ended at ${end.t} ms`;
  return undefined;
}

t.test('eleven nested repeating prompts, nobody answering: hung up at the default bound, 600 s', async (t) => {
  const { trace, limitMs } = unanswered(readFileSync('test/menus/nested-repeat.xml', 'utf8'), 1000);
  t.equal(limitMs, 600_000);
  t.equal(boundBreach(trace, limitMs), undefined);
  t.same(trace.slice(-4), [
    { t: 600_000, type: 'play-cut', clip: 'press-1', reason: 'limit' },
    { t: 600_000, type: 'hangup', reason: 'limit' },
    { t: 600_000, type: 'tone', name: 'reorder' },
    { t: 600_000, type: 'end' },
  ]);
});

const seconds = fc.oneof(
  fc.constantFrom('0', '0.5', '1', '5', '60', '3600'),
  fc.integer({ min: 1, max: 3600 }).map(String),
);
const leaf: fc.Arbitrary<string> = fc.oneof(
  seconds.map((s) => `<Delay>${s}</Delay>`),
  fc.constantFrom(
    '<Speak>Press 1.</Speak>',
    '<Speak BargeIn="false">Listen.</Speak>',
    '<Play Repeat="3">chime.wav</Play>',
    '<Output name="door" pulse="2"/>',
  ),
);

/** A UserInput whose prompt may hold another `depth` levels of UserInput. */
function userInput(depth: number): fc.Arbitrary<string> {
  return fc
    .record({
      timeout: seconds,
      repeat: fc.boolean(),
      maxNoInput: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
      initial: commands(depth),
      noInput: fc.array(leaf, { maxLength: 1 }),
      failed: fc.option(fc.array(leaf, { maxLength: 2 }), { nil: undefined }),
    })
    .map((u) => {
      const attrs = `timeout="${u.timeout}" repeat="${u.repeat}"${u.maxNoInput !== undefined ? ` MaxNoInput="${u.maxNoInput}"` : ''}`;
      const noInput = u.noInput.length > 0 ? `<NoInput>${u.noInput.join('')}</NoInput>` : '';
      const failed = u.failed !== undefined ? `<Failed>${u.failed.join('')}</Failed>` : '';
      return `<UserInput ${attrs}><InitialCommands>${u.initial.join('')}</InitialCommands><Inputs><Input key="1"/></Inputs>${noInput}${failed}</UserInput>`;
    });
}

function commands(depth: number): fc.Arbitrary<string[]> {
  const item =
    depth === 0 ? leaf : fc.oneof({ weight: 1, arbitrary: leaf }, { weight: 3, arbitrary: userInput(depth - 1) });
  return fc.array(item, { minLength: 1, maxLength: 2 });
}

const menu = fc
  .record({
    depth: fc.integer({ min: 0, max: 7 }),
    limit: fc.option(
      fc.oneof(fc.constantFrom('1', '7.5', '600', '3600'), fc.integer({ min: 1, max: 1200 }).map(String)),
      { nil: undefined },
    ),
    seed: fc.nat(),
  })
  .chain(({ depth, limit }) =>
    fc.tuple(fc.constant(limit), commands(depth), fc.constantFrom(0, 300, 1000, 4000)).map(([limit, body, clipMs]) => ({
      text: `<Response${limit !== undefined ? ` TimeLimit="${limit}"` : ''}>${body.join('')}</Response>`,
      clipMs,
    })),
  );

t.test('property: every random nested menu with no caller input hangs up by its TimeLimit', async (t) => {
  let atBound = 0;
  holds(
    t,
    'unanswered calls end by the bound',
    fc.property(menu, ({ text, clipMs }) => {
      const { trace, limitMs } = unanswered(text, clipMs);
      const breach = boundBreach(trace, limitMs);
      if (breach !== undefined) throw new Error(`${breach}\n${text}`);
      if (trace.some((e) => e.type === 'hangup' && e.reason === 'limit')) atBound++;
      return true;
    }),
    150,
  );
  t.ok(atBound >= 30, `${atBound} of 150 calls reached their bound (the generator makes long menus)`);
});
