/**
 * The scenarios' expected traces as data files: test/scenarios/traces/NAME.jsonl, one event a line
 * as `ringdown sim --jsonl` prints it, NAME the scenario's name in lower case with every run of other
 * characters than letters and digits made one `-`. The files are written from the simulator
 * (`UPDATE_TRACES=1`), so a change of behaviour shows as a diff of these files. Node only: XS runs
 * the scenario table (table.ts) and the Node side of its lane reads the traces here.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceEvent } from '../../src/engine/trace.js';

/** The repository root: this module runs from dist/test/scenarios/. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Where the trace files live, from the repository root. */
export const TRACES_DIR = 'test/scenarios/traces';

/** How to write the trace files from the simulator. */
export const UPDATE_HINT = 'UPDATE_TRACES=1 npx tap dist/test/scenarios.test.js writes it from the simulator';

/** The trace file of a scenario, relative to the repository root. */
export function traceFile(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${TRACES_DIR}/${slug}.jsonl`;
}

/** A trace as its file holds it: one JSON object a line, the keys in the order the core wrote them. */
export function traceText(trace: readonly TraceEvent[]): string {
  return trace.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/** A trace file's events; a line that is not a trace event is an error naming file, line and column. */
export function parseTrace(text: string, file: string): TraceEvent[] {
  const events: TraceEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (error) {
      const at = /position (\d+)/.exec(String(error));
      const col = at !== null ? Number(at[1]) + 1 : 1;
      throw new Error(`${file}:${i + 1}:${col}: not JSON: ${String(error)}`);
    }
    const { t, type } = typeof event === 'object' && event !== null ? (event as { t?: unknown; type?: unknown }) : {};
    if (typeof t !== 'number' || typeof type !== 'string') {
      throw new Error(`${file}:${i + 1}:1: not a trace event (an object with a number t and a string type)`);
    }
    events.push(event as TraceEvent);
  });
  return events;
}

/** The text of a scenario's trace file, or undefined when there is none. */
export function readTraceText(name: string): string | undefined {
  const path = join(ROOT, traceFile(name));
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** A scenario's expected trace, or why there is none (the file is missing or malformed). */
export function readTrace(name: string): { trace: TraceEvent[] } | { problem: string } {
  const text = readTraceText(name);
  if (text === undefined) return { problem: `${traceFile(name)} is missing (${UPDATE_HINT})` };
  try {
    return { trace: parseTrace(text, traceFile(name)) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Writes a scenario's trace file. */
export function writeTrace(name: string, trace: readonly TraceEvent[]): void {
  mkdirSync(join(ROOT, TRACES_DIR), { recursive: true });
  writeFileSync(join(ROOT, traceFile(name)), traceText(trace));
}

/** The files in the traces folder that belong to none of `names`, relative to the repository root. */
export function strayTraceFiles(names: readonly string[]): string[] {
  const wanted = new Set(names.map(traceFile));
  if (!existsSync(join(ROOT, TRACES_DIR))) return [];
  return readdirSync(join(ROOT, TRACES_DIR))
    .map((f) => `${TRACES_DIR}/${f}`)
    .filter((f) => !wanted.has(f));
}

/** Deletes a file `strayTraceFiles` named. */
export function removeTraceFile(file: string): void {
  const path = join(ROOT, file);
  if (relative(join(ROOT, TRACES_DIR), path).startsWith('..')) throw new Error(`${file} is not in ${TRACES_DIR}`);
  rmSync(path);
}
