import t from 'tap';
import { needsXs, runXs } from './xsnap.js';

t.test('a script runs on XS and its prints come back', needsXs(), async (t) => {
  const result = await runXs('print("sum", 1 + 2); print(typeof setTimeout, typeof console, typeof gc)');
  t.equal(result.ok, true, result.error ?? '');
  t.same(result.prints, ['sum 3', 'undefined undefined function']);
  t.ok(result.meters.compute > 0);
  t.ok(result.meters.currentHeapCount > 0);
});

t.test('compute is deterministic', needsXs(), async (t) => {
  const code = 'let s = 0; for (let i = 0; i < 1000; i++) s += i; print(s)';
  const a = await runXs(code);
  const b = await runXs(code);
  t.equal(a.meters.compute, b.meters.compute);
});

t.test('an uncaught throw fails', needsXs(), async (t) => {
  const result = await runXs('throw new Error("boom")');
  t.equal(result.ok, false);
  t.match(result.error, /boom/);
});

t.test('an unhandled rejection fails', needsXs(), async (t) => {
  const result = await runXs('Promise.reject(new Error("late"))');
  t.equal(result.ok, false);
  t.match(result.error, /late/);
});

t.test('a throw in a later job fails', needsXs(), async (t) => {
  const result = await runXs('setImmediate(() => { throw new Error("later") })');
  t.equal(result.ok, false);
  t.match(result.error, /later/);
});

t.test('issueCommand reaches onCommand and gets its reply', needsXs(), async (t) => {
  const seen: string[] = [];
  const result = await runXs(
    'const r = issueCommand(new TextEncoder().encode("ping").buffer); print(new TextDecoder().decode(r))',
    {
      onCommand: (bytes) => {
        seen.push(new TextDecoder().decode(bytes));
        return new TextEncoder().encode('pong');
      },
    },
  );
  t.equal(result.ok, true, result.error ?? '');
  t.same(seen, ['ping']);
  t.same(result.prints, ['pong']);
});

t.test('the metering limit stops a runaway loop', needsXs(), async (t) => {
  const result = await runXs('for (;;) {}', { meteringLimit: 1e6 });
  t.equal(result.ok, false);
  t.match(result.error, /too much computation/);
});
