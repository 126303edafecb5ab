/** `ringdown graph MENU.xml [--out FILE.svg]`: the menu's flow diagram as SVG (the studio's picture). */
import { basename } from 'node:path';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import { Command } from './command.js';
import { loadMenuFile } from './menu-file.js';
import { flowSvg, layoutFlow } from './studio/flow.js';
import { writeOutput } from './output.js';

export const GRAPH = new Command({
  name: 'graph',
  summary: 'draw the menu as a flow diagram (SVG)',
  description: 'Draws the menu as a flow diagram (SVG), the same the studio shows.',
  positionals: [{ name: 'MENU.xml' }],
  options: [
    { name: 'out', type: 'string', value: 'FILE.svg', description: 'write it there (without it: standard output)' },
  ],
  exit: '0 written, 1 the menu has errors or FILE.svg could not be written (nothing changed), 2 usage or input error (a menu that cannot be read)',
  examples: ['ringdown graph examples/door-phone.xml --out door-phone.svg'],
});

export function runGraph(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const args = GRAPH.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const file = args.positionals[0]!;
  const menu = loadMenuFile(file, err, SIM_OUTPUT_NAMES);
  if (typeof menu === 'number') return menu;
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
