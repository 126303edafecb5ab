/** `ringdown check MENU.xml... [--clips DIR] [--board NAME] [--phone rotary]`: exit 0 when every menu is valid. */
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { checkClips } from '../src/ozml/check-clips.js';
import { checkPhoneKeys, checkRecordBoard, PHONE_KEYS } from '../src/ozml/check-board.js';
import { Command } from './command.js';
import {
  boardMenuLimits,
  boardOutputs,
  boardRecords,
  findClipFolder,
  knownBoards,
  readClipFolder,
  readMenuFile,
} from './menu-file.js';
import { recordFitWarnings } from './board-store.js';

export const CHECK = new Command({
  name: 'check',
  summary: 'report problems in menus as FILE:LINE:COL',
  description: 'Checks each menu and prints one line per problem as FILE:LINE:COL: error|warning: MESSAGE.',
  positionals: [{ name: 'MENU.xml', repeat: true }],
  options: [
    {
      name: 'clips',
      type: 'string',
      value: 'DIR',
      description:
        'the clip folder every Speak must have a clip in (default: clips/ beside the menu when it has a catalog.json)',
    },
    {
      name: 'board',
      type: 'string',
      value: 'NAME',
      default: 'sim',
      description:
        'the board the menu runs on: the output names <Output> may use, its menu limits, and whether it can <Record> (an error on a board without an audio input)',
    },
    {
      name: 'phone',
      type: 'string',
      value: 'rotary',
      description:
        'warn at every <Input> a rotary dial cannot reach (it sends 0-9 and a hook flash F, never * # A B C D)',
    },
    { name: 'quiet', type: 'boolean', short: 'q', description: 'no warnings and no "FILE: ok" lines' },
    {
      name: 'json',
      type: 'boolean',
      description: 'one JSON object per line: {"file", "line", "col", "severity", "message", "hint"}',
    },
  ],
  exit: '0 every menu valid (warnings allowed), 1 a menu has errors, 2 usage or input error (a menu that cannot be read)',
  examples: ['ringdown check examples/door-phone.xml --clips examples/clips'],
});

/** Problems go to `out` (they are the command's output); a usage error goes to `err`. */
export function runCheck(argv: string[], out: (line: string) => void, err: (line: string) => void = out): number {
  const args = CHECK.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values, positionals } = args;
  const board = values.board ?? 'sim';
  const outputs = boardOutputs(board);
  if (typeof outputs === 'string') {
    err(`ringdown check: --board: ${outputs}`);
    return 2;
  }
  const phoneKeys =
    values.phone !== undefined && Object.hasOwn(PHONE_KEYS, values.phone) ? PHONE_KEYS[values.phone] : undefined;
  if (values.phone !== undefined && phoneKeys === undefined) {
    err(`ringdown check: --phone: no phone '${values.phone}' (known: ${Object.keys(PHONE_KEYS).join(', ')})`);
    return 2;
  }
  const records = boardRecords(board);
  let failed = false;
  let unreadable = false;
  for (const file of positionals) {
    const { menu, diagnostics, unreadable: cannotRead } = readMenuFile(file, outputs, boardMenuLimits(board));
    if (menu !== undefined) diagnostics.push(...recordFitWarnings(menu, board));
    if (menu !== undefined && !records)
      diagnostics.push(
        ...checkRecordBoard(
          menu,
          board,
          knownBoards().filter((b) => b !== 'sim' && boardRecords(b)),
        ),
      );
    if (menu !== undefined && phoneKeys !== undefined)
      diagnostics.push(...checkPhoneKeys(menu, values.phone!, phoneKeys));
    const clipDir = findClipFolder(file, values.clips);
    if (menu !== undefined && clipDir !== undefined) {
      const folder = readClipFolder(clipDir);
      for (const problem of folder.problems) {
        out(
          values.json === true
            ? JSON.stringify({ file: problem.file, line: 1, col: 1, severity: 'error', message: problem.message })
            : `${problem.file}:1:1: error: ${problem.message}`,
        );
        failed = true;
      }
      diagnostics.push(...checkClips(menu, folder.catalog, (name) => folder.durations.has(name), clipDir));
    }
    diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
    for (const d of diagnostics) {
      if (d.severity === 'warning' && values.quiet === true) continue;
      out(values.json === true ? JSON.stringify({ file, ...d }) : formatDiagnostic(file, d));
    }
    if (cannotRead === true) unreadable = true;
    if (hasErrors(diagnostics)) failed = true;
    else if (values.quiet !== true && values.json !== true) out(`${file}: ok`);
  }
  return unreadable ? 2 : failed ? 1 : 0;
}
