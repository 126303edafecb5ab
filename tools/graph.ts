/** `ringdown graph MENU.xml [--out FILE.svg]`: the menu's flow diagram as SVG (the studio's picture). */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { readMenuFile } from './menu-file.js';
import { flowSvg, layoutFlow } from './studio/flow.js';
import { writeOutput } from './output.js';

export const GRAPH_USAGE = 'usage: ringdown graph MENU.xml [--out FILE.svg]';

export const GRAPH_HELP = `${GRAPH_USAGE}

Draws the menu as a flow diagram (SVG), the same the studio shows.
  --out FILE.svg   write it there (default: standard output)
  -h, --help       this help

exit status: 0 written, 1 the menu has errors or FILE.svg could not be written (nothing changed), 2 usage error

example:
  ringdown graph examples/door-phone.xml --out door-phone.svg`;

export function runGraph(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' } }, allowPositionals: true });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    err(GRAPH_USAGE);
    return 2;
  }
  const { menu, diagnostics } = readMenuFile(file, SIM_OUTPUT_NAMES);
  for (const d of diagnostics) err(formatDiagnostic(file, d));
  if (menu === undefined || hasErrors(diagnostics)) return 1;
  const svg = flowSvg(layoutFlow(menu), basename(file));
  if (values.out === undefined) {
    out(svg.trimEnd());
    return 0;
  }
  const problem = writeOutput(values.out, svg, { command: 'graph', existing: 'replace' });
  if (problem !== undefined) {
    err(problem);
    return 1;
  }
  return 0;
}
