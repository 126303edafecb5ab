/**
 * `ringdown log DUMP.bin [--sector BYTES] [--jsonl]`: prints the call log from a dump of its flash
 * region (e.g. `esptool.py read_flash 0x3F0000 0x10000 DUMP.bin` of the `calllog` partition),
 * oldest record first. Torn or half-erased records are skipped, as the device skips them.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readEntries, type StoredEntry } from '../src/calllog/call-log.js';
import { MemoryStore } from '../src/calllog/memory-store.js';

export const LOG_USAGE = 'usage: ringdown log DUMP.bin [--sector BYTES] [--jsonl]';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** One entry as a line: `#SEQ call ...` or `#SEQ fault ...`. */
export function formatEntry({ seq, entry }: StoredEntry): string {
  if (entry === undefined) return `#${seq} unreadable record (written by another firmware version?)`;
  if (entry.kind === 'fault') return `#${seq} fault at=${seconds(entry.atMs)} ${entry.message}`;
  const keys = entry.keys === '' ? '-' : entry.keys;
  const path = entry.path === '' ? '-' : entry.path;
  return `#${seq} call start=${seconds(entry.startMs)} answer=${entry.answer} keys=${keys} path=${path} end=${entry.end} duration=${seconds(entry.durationMs)}`;
}

export function runLog(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { sector: { type: 'string', default: '4096' }, jsonl: { type: 'boolean' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    err(LOG_USAGE);
    return 2;
  }
  const sector = Number(values.sector);
  if (!Number.isInteger(sector) || sector < 64) {
    err(`ringdown log: --sector ${values.sector}: expected the flash erase size in bytes, e.g. 4096`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    err(`ringdown log: ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    return 1;
  }
  if (bytes.length === 0 || bytes.length % sector !== 0) {
    err(`ringdown log: ${file}: ${bytes.length} bytes is not a whole number of ${sector}-byte sectors`);
    return 1;
  }
  const entries = readEntries(new MemoryStore(sector, bytes));
  for (const e of entries) out(values.jsonl === true ? JSON.stringify({ seq: e.seq, ...(e.entry ?? { kind: 'unreadable' }) }) : formatEntry(e));
  if (values.jsonl !== true) {
    const range = entries.length > 0 ? ` (#${entries[0]!.seq} to #${entries.at(-1)!.seq})` : '';
    out(`${entries.length} records${range} in ${bytes.length / sector} sectors of ${sector} bytes`);
  }
  return 0;
}
