/**
 * Tests that compare with an outside tool (sox, espeak-ng, tmux, multimon-ng, spandsp) run when it
 * is installed and are otherwise skipped, each with one line saying what and why:
 * `t.test('what', needs('sox'), async (t) => ...)` is counted by tap as skipped (never passed) with
 * the reason `sox is not installed`; `npm test` lists every skip before its last line.
 */
import { hasTool } from '../tools/outside/tools.js';

export { hasTool };

/** Test options: `{ skip: 'TOOL is not installed' }` when one of the tools is missing, else none. */
export function needs(...tools: string[]): { skip?: string } {
  const missing = tools.filter((tool) => !hasTool(tool));
  return missing.length === 0
    ? {}
    : { skip: `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed` };
}
