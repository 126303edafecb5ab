/**
 * `ringdown log DUMP.bin [--sector BYTES] [--jsonl]`: prints the call log from a dump of its flash
 * region (e.g. `esptool.py read_flash 0x3F0000 0x10000 DUMP.bin` of the `calllog` partition),
 * oldest record first. Torn or half-erased records are skipped, as the device skips them.
 */
import { readEntries, type StoredEntry } from '../src/calllog/call-log.js';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { Command } from './command.js';
import { readRegularFile } from './read-file.js';

/** The largest dump read: an ESP32's whole flash is at most 16 MiB. */
export const MAX_DUMP_BYTES = 16 * 1024 * 1024;

/**
 * What a record may hold but a terminal must not receive raw: control characters (C0, DEL, C1:
 * escape sequences, bells, carriage returns), line and paragraph separators, bidirectional
 * overrides. A dump is whatever the flash held, so every text from it goes through this.
 */
const UNSAFE = /[\p{Cc}\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const hex = (c: string, digits: number): string => c.charCodeAt(0).toString(16).padStart(digits, '0');

/** `text` with each unsafe character written as `\xNN` or `\uNNNN`. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** One entry as a JSON line: JSON escapes C0 controls itself; the rest are escaped as `\uNNNN`, still JSON. */
export function jsonEntry({ seq, entry }: StoredEntry): string {
  return JSON.stringify({ seq, ...(entry ?? { kind: 'unreadable' }) }).replace(UNSAFE, (c) => `\\u${hex(c, 4)}`);
}

/** `--sector`, as `log` and `recordings` take it. */
export const SECTOR_OPTION = {
  name: 'sector',
  type: 'string',
  value: 'BYTES',
  default: '4096',
  description: 'the flash sector size of the dump',
} as const;

export const LOG = new Command({
  name: 'log',
  summary: 'print the call log from a dump of its flash region',
  description: 'Prints the call log from a dump of its flash partition, one record a line.',
  positionals: [{ name: 'DUMP.bin' }],
  options: [SECTOR_OPTION, { name: 'jsonl', type: 'boolean', description: 'one JSON object per record' }],
  exit: '0 ok, 1 the dump is not whole sectors, 2 usage or input error (a dump that cannot be read)',
  examples: ['ringdown log calllog.bin --jsonl'],
});

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** One entry as a line: `#SEQ call ...` or `#SEQ fault ...`, control characters escaped. */
export function formatEntry(stored: StoredEntry): string {
  return escapeControls(entryLine(stored));
}

function entryLine({ seq, entry }: StoredEntry): string {
  if (entry === undefined) return `#${seq} unreadable record (written by another firmware version?)`;
  if (entry.kind === 'fault') return `#${seq} fault at=${seconds(entry.atMs)} ${entry.message}`;
  const keys = entry.keys === '' ? '-' : entry.keys;
  const path = entry.path === '' ? '-' : entry.path;
  return `#${seq} call start=${seconds(entry.startMs)} answer=${entry.answer} keys=${keys} path=${path} end=${entry.end} duration=${seconds(entry.durationMs)}`;
}

/**
 * Reads a dump of a flash region of `sectorText`-byte sectors for `ringdown COMMAND`; the exit
 * code (2: a bad option or a file that cannot be read, 1: not whole sectors) after saying why, when it cannot.
 */
export function readDump(
  command: string,
  file: string,
  sectorText: string | undefined,
  err: (line: string) => void,
): { store: MemoryStore; bytes: Uint8Array; sector: number } | number {
  const sector = Number(sectorText);
  if (!Number.isInteger(sector) || sector < 64) {
    err(`ringdown ${command}: --sector ${sectorText}: expected the flash erase size in bytes, e.g. 4096`);
    return 2;
  }
  const bytes = readRegularFile(file, MAX_DUMP_BYTES, 'a flash dump');
  if (!(bytes instanceof Uint8Array)) {
    err(`ringdown ${command}: ${escapeControls(file)}: ${bytes.problem}`);
    return 2;
  }
  if (bytes.length === 0 || bytes.length % sector !== 0) {
    err(
      `ringdown ${command}: ${escapeControls(file)}: ${bytes.length} bytes is not a whole number of ${sector}-byte sectors`,
    );
    return 1;
  }
  return { store: new MemoryStore(sector, bytes), bytes, sector };
}

export function runLog(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const args = LOG.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const dump = readDump('log', args.positionals[0]!, values.sector, err);
  if (typeof dump === 'number') return dump;
  const { bytes, sector } = dump;
  const entries = readEntries(dump.store);
  for (const e of entries) out(values.jsonl === true ? jsonEntry(e) : formatEntry(e));
  if (values.jsonl !== true) {
    const range = entries.length > 0 ? ` (#${entries[0]!.seq} to #${entries.at(-1)!.seq})` : '';
    out(`${entries.length} records${range} in ${bytes.length / sector} sectors of ${sector} bytes`);
  }
  return 0;
}
