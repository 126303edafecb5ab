/**
 * Every scenario's trace on the simulator against its file in test/scenarios/traces/. A missing or
 * different file fails with the first differing event and a diff of the lines; with UPDATE_TRACES=1
 * the files are written from the simulator instead (and files no scenario owns are deleted), so the
 * change is reviewed in the diff.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import type { TraceEvent } from '../src/engine/trace.js';
import { firstDifference, runScenario } from './scenarios/scenario.js';
import { SCENARIOS } from './scenarios/table.js';
import {
  parseTrace,
  readTraceText,
  removeTraceFile,
  strayTraceFiles,
  traceFile,
  traceText,
  UPDATE_HINT,
  writeTrace,
} from './scenarios/traces.js';

const update = process.env.UPDATE_TRACES === '1';

t.test('every scenario has its own trace file and every trace file a scenario', (t) => {
  const files = SCENARIOS.map((s) => traceFile(s.name));
  t.same(
    files.filter((f, i) => files.indexOf(f) !== i),
    [],
    'no two scenario names make the same file name',
  );
  if (update) for (const file of strayTraceFiles(SCENARIOS.map((s) => s.name))) removeTraceFile(file);
  const stray = strayTraceFiles(SCENARIOS.map((s) => s.name));
  t.same(stray, [], 'no trace file without its scenario (UPDATE_TRACES=1 deletes them)');
  t.end();
});

for (const scenario of SCENARIOS) {
  t.test(scenario.name, async (t) => {
    const trace = runScenario(scenario, readFileSync(scenario.menu, 'utf8'));
    const file = traceFile(scenario.name);
    if (update && readTraceText(scenario.name) !== traceText(trace)) {
      writeTrace(scenario.name, trace);
      t.comment(`wrote ${file}`);
    }
    const text = readTraceText(scenario.name);
    if (text === undefined) {
      t.fail(`${file} is missing: ${UPDATE_HINT}`);
      return;
    }
    let expected: TraceEvent[];
    try {
      expected = parseTrace(text, file);
    } catch (error) {
      t.fail(error instanceof Error ? error.message : String(error));
      return;
    }
    const difference = firstDifference(trace, expected);
    t.equal(difference, undefined, difference !== undefined ? `${file}: ${difference}` : "the events equal the file's");
    t.equal(traceText(trace), text, `${file}, line for line (UPDATE_TRACES=1 rewrites it from the simulator)`);
  });
}
