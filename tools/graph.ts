/** `ringdown graph MENU.xml [--out FILE.svg]`: the menu's flow diagram as SVG (the studio's picture). */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { SIM_OUTPUT_NAMES } from '../boards/sim/sim-outputs.js';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { readMenuFile } from './menu-file.js';
import { flowSvg, layoutFlow } from './studio/flow.js';
import { writeFileAtomically } from './studio/atomic-write.js';

export const GRAPH_USAGE = 'usage: ringdown graph MENU.xml [--out FILE.svg]   (without --out the SVG goes to standard output)';

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
  writeFileAtomically(values.out, svg);
  return 0;
}
