/**
 * The clip folder `ringdown clips` builds: `catalog.json` (the catalog of src/clips/catalog.ts,
 * plus a `synthesized` record of the clips this tool made, so it can tell them from recordings and
 * know when one is stale) and `manifest.json`, a Moddable manifest fragment listing the clips as
 * resources (mcconfig converts each `.wav` resource to MAUD with wav2maud).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { checkCatalog, type ClipCatalog } from '../../src/clips/catalog.js';
import { deviceFormatProblem, readWavInfo } from '../../src/audio/wav.js';

/** A clip this tool synthesized: what it was made from and the bytes it wrote. */
export interface SynthRecord {
  /** synthKey() of its text and voice. */
  from: string;
  /** First 16 hex digits of the file's SHA-256: a different file is a recording someone put there. */
  sha256: string;
}

export interface FolderState {
  catalog: ClipCatalog;
  synthesized: Record<string, SynthRecord>;
}

export function bytesHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

function isRecord(value: unknown): value is SynthRecord {
  const r = value as Partial<SynthRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.from === 'string' && typeof r.sha256 === 'string';
}

/** Reads the folder's catalog.json, if any; a message when it is not a catalog. */
export function readFolderState(dir: string): FolderState | string {
  const path = join(dir, 'catalog.json');
  if (!existsSync(path)) return { catalog: { clips: {} }, synthesized: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return `${path}: error: ${e instanceof Error ? e.message : String(e)}`;
  }
  const catalog = checkCatalog(raw);
  if (typeof catalog === 'string') return `${path}: error: ${catalog}`;
  const synthesized: Record<string, SynthRecord> = {};
  const recorded = (raw as { synthesized?: unknown }).synthesized;
  if (typeof recorded === 'object' && recorded !== null) {
    for (const [name, r] of Object.entries(recorded)) if (isRecord(r)) synthesized[name] = { from: r.from, sha256: r.sha256 };
  }
  return { catalog, synthesized };
}

/** What a clip file is: missing, a usable device clip (with its bytes' hash), or unusable (why). */
export type ClipFile = { kind: 'missing' } | { kind: 'ok'; sha256: string; ms: number } | { kind: 'bad'; sha256?: string; problem: string; convertible: boolean };

/** Checks a clip file against the device format (8 kHz mono 16-bit PCM, not empty). */
export function inspectClip(path: string): ClipFile {
  if (!existsSync(path)) return { kind: 'missing' };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { kind: 'bad', problem: `cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`, convertible: false };
  }
  const sha256 = bytesHash(bytes);
  const info = readWavInfo(bytes);
  if (typeof info === 'string') return { kind: 'bad', sha256, problem: info, convertible: false };
  const problem = deviceFormatProblem(info) ?? (info.dataBytes < 2 ? 'the clip has no samples' : undefined);
  if (problem !== undefined) return { kind: 'bad', sha256, problem, convertible: info.dataBytes >= 2 };
  return { kind: 'ok', sha256, ms: info.ms };
}

function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

/** The text of catalog.json: entries sorted, so the same folder always gives the same bytes. */
export function catalogText(clips: Iterable<[string, string]>, synthesized: Iterable<[string, SynthRecord]>): string {
  return `${JSON.stringify({ clips: sortedObject(clips), synthesized: sortedObject(synthesized) }, null, 2)}\n`;
}

/** The text of the manifest fragment: every clip as a resource, paths relative to the folder. */
export function manifestText(names: readonly string[]): string {
  return `${JSON.stringify({ resources: { '*': [...names].sort().map((n) => `./${n}`) } }, null, 2)}\n`;
}
