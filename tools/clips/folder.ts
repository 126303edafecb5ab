/**
 * The clip folder `ringdown clips` builds: `catalog.json` (the catalog of src/clips/catalog.ts,
 * plus a `synthesized` record of the clips this tool made, so it can tell them from recordings and
 * know when one is stale) and `manifest.json`, a Moddable manifest fragment listing the clips as
 * resources (mcconfig converts each `.wav` resource to MAUD with wav2maud).
 */
import { lstatSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { checkCatalog, clipNameProblem, plainRecord, type ClipCatalog } from '../../src/clips/catalog.js';
import { deviceFormatProblem, MAX_CLIP_BYTES, readWavInfo } from '../../src/audio/wav.js';
import { readRegularFile } from '../read-file.js';

/** catalog.json is text the tool wrote: a megabyte is far more than any set of menus needs. */
export const MAX_CATALOG_BYTES = 1024 * 1024;

/** A clip this tool synthesized: what it was made from and the bytes it wrote. */
export interface SynthRecord {
  /** synthKey() of its text and voice. */
  from: string;
  /** First 16 hex digits of the file's SHA-256: a different file is a recording someone put there. */
  sha256: string;
}

export interface FolderState {
  catalog: ClipCatalog;
  /** The clips this tool made, by name (a Map: a name like `constructor` is just a name). */
  synthesized: Map<string, SynthRecord>;
}

export function bytesHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** True when nothing, not even a dangling symlink, is at `path`. */
function absent(path: string): boolean {
  try {
    lstatSync(path);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Reads the folder's catalog.json, if any; a message naming the file and the entry when it is not
 * a catalog. Every name in it, `clips` and `synthesized` alike, must be a plain clip name: the
 * tool deletes and writes `NAME.wav` files by these names.
 */
export function readFolderState(dir: string): FolderState | string {
  const path = join(dir, 'catalog.json');
  if (absent(path)) return { catalog: { clips: {} }, synthesized: new Map() };
  const bytes = readRegularFile(path, MAX_CATALOG_BYTES, 'a catalog');
  if (!(bytes instanceof Uint8Array)) return `${path}: error: ${bytes.problem}`;
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return `${path}: error: ${e instanceof Error ? e.message : String(e)}`;
  }
  const catalog = checkCatalog(raw);
  if (typeof catalog === 'string') return `${path}: error: ${catalog}`;
  const synthesized = new Map<string, SynthRecord>();
  const recorded = (raw as { synthesized?: unknown }).synthesized;
  if (recorded !== undefined && (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded))) {
    return `${path}: error: "synthesized" must be an object of clip names`;
  }
  for (const [name, r] of Object.entries(recorded ?? {})) {
    const problem = clipNameProblem(name);
    if (problem !== undefined) return `${path}: error: synthesized entry ${JSON.stringify(name)} ${problem}`;
    const record = r as Partial<SynthRecord> | null;
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof record.from !== 'string' ||
      typeof record.sha256 !== 'string' ||
      !/^[0-9a-f]{16}$/.test(record.sha256)
    ) {
      return `${path}: error: synthesized entry ${JSON.stringify(name)} must be {"from": "...", "sha256": "16 hex digits"}`;
    }
    synthesized.set(name, { from: record.from, sha256: record.sha256 });
  }
  return { catalog, synthesized };
}

/**
 * What a clip file is: missing, a usable device clip (with its bytes' hash), unusable (why), or
 * something that is not a regular file at all (a directory, FIFO, device, dangling symlink): never
 * read, never replaced.
 */
export type ClipFile =
  | { kind: 'missing' }
  | { kind: 'ok'; sha256: string; ms: number }
  | { kind: 'bad'; sha256?: string; problem: string; convertible: boolean }
  | { kind: 'other'; problem: string };

/** Checks a clip file against the device format (8 kHz mono 16-bit PCM, not empty). */
export function inspectClip(path: string): ClipFile {
  if (absent(path)) return { kind: 'missing' };
  const bytes = readRegularFile(path, MAX_CLIP_BYTES, 'a clip');
  if (!(bytes instanceof Uint8Array)) {
    return bytes.notRegular
      ? { kind: 'other', problem: bytes.problem.replace('(ENOENT)', '(a symlink to nothing)') }
      : { kind: 'bad', problem: bytes.problem, convertible: false };
  }
  const sha256 = bytesHash(bytes);
  const info = readWavInfo(bytes);
  if (typeof info === 'string') return { kind: 'bad', sha256, problem: info, convertible: false };
  const problem = deviceFormatProblem(info) ?? (info.dataBytes < 2 ? 'the clip has no samples' : undefined);
  if (problem !== undefined) return { kind: 'bad', sha256, problem, convertible: info.dataBytes >= 2 };
  return { kind: 'ok', sha256, ms: info.ms };
}

function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const out = plainRecord<T>();
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
