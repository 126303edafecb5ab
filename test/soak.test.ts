import t from 'tap';
import { judgeHeap, MAX_GROWTH, runSoak, SOAK_MENUS } from './soak/soak.js';
import { Soak } from './soak/soak-calls.js';
import { readFileSync } from 'node:fs';

t.test('soak on XS: 300 random calls keep every invariant, the heap stays flat, Node agrees', async (t) => {
  const report = await runSoak({ calls: 300, batch: 100, engine: 'xs', seed: 11 });
  const s = report.summary;
  t.equal(s.calls, 300);
  t.same(s.violations, [], 'no invariant broken on XS');
  t.ok(s.events > 3000, `${s.events} line events`);
  t.ok(s.logged > 0 && s.logged <= 300, `the call log holds the newest ${s.logged}`);
  const verdict = judgeHeap(report, MAX_GROWTH.slots);
  t.comment(
    `heap after gc(): ${report.heap.join(', ')} slots; growth after the first batch ${verdict.growth}, trend ${verdict.slopePer1000.toFixed(1)} per 1000 calls`,
  );
  t.ok(verdict.ok, `heap flat within ${MAX_GROWTH.slots} slots`);
  // The same seed on Node gives the same calls: the soak is deterministic across engines.
  const node = new Soak(Object.fromEntries(SOAK_MENUS.map((f) => [f, readFileSync(f, 'utf8')])), 11);
  for (let i = 0; i < 3; i++) node.run(100);
  t.same(node.run(0), s, 'Node and XS give the same totals');
});
