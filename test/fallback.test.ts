import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { simulate } from '../sim/simulate.js';
import type { ClipLibrary } from '../src/clips/catalog.js';
import { FALLBACK_CLIP, FALLBACK_TEXT, fallbackMenu, loadMenuOrFallback } from '../src/engine/fallback.js';
import { LineRig } from './soak/line-rig.js';
import { holds } from './fuzz-support.js';

t.test('the fallback menu: the out-of-order clip, then hang-up and the reorder tone', async (t) => {
  const r = simulate({
    menu: fallbackMenu(),
    events: [
      { at: 0, what: 'offhook' },
      { at: 500, what: 'key', key: '1' },
      { at: 9000, what: 'onhook' },
    ],
    clips: new SimClipLibrary({ fixedMs: 3000 }),
  });
  t.same(r.trace, [
    { t: 0, type: 'offhook' },
    { t: 0, type: 'play', text: FALLBACK_TEXT, clip: FALLBACK_CLIP, ms: 3000 },
    { t: 500, type: 'key', key: '1' },
    { t: 500, type: 'ignored', key: '1' },
    { t: 3000, type: 'hangup', reason: 'command' },
    { t: 3000, type: 'tone', name: 'reorder' },
    { t: 9000, type: 'onhook' },
    { t: 9000, type: 'tone-stop', name: 'reorder' },
    { t: 9000, type: 'end' },
  ]);
});

t.test('without its clip the fallback still hangs up at once with the reorder tone', async (t) => {
  const none: ClipLibrary & { lengthOf(clip: string): number } = { resolve: () => undefined, lengthOf: () => 0 };
  const r = simulate({ menu: fallbackMenu(), events: [{ at: 0, what: 'offhook' }], clips: none });
  t.same(
    r.trace.map((e) => e.type),
    ['offhook', 'error', 'hangup', 'tone', 'end'],
  );
});

t.test(
  'loadMenuOrFallback: a good menu runs; a bad, empty or missing one gives the fallback and the fault',
  async (t) => {
    const good = loadMenuOrFallback({ text: readFileSync('examples/door-phone.xml', 'utf8'), file: 'door-phone.xml' });
    t.equal(good.fallback, false);
    t.equal(good.fault, undefined);
    t.equal(good.menu.commands[0]?.kind, 'delay');

    const bad = loadMenuOrFallback({
      text: readFileSync('examples/ozeki/third-party-detailed.xml', 'utf8'),
      file: 'third.xml',
    });
    t.equal(bad.fallback, true);
    t.same(bad.menu, fallbackMenu());
    t.match(bad.fault, {
      kind: 'invalid',
      errors: 1,
      message: /^third\.xml:\d+:\d+: error: value of attribute 'CallId' must be quoted/,
    });

    const checks = loadMenuOrFallback({ text: '<Response>\n  <Wait>1</Wait>\n  <Delay>x</Delay>\n</Response>' });
    t.match(checks.fault, {
      kind: 'invalid',
      errors: 2,
      message:
        'menu.xml:2:3: error: unknown command <Wait> (hint: commands are Delay, Speak, Play, UserInput, Hangup, Output, Record)',
    });

    t.same(loadMenuOrFallback({ text: undefined, file: '/flash/menu.xml' }).fault, {
      kind: 'missing',
      message: '/flash/menu.xml: no menu',
      errors: 0,
    });
    t.match(loadMenuOrFallback({ text: '' }).fault, {
      kind: 'invalid',
      message: 'menu.xml:1:1: error: no root element: the document is empty',
    });
    t.match(
      loadMenuOrFallback({ text: '<Response><Output name="gate" on="true"/></Response>', outputs: ['door'] }).fault,
      { kind: 'invalid' },
    );
  },
);

t.test('whatever the text, the chosen menu runs a call to the reorder tone and back to idle', async (t) => {
  const texts = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom(
      ...['examples/door-phone.xml', 'examples/door-pin.xml', 'examples/ozeki/third-party-detailed.xml'].map((f) =>
        readFileSync(f, 'utf8'),
      ),
    ),
  );
  const cut = fc
    .tuple(texts, fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([s, f]) => s.slice(0, Math.ceil(f * s.length)));
  holds(
    t,
    'loadMenuOrFallback then a call',
    fc.property(cut, (text) => {
      const choice = loadMenuOrFallback({ text });
      if (choice.fallback !== (choice.fault !== undefined)) throw new Error('fault and fallback disagree');
      const rig = new LineRig({ menu: choice.menu, clipMs: 1000 });
      rig.deliver({ what: 'offhook' });
      rig.settle();
      rig.deliver({ what: 'onhook' });
      if (rig.violations.length > 0) throw new Error(rig.violations.join('\n'));
      if (choice.fallback && !rig.checker.callCount) throw new Error('no call');
      return true;
    }),
    300,
  );
});
