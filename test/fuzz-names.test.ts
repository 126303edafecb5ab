/**
 * Names that are JavaScript object properties (`constructor`, `toString`, `__proto__`, ...) are
 * never taken as present, on every path where a name comes from input: menu commands, child
 * elements, attributes, entities, output names, Input keys, clip names under `check --clips`,
 * line profiles (`--profile` of sim and tui), ring triggers (`--trigger`, `ring:NAME`, the Phone's
 * `ring(name)`), and the command name of `ringdown` itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import { simulate } from '../sim/simulate.js';
import { profileNamed } from '../src/line/profile.js';
import { loadMenu } from '../src/ozml/load.js';
import { runCheck } from '../tools/check.js';
import { runSim } from '../tools/sim.js';
import { runTui } from '../tools/tui/main.js';
import { holds } from './fuzz-support.js';

/** Every property of Object.prototype, and a few spellings around them. */
const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'Constructor', 'TOSTRING'];
const name = fc.constantFrom(...PROTO_NAMES);

function run(
  f: (argv: string[], out: (l: string) => void, err: (l: string) => void) => number | Promise<number>,
  argv: string[],
) {
  const out: string[] = [];
  const err: string[] = [];
  return Promise.resolve(
    f(
      argv,
      (l) => void out.push(l),
      (l) => void err.push(l),
    ),
  ).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

const errors = (text: string): string[] =>
  loadMenu(text, undefined, SIM_OUTPUT_NAMES)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.message);

t.test('property: in a menu, such names are unknown commands, elements, entities, outputs and keys', async (t) => {
  holds(
    t,
    'menu names',
    fc.property(name, (n) => {
      const xmlName = /^[A-Za-z_][A-Za-z0-9_]*$/.test(n);
      const expect = (text: string, what: RegExp): void => {
        const e = errors(text);
        if (!e.some((m) => what.test(m))) throw new Error(`${text}: expected ${what}, got ${JSON.stringify(e)}`);
      };
      if (xmlName) {
        expect(`<Response><${n}/></Response>`, /^unknown command </);
        expect(
          `<Response><UserInput><${n}/><Inputs><Input key="1"/></Inputs></UserInput></Response>`,
          /is not allowed inside <UserInput>/,
        );
        expect(`<Response><Speak>a &${n}; b</Speak></Response>`, /unknown entity|must start an entity reference/);
        // An unknown attribute is a warning and changes nothing.
        const plain = loadMenu('<Response><Speak>Hi</Speak></Response>').menu;
        const withAttribute = loadMenu(`<Response ${n}="1"><Speak ${n}="x">Hi</Speak></Response>`).menu;
        const semantics = (m: unknown): string =>
          JSON.stringify(m, (k, v: unknown) => (k === 'line' || k === 'col' ? undefined : v));
        if (semantics(withAttribute) !== semantics(plain)) throw new Error(`attribute ${n} changed the menu`);
      }
      expect(`<Response><Output name="${n}" pulse="1"/></Response>`, /^unknown output /);
      expect(`<Response><UserInput><Inputs><Input key="${n}"/></Inputs></UserInput></Response>`, /is not a phone key/);
      if (profileNamed(n) !== undefined) throw new Error(`profile ${n} exists`);
      return true;
    }),
    PROTO_NAMES.length * 2,
  );
});

t.test('property: the Phone rings for such a trigger name with its default menu, no fault', async (t) => {
  const menu = loadMenu('<Response><Speak clip="ding">Ding.</Speak></Response>').menu!;
  holds(
    t,
    'ring(name)',
    fc.property(name, (n) => {
      const { trace } = simulate({
        menu,
        events: [
          { at: 0, what: 'ring', trigger: n },
          { at: 1000, what: 'offhook' },
        ],
        clips: new SimClipLibrary({ fixedMs: 500 }),
        triggers: {},
      });
      const fault = trace.find((e) => e.type === 'error');
      if (fault !== undefined) throw new Error(JSON.stringify(fault));
      if (!trace.some((e) => e.type === 'play' && e.clip === 'ding'))
        throw new Error(`the default menu did not run: ${JSON.stringify(trace)}`);
      return true;
    }),
    PROTO_NAMES.length,
  );
});

t.test('property: check --clips, sim and tui take such names as absent', async (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-names-'));
  t.teardown(() => rmSync(top, { recursive: true, force: true }));
  const clips = join(top, 'clips');
  mkdirSync(clips);
  writeFileSync(join(clips, 'catalog.json'), JSON.stringify({ clips: {} }));
  const menuFile = join(top, 'm.xml');
  const results: string[] = [];
  await fc.assert(
    fc.asyncProperty(name, async (n) => {
      const clipName = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(n);
      if (clipName) {
        writeFileSync(menuFile, `<Response>\n<Speak clip="${n}">Hello.</Speak>\n<Play>${n}.wav</Play>\n</Response>\n`);
        const check = await run((a, out) => runCheck(a, out), [menuFile, '--clips', clips]);
        const missing = `error: clip '${n}' is missing from ${clips}`;
        if (check.code !== 1 || check.out.split(missing).length !== 3)
          throw new Error(`check --clips accepted clip ${n}: ${check.out}`);
      }
      const profile = await run(runSim, ['examples/ozeki/hangup-simple.xml', '--profile', n]);
      if (profile.code !== 2 || !profile.err.startsWith('ringdown sim: --profile must be one of us, uk, cept'))
        throw new Error(`sim --profile ${n}: ${profile.err}`);
      const tui = await run(runTui, ['examples/ozeki/hangup-simple.xml', '--profile', n, '--demo']);
      if (tui.code !== 2 || !tui.err.startsWith('ringdown tui: --profile must be one of us, uk, cept'))
        throw new Error(`tui --profile ${n}: ${tui.err}`);
      const trigger = /^[A-Za-z][A-Za-z0-9_-]*$/.test(n);
      const sim = await run(runSim, [
        'examples/ozeki/hangup-simple.xml',
        '--clip-ms',
        '100',
        '--events',
        `ring${trigger ? `:${n}` : ''}@0 offhook@1`,
        ...(trigger ? ['--trigger', `${n}=examples/door-pin.xml`] : []),
      ]);
      if (sim.code !== 0 || /internal fault|error/.test(sim.out))
        throw new Error(`sim ring:${n}: ${sim.code} ${sim.out} ${sim.err}`);
      // The trigger's own menu (the door PIN) runs, not the plain one.
      if (trigger && !sim.out.includes('please-enter-your-door-code'))
        throw new Error(`sim --trigger ${n}: its menu did not run:\n${sim.out}`);
      results.push(n);
      return true;
    }),
    { seed: 20261123, numRuns: PROTO_NAMES.length },
  );
  t.ok(
    results.length > 0,
    `${new Set(results).size} names through check --clips, sim --profile, tui --profile, sim --trigger/ring`,
  );
});

t.test('ringdown NAME: an unknown command, for such names too', async (t) => {
  for (const n of ['constructor', 'toString', '__proto__', 'valueOf']) {
    const r = spawnSync(process.execPath, ['bin/ringdown.js', n], { encoding: 'utf8' });
    t.equal(r.status, 2, n);
    t.match(r.stderr, new RegExp(`^ringdown: unknown command '${n}'\\nusage: ringdown COMMAND`), n);
  }
});
