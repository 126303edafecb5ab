/**
 * `ringdown recordings DUMP.bin|DIR [--sector BYTES] [--out DIR]`: lists the recordings in a dump
 * of the recordings' flash region (`src/calllog/flash-recordings.ts`), or the WAVs a folder
 * holds (`sim --recordings DIR`), with their lengths. `--out DIR` writes a dump's recordings as
 * 8 kHz WAVs, their headers made from the lengths read back from the blocks.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readWavInfo } from '../src/audio/wav.js';
import type { ByteStore } from '../hal/storage.js';
import { readRecordingsSamples, readStoredRecordings, type StoredRecording } from '../src/calllog/flash-recordings.js';
import { Command } from './command.js';
import { escapeControls, readDump, SECTOR_OPTION } from './log.js';
import { prepareFolder } from './output.js';
import { readRegularFile } from './read-file.js';
import { MAX_SAY_BYTES, writeRecordings } from './sim.js';

export const RECORDINGS = new Command({
  name: 'recordings',
  summary: 'list and extract recordings from a flash dump or a folder',
  description:
    'Lists the recordings in a dump of the recordings flash region (or a folder of WAVs), with their\nlength and state, and writes them out as WAVs.',
  positionals: [{ name: 'DUMP.bin|DIR' }],
  options: [
    SECTOR_OPTION,
    { name: 'out', type: 'string', value: 'DIR', description: "write each of a dump's recordings there as NAME.wav" },
  ],
  exit: '0 ok, 1 a recording could not be read or written, 2 usage or input error (a dump that cannot be read)',
  examples: ['ringdown recordings recordings.bin --out messages'],
});

const seconds = (samples: number): string => `${(samples / 8000).toFixed(3)} s`;

export function runRecordings(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const args = RECORDINGS.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const path = args.positionals[0]!;
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // Not there: readRegularFile below says so.
  }
  if (isDir) {
    if (values.out !== undefined) {
      err('ringdown recordings: --out takes a flash dump; a folder already holds WAVs');
      return 2;
    }
    const names = readdirSync(path)
      .filter((n) => n.endsWith('.wav'))
      .sort();
    for (const name of names) {
      const bytes = readRegularFile(join(path, name), MAX_SAY_BYTES, 'a recording');
      const info = bytes instanceof Uint8Array ? readWavInfo(bytes) : bytes.problem;
      if (typeof info === 'string') out(`${escapeControls(name.slice(0, -4))}  unreadable: ${info}`);
      else out(`${escapeControls(name.slice(0, -4))}  ${(info.ms / 1000).toFixed(3)} s  ${info.sampleRate} Hz`);
    }
    out(`${names.length} recordings in ${escapeControls(path)}`);
    return 0;
  }
  const dump = readDump('recordings', path, values.sector, err);
  if (typeof dump === 'number') return dump;
  const { store, bytes, sector } = dump;
  // The folder is checked before anything is listed or written.
  if (values.out !== undefined) {
    const folder = prepareFolder(values.out, 'recordings');
    if (folder !== undefined) {
      err(folder);
      return 1;
    }
  }
  const recordings = readStoredRecordings(store);
  for (const r of recordings) {
    out(
      `${escapeControls(r.name)}  ${seconds(r.samples)}  ${r.complete ? 'complete' : 'unfinished (cut short: its flushed blocks)'}`,
    );
  }
  out(`${recordings.length} recordings in ${bytes.length / sector} sectors of ${sector} bytes`);
  if (values.out === undefined) return 0;
  const { files, ok } = recordingFiles(store, recordings, err);
  return writeRecordings(values.out, files, 'recordings', err) && ok ? 0 : 1;
}

/**
 * The samples of each recording whose name can be a file name, by name, read in one pass over
 * the store however many there are; `ok` is false when one was left out (said on `err`).
 */
export function recordingFiles(
  store: ByteStore,
  recordings: readonly StoredRecording[],
  err: (line: string) => void,
): { files: Map<string, Int16Array>; ok: boolean } {
  let ok = true;
  const named = recordings.filter((r) => {
    if (/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(r.name)) return true;
    err(`ringdown recordings: ${escapeControls(r.name)}: not a file name; not written`);
    ok = false;
    return false;
  });
  const samples = readRecordingsSamples(
    store,
    named.map((r) => r.id),
  );
  return { files: new Map(named.map((r) => [r.name, samples.get(r.id) ?? new Int16Array(0)])), ok };
}
