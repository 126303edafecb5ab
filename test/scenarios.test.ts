import { readFileSync } from 'node:fs';
import t from 'tap';
import { SCENARIOS } from './scenarios/list.js';
import { firstDifference, runScenario } from './scenarios/scenario.js';

for (const scenario of SCENARIOS) {
  t.test(scenario.name, async (t) => {
    const trace = runScenario(scenario, readFileSync(scenario.menu, 'utf8'));
    const difference = firstDifference(trace, scenario.expect);
    t.equal(difference, undefined, difference ?? 'traces are equal');
    t.same(trace, scenario.expect);
  });
}
