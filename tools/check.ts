/** `ringdown check MENU.xml... [--clips DIR] [--board NAME]`: exit 0 when every menu is valid. */
import { parseArgs } from 'node:util';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { checkClips } from '../src/ozml/check-clips.js';
import { boardOutputs, findClipFolder, readClipFolder, readMenuFile } from './menu-file.js';

export function runCheck(argv: string[], out: (line: string) => void): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { clips: { type: 'string' }, board: { type: 'string', default: 'sim' }, quiet: { type: 'boolean', short: 'q' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    out('usage: ringdown check MENU.xml... [--clips DIR] [--board NAME]');
    return 2;
  }
  const outputs = boardOutputs(values.board ?? 'sim');
  if (typeof outputs === 'string') {
    out(`ringdown check: --board: ${outputs}`);
    return 2;
  }
  let failed = false;
  for (const file of positionals) {
    const { menu, diagnostics } = readMenuFile(file, outputs);
    const clipDir = findClipFolder(file, values.clips);
    if (menu !== undefined && clipDir !== undefined) {
      const folder = readClipFolder(clipDir);
      for (const problem of folder.problems) {
        out(`${problem.file}:1:1: error: ${problem.message}`);
        failed = true;
      }
      diagnostics.push(...checkClips(menu, folder.catalog, (name) => folder.durations.has(name), clipDir));
    }
    diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
    for (const d of diagnostics) {
      if (d.severity === 'warning' && values.quiet === true) continue;
      out(formatDiagnostic(file, d));
    }
    if (hasErrors(diagnostics)) failed = true;
    else if (values.quiet !== true) out(`${file}: ok`);
  }
  return failed ? 1 : 0;
}
