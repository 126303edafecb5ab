/** `ringdown check MENU.xml... [--clips DIR] [--board NAME] [--phone rotary]`: exit 0 when every menu is valid. */
import { parseArgs } from 'node:util';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { checkClips } from '../src/ozml/check-clips.js';
import { checkPhoneKeys, checkRecordBoard, PHONE_KEYS } from '../src/ozml/check-board.js';
import { boardMenuLimits, boardOutputs, boardRecords, findClipFolder, knownBoards, readClipFolder, readMenuFile } from './menu-file.js';

export const CHECK_HELP = `usage: ringdown check MENU.xml... [--clips DIR] [--board NAME] [--phone rotary] [--quiet] [--json]

Checks each menu and prints one line per problem as FILE:LINE:COL: error|warning: MESSAGE.

options:
  --clips DIR     the clip folder every Speak must have a clip in (default: clips/ beside the
                  menu when it has a catalog.json)
  --board NAME    the board the menu runs on (default sim): the output names <Output> may use,
                  its menu limits, and whether it can <Record> (an error on a board without an
                  audio input)
  --phone rotary  warn at every <Input> a rotary dial cannot reach (it sends 0-9 and a hook
                  flash F, never * # A B C D)
  -q, --quiet     no warnings and no "FILE: ok" lines
  --json          one JSON object per line: {"file", "line", "col", "severity", "message", "hint"}
  -h, --help      this help

exit status: 0 every menu valid (warnings allowed), 1 a menu has errors, 2 usage error

example:
  ringdown check examples/door-phone.xml --clips examples/clips`;

export function runCheck(argv: string[], out: (line: string) => void): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { clips: { type: 'string' }, board: { type: 'string', default: 'sim' }, phone: { type: 'string' }, quiet: { type: 'boolean', short: 'q' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    out(CHECK_HELP.split('\n')[0]!);
    return 2;
  }
  const board = values.board ?? 'sim';
  const outputs = boardOutputs(board);
  if (typeof outputs === 'string') {
    out(`ringdown check: --board: ${outputs}`);
    return 2;
  }
  const phoneKeys = values.phone !== undefined && Object.hasOwn(PHONE_KEYS, values.phone) ? PHONE_KEYS[values.phone] : undefined;
  if (values.phone !== undefined && phoneKeys === undefined) {
    out(`ringdown check: --phone: no phone '${values.phone}' (known: ${Object.keys(PHONE_KEYS).join(', ')})`);
    return 2;
  }
  const records = boardRecords(board);
  let failed = false;
  for (const file of positionals) {
    const { menu, diagnostics } = readMenuFile(file, outputs, boardMenuLimits(board));
    if (menu !== undefined && !records) diagnostics.push(...checkRecordBoard(menu, board, knownBoards().filter((b) => b !== 'sim' && boardRecords(b))));
    if (menu !== undefined && phoneKeys !== undefined) diagnostics.push(...checkPhoneKeys(menu, values.phone!, phoneKeys));
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
