/**
 * Shared pieces of the property-based tests: one fixed seed so CI sees the same cases on every
 * run, a bridge from fast-check's report to a tap assertion, and the example menus the mutations
 * start from.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Test } from 'tap';

/** Every property runs with this seed: a failure reproduces exactly, and CI is deterministic. */
export const SEED = 20261123;

/**
 * Runs a property with the fixed seed and turns the outcome into one tap assertion whose message
 * is fast-check's counterexample report (seed, path and shrunk input) when it fails.
 */
export function holds(t: Test, name: string, property: fc.IRawProperty<unknown, false>, numRuns: number): void {
  const details = fc.check(property, { seed: SEED, numRuns });
  if (details.failed) t.fail(`${name}\n${fc.defaultReportMessage(details) ?? ''}`);
  else t.pass(`${name} (${details.numRuns} runs)`);
}

export interface Example {
  file: string;
  text: string;
}

/** The menus shipped in examples/ and test/menus/: the seeds of every mutation. */
export function exampleMenus(): Example[] {
  const out: Example[] = [];
  for (const dir of ['examples', 'examples/ozeki', 'test/menus']) {
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.xml')) continue;
      const file = join(dir, name);
      out.push({ file, text: readFileSync(file, 'utf8') });
    }
  }
  return out;
}
