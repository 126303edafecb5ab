/** `ringdown check MENU.xml... [--clips DIR] [--board NAME]`: exit 0 when every menu is valid. */
import { parseArgs } from 'node:util';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { checkClips } from '../src/ozml/check-clips.js';
import { boardMenuLimits, boardOutputs, findClipFolder, readClipFolder, readMenuFile } from './menu-file.js';
import { recordFitWarnings } from './board-store.js';

export const CHECK_HELP = `usage: ringdown check MENU.xml... [--clips DIR] [--board NAME] [--quiet] [--json]

Checks each menu and prints one line per problem as FILE:LINE:COL: error|warning: MESSAGE.

options:
  --clips DIR     the clip folder every Speak must have a clip in (default: clips/ beside the
                  menu when it has a catalog.json)
  --board NAME    the board whose output names <Output> may use (default sim)
  -q, --quiet     no warnings and no "FILE: ok" lines
  --json          one JSON object per line: {"file", "line", "col", "severity", "message", "hint"}
  -h, --help      this help

exit status: 0 every menu valid (warnings allowed), 1 a menu has errors, 2 usage error

example:
  ringdown check examples/door-phone.xml --clips examples/clips`;

export function runCheck(argv: string[], out: (line: string) => void): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { clips: { type: 'string' }, board: { type: 'string', default: 'sim' }, quiet: { type: 'boolean', short: 'q' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    out(CHECK_HELP.split('\n')[0]!);
    return 2;
  }
  const outputs = boardOutputs(values.board ?? 'sim');
  if (typeof outputs === 'string') {
    out(`ringdown check: --board: ${outputs}`);
    return 2;
  }
  let failed = false;
  for (const file of positionals) {
    const { menu, diagnostics } = readMenuFile(file, outputs, boardMenuLimits(values.board ?? 'sim'));
    if (menu !== undefined) diagnostics.push(...recordFitWarnings(menu, values.board ?? 'sim'));
    const clipDir = findClipFolder(file, values.clips);
    if (menu !== undefined && clipDir !== undefined) {
      const folder = readClipFolder(clipDir);
      for (const problem of folder.problems) {
        out(values.json === true ? JSON.stringify({ file: problem.file, line: 1, col: 1, severity: 'error', message: problem.message }) : `${problem.file}:1:1: error: ${problem.message}`);
        failed = true;
      }
      diagnostics.push(...checkClips(menu, folder.catalog, (name) => folder.durations.has(name), clipDir));
    }
    diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
    for (const d of diagnostics) {
      if (d.severity === 'warning' && values.quiet === true) continue;
      out(values.json === true ? JSON.stringify({ file, ...d }) : formatDiagnostic(file, d));
    }
    if (hasErrors(diagnostics)) failed = true;
    else if (values.quiet !== true && values.json !== true) out(`${file}: ok`);
  }
  return failed ? 1 : 0;
}
