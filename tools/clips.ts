/**
 * `ringdown clips MENU.xml... --out DIR [--voice V] [--speed WPM] [--recordings DIR] [--json]`:
 * makes the clip folder the menus need. Each Speak plays, in this order: a device-format WAV
 * already in DIR that this tool did not make (used as is); the user's recording
 * `recordings/NAME.{wav,mp3,ogg,flac}` beside the menu, converted (the original is never
 * changed); else its text, synthesized (espeak-ng, then Ringdown's own conversion). Writes
 * DIR/catalog.json and DIR/manifest.json (Moddable resources). Nothing is changed until every
 * input is good: new files are made in a scratch folder and renamed into place at the end, and a
 * run with nothing to do changes nothing and says "up to date".
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatDiagnostic } from '../src/ozml/diagnostic.js';
import type { Menu } from '../src/ozml/menu.js';
import { convertToClip, describeConversion, type ConvertReport } from '../src/audio/convert.js';
import { encodeWav } from '../src/audio/wav.js';
import { Command } from './command.js';
import {
  catalogText,
  inspectClip,
  manifestText,
  MAX_CATALOG_BYTES,
  readFolderState,
  type SynthRecord,
} from './clips/folder.js';
import { decodeRecording, RECORDING_EXTENSIONS } from './clips/decode.js';
import { planClips, type ClipNeed } from './clips/plan.js';
import { fallbackMenu } from '../src/engine/fallback.js';
import {
  DEFAULT_VOICE,
  type SpeechEngine,
  speak,
  speechEngine,
  speechToClip,
  synthKey,
  type VoiceOptions,
} from './clips/synth.js';
import { menuFailure, readMenuFile } from './menu-file.js';
import { kindOf, outputProblem, prepareFolder, writeOutput } from './output.js';
import { readRegularFile } from './read-file.js';

export const CLIPS = new Command({
  name: 'clips',
  summary: 'make the clip folder (recordings converted, else speech synthesized)',
  description: `Makes the clip folder DIR the menus need: one 8 kHz mono 16-bit WAV a clip, catalog.json and
manifest.json (the Moddable resources). For each clip, in this order:
  1. DIR/NAME.wav in the device format that ringdown did not make: used as it is;
  2. a recording recordings/NAME.wav|.mp3|.ogg|.flac beside the menu (any rate, depth, channels):
     converted (resampled, mixed to mono, telephone band, silence trimmed, peak -3 dBFS) and
     reported; the recording itself is never changed;
  3. otherwise the Speak text, synthesized with espeak-ng (the system's, else the npm package's
     WebAssembly build, run as a separate program).
Nothing changes unless every input is good; a second run with no changes writes nothing.

With --say TEXT and no menu, speaks TEXT the same way to the one WAV file --out names: a caller's
voice for sim's and device's say:FILE (npm run clips makes examples/caller.wav so).`,
  positionals: [{ name: 'MENU.xml', repeat: true, optional: true }],
  options: [
    {
      name: 'out',
      type: 'string',
      short: 'o',
      value: 'DIR',
      required: true,
      description: 'the clip folder to make or update',
    },
    { name: 'voice', type: 'string', value: 'NAME', default: DEFAULT_VOICE.voice, description: 'espeak-ng voice' },
    {
      name: 'speed',
      type: 'string',
      value: 'WPM',
      default: String(DEFAULT_VOICE.speed),
      description: 'words a minute, 80 to 450',
    },
    {
      name: 'recordings',
      type: 'string',
      value: 'DIR',
      description: 'where recordings are (without it: recordings/ beside each menu)',
    },
    {
      name: 'say',
      type: 'string',
      value: 'TEXT',
      description: 'speak TEXT to the WAV file --out names, instead of making clips',
    },
    { name: 'json', type: 'boolean', description: 'print what was done as one JSON object' },
  ],
  exit: '0 done or up to date, 1 a problem in the menus, recordings or folder (nothing changed), 2 usage or input error (a menu that cannot be read)',
  examples: [
    'ringdown clips examples/door-phone.xml --out examples/clips',
    'ringdown clips --say "Hello, this is a test message." --out caller.wav',
  ],
});

/** The largest recording read: an hour of 16-bit stereo at 44.1 kHz is 635 MB; clips are seconds. */
export const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

/** What the conversion of a recording does: part of each converted clip's record, so a change remakes them. */
const RECORDING_CONVERSION = 'ringdown-convert-1 rate=8000 highpass=250 lowpass=3400 trim=-40dB,keep=100ms peak=-3dBFS';

type Out = (line: string) => void;

/** A recording to convert: the clip it makes, the file and its bytes. */
interface Recording {
  need: ClipNeed;
  path: string;
  bytes: Uint8Array;
  key: string;
}

/** What to do for each clip the menus need. */
interface Work {
  recorded: string[];
  upToDate: Map<string, SynthRecord>;
  toMake: ClipNeed[];
  toConvert: Recording[];
  /** Clips up to date that were converted from a recording. */
  convertedUpToDate: number;
  /**
   * What is at each clip to make now: nothing (undefined) or a file this tool made, by its hash.
   * It is replaced only if it still has that hash when the new clip moves in.
   */
  replaces: Map<string, string | undefined>;
  problems: string[];
}

function readText(path: string): string | undefined {
  const bytes = readRegularFile(path, MAX_CATALOG_BYTES, 'a catalog');
  return bytes instanceof Uint8Array ? new TextDecoder().decode(bytes) : undefined;
}

/** The hash of the file at `path`, 'missing' when nothing is there, or why it cannot be read. */
function hashOnDisk(path: string): { sha256?: string; missing?: true; problem?: string } {
  const file = inspectClip(path);
  if (file.kind === 'missing') return { missing: true };
  if (file.kind === 'other') return { problem: file.problem };
  if (file.kind === 'bad' && file.sha256 === undefined) return { problem: file.problem };
  return { sha256: file.sha256! };
}

/** The menus, or the exit status after their errors were printed (2 when one cannot be read). */
function loadMenus(files: readonly string[], err: Out): { file: string; menu: Menu }[] | 1 | 2 {
  const menus: { file: string; menu: Menu }[] = [];
  let failed: 1 | 2 | undefined;
  for (const file of files) {
    const loaded = readMenuFile(file);
    for (const d of loaded.diagnostics) if (d.severity === 'error') err(formatDiagnostic(file, d));
    const failure = menuFailure(loaded);
    if (failure !== undefined || loaded.menu === undefined) failed = failure === 2 || failed === 2 ? 2 : 1;
    else menus.push({ file, menu: loaded.menu });
  }
  return failed ?? menus;
}

/** The recordings folders to look in for `need`: the one given, else recordings/ beside its menu. */
function recordingDirs(need: ClipNeed, given: string | undefined): string[] {
  return given !== undefined ? [given] : [join(dirname(need.menuFile), 'recordings')];
}

/** The user's recording for a clip, if there is one: its path and bytes, or a problem. */
function findRecording(
  need: ClipNeed,
  given: string | undefined,
): { path: string; bytes: Uint8Array } | { path: string; problem: string } | undefined {
  for (const folder of recordingDirs(need, given)) {
    for (const ext of RECORDING_EXTENSIONS) {
      const path = join(folder, `${need.name}.${ext}`);
      if (!existsSync(path)) continue;
      const bytes = readRegularFile(path, MAX_RECORDING_BYTES, 'a recording');
      return bytes instanceof Uint8Array ? { path, bytes } : { path, problem: bytes.problem };
    }
  }
  return undefined;
}

function recordingKey(bytes: Uint8Array): string {
  const sha = createHash('sha256').update(bytes).digest('hex');
  return createHash('sha256')
    .update(JSON.stringify(['recording', sha, RECORDING_CONVERSION]))
    .digest('hex')
    .slice(0, 16);
}

/** Sorts each needed clip into recorded, already made, to convert or to synthesize; bad files are problems. */
function sortWork(
  dir: string,
  needs: readonly ClipNeed[],
  synthesized: ReadonlyMap<string, SynthRecord>,
  voice: VoiceOptions,
  recordings: string | undefined,
): Work {
  const work: Work = {
    recorded: [],
    upToDate: new Map(),
    toMake: [],
    toConvert: [],
    convertedUpToDate: 0,
    replaces: new Map(),
    problems: [],
  };
  for (const need of needs) {
    const path = join(dir, `${need.name}.wav`);
    const file = inspectClip(path);
    const mine = synthesized.get(need.name);
    if (file.kind === 'other') {
      work.problems.push(
        `${path}: error: ${file.problem}; clip '${need.name}' (used by ${need.where}) goes there (hint: move it out of ${dir})`,
      );
      continue;
    }
    // A file this tool made is ours while its bytes are what it wrote; any other file is a recording.
    const ours = mine !== undefined && (file.kind === 'missing' || file.sha256 === mine.sha256);
    if (file.kind === 'ok' && !ours) {
      work.recorded.push(need.name);
      continue;
    } else if (file.kind === 'bad' && !ours) {
      const where = join(recordingDirs(need, recordings)[0]!, `${need.name}.wav`);
      const fix = file.convertible
        ? `move it to ${where} and it is converted`
        : `export the recording again (WAV, MP3, Ogg or FLAC) to ${where}`;
      work.problems.push(
        `${path}: error: ${file.problem}; the device plays 8 kHz mono 16-bit PCM WAV (used by ${need.where}) (hint: ${fix}, or delete it to have the text synthesized)`,
      );
      continue;
    }
    const recording = findRecording(need, recordings);
    if (recording !== undefined && 'problem' in recording) {
      work.problems.push(
        `${recording.path}: error: ${recording.problem} (the recording for clip '${need.name}', used by ${need.where})`,
      );
    } else if (recording !== undefined) {
      const key = recordingKey(recording.bytes);
      if (file.kind === 'ok' && mine?.from === key) {
        work.upToDate.set(need.name, mine);
        work.convertedUpToDate++;
      } else {
        work.toConvert.push({ need, path: recording.path, bytes: recording.bytes, key });
        work.replaces.set(need.name, file.kind === 'missing' ? undefined : mine?.sha256);
      }
    } else if (file.kind === 'ok' && mine?.from === synthKey(need.text, voice) && need.speakable) {
      work.upToDate.set(need.name, mine);
    } else if (!need.speakable) {
      work.problems.push(
        `${need.where}: error: <Play> names clip '${need.name}', which is not in ${dir} (hint: put the recording in ${join(recordingDirs(need, recordings)[0]!, `${need.name}.wav`)} (or .mp3, .ogg, .flac); a Play has no text to synthesize)`,
      );
    } else {
      work.toMake.push(need);
      work.replaces.set(need.name, file.kind === 'missing' ? undefined : mine?.sha256);
    }
  }
  return work;
}

/**
 * The clips this tool made that no menu plays now: those still as it wrote them are removed; any
 * other file of that name (a recording put in its place, a folder) is kept and reported.
 */
function sortStale(
  dir: string,
  synthesized: ReadonlyMap<string, SynthRecord>,
  needed: ReadonlySet<string>,
): { remove: Map<string, string>; kept: string[] } {
  const remove = new Map<string, string>();
  const kept: string[] = [];
  for (const [name, record] of synthesized) {
    if (needed.has(name)) continue;
    const path = join(dir, `${name}.wav`);
    const disk = hashOnDisk(path);
    if (disk.missing === true) continue;
    if (disk.sha256 === record.sha256) remove.set(name, record.sha256);
    else kept.push(`kept ${path}: ${disk.problem ?? 'changed since ringdown clips made it'}; not removed`);
  }
  return { remove, kept };
}

/**
 * Checks, before anything moves, that every file about to be replaced or removed is still the one
 * this tool made (same hash) and that catalog.json and manifest.json can be replaced (absent or a
 * regular file). Returns the problems; none means every move can go ahead.
 */
function checkDestinations(
  dir: string,
  replaces: ReadonlyMap<string, string | undefined>,
  remove: ReadonlyMap<string, string>,
  texts: readonly string[],
): string[] {
  const problems: string[] = [];
  const expect = (name: string, sha256: string | undefined): void => {
    const path = join(dir, `${name}.wav`);
    const kind = notRegular(path);
    if (kind !== undefined) {
      problems.push(`${path}: error: it is ${kind}, not a file this tool can replace (hint: move it out of ${dir})`);
      return;
    }
    const disk = hashOnDisk(path);
    if (sha256 === undefined ? disk.missing !== true : disk.sha256 !== sha256) {
      problems.push(
        `${path}: error: ${disk.problem ?? 'changed while clips ran (not made by ringdown clips)'}; left as it is`,
      );
    }
  };
  for (const [name, sha256] of replaces) expect(name, sha256);
  for (const [name, sha256] of remove) expect(name, sha256);
  for (const name of texts) {
    const path = join(dir, name);
    const kind = notRegular(path);
    if (kind !== undefined)
      problems.push(`${path}: error: it is ${kind}, not a file this tool can replace (hint: move it out of ${dir})`);
  }
  return problems;
}

/** What is at `path` when it is there but not a regular file (a symlink is not followed), else undefined. */
function notRegular(path: string): string | undefined {
  try {
    const stats = lstatSync(path);
    return stats.isFile() ? undefined : kindOf(stats);
  } catch {
    return undefined;
  }
}

/** What `clips` was asked to do, its options checked. */
interface ClipsRequest {
  dir: string;
  menus: string[];
  voice: VoiceOptions;
  json: boolean;
  recordings?: string;
  say?: string;
}

/** Parses and checks the options; a usage error is said and its exit code returned. */
function clipsRequest(argv: string[], err: Out): ClipsRequest | number {
  const args = CLIPS.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values, positionals } = args;
  const dir = values.out!;
  const speaking = values.say !== undefined;
  if (
    (positionals.length === 0) !== speaking ||
    (speaking && (values.recordings !== undefined || values.json === true))
  ) {
    err(
      speaking
        ? 'ringdown clips: --say takes no menu, --recordings or --json'
        : 'ringdown clips: MENU.xml is missing (or give --say TEXT)',
    );
    return 2;
  }
  for (const [name, value] of [
    ['--out', dir],
    ['--recordings', values.recordings],
  ] as const) {
    if (value === '') {
      err(`ringdown clips: ${name} is empty: it takes a folder (see ringdown clips --help)`);
      return 2;
    }
  }
  const speed = values.speed === undefined ? DEFAULT_VOICE.speed : Number(values.speed);
  if (!Number.isInteger(speed) || speed < 80 || speed > 450) {
    err('ringdown clips: --speed must be a whole number of words a minute, 80 to 450');
    return 2;
  }
  const voice: VoiceOptions = { voice: values.voice ?? DEFAULT_VOICE.voice, speed };
  if (!/^[A-Za-z0-9][A-Za-z0-9_+/-]*$/.test(voice.voice)) {
    err(`ringdown clips: --voice ${JSON.stringify(voice.voice)} is not an espeak-ng voice name`);
    return 2;
  }
  return {
    dir,
    menus: positionals,
    voice,
    json: values.json === true,
    ...(values.recordings !== undefined ? { recordings: values.recordings } : {}),
    ...(values.say !== undefined ? { say: values.say } : {}),
  };
}

/** Says each problem and that the folder was left as it was; the exit code of a finding. */
function unchanged(err: Out, dir: string, ...problems: string[]): 1 {
  for (const problem of problems) err(problem);
  err(`${dir}: nothing changed`);
  return 1;
}

/** The catalog: the user's entries, minus those of clips this tool made and now removes. */
function catalogEntries(
  dir: string,
  catalog: Record<string, string>,
  synthesized: ReadonlyMap<string, SynthRecord>,
  needs: readonly ClipNeed[],
  remove: ReadonlyMap<string, string>,
): Map<string, string> {
  const needed = new Set(needs.map((n) => n.name));
  const clips = new Map<string, string>();
  for (const [text, name] of Object.entries(catalog)) {
    if (!remove.has(name) && (needed.has(name) || !synthesized.has(name) || existsSync(join(dir, `${name}.wav`))))
      clips.set(text, name);
  }
  for (const need of needs) if (need.catalogText !== undefined) clips.set(need.catalogText, need.name);
  return clips;
}

interface Converted {
  clip: Uint8Array;
  report: ConvertReport;
  recording: Recording;
}

/** Decodes and converts every recording before anything is written; a problem names the file. */
async function convertRecordings(recordings: readonly Recording[]): Promise<Map<string, Converted> | string> {
  const converted = new Map<string, Converted>();
  for (const recording of recordings) {
    const pcm = await decodeRecording(recording.bytes);
    if (typeof pcm === 'string')
      return `${recording.path}: error: ${pcm} (the recording for clip '${recording.need.name}', used by ${recording.need.where})`;
    const { samples, report } = convertToClip(pcm, { highPassHz: 250, peakDbfs: -3, trimKeepMs: 100 });
    if (samples.length === 0)
      return `${recording.path}: error: the recording has no samples (the recording for clip '${recording.need.name}')`;
    converted.set(recording.need.name, { clip: encodeWav(samples), report, recording });
  }
  return converted;
}

/** Speaks every text to make, in a scratch folder of its own; a problem names the first clip. */
function synthesize(
  engine: SpeechEngine | undefined,
  toMake: readonly ClipNeed[],
  voice: VoiceOptions,
): Uint8Array[] | string {
  if (engine === undefined) return [];
  const scratch = mkdtempSync(join(tmpdir(), 'ringdown-speech-'));
  try {
    const spoken = speak(
      engine,
      toMake.map((n) => n.text),
      voice,
      join(scratch, 'espeak.wav'),
    );
    return typeof spoken === 'string'
      ? `${toMake[0]!.where}: error: cannot make clip '${toMake[0]!.name}': ${spoken}`
      : spoken;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Writes each new clip into `folder` and checks it as a clip; returns what was made (name to its
 * record) or the problem of the first that fails.
 */
function stageClips(
  folder: string,
  work: Work,
  spoken: readonly Uint8Array[],
  converted: ReadonlyMap<string, Converted>,
  voice: VoiceOptions,
): Map<string, SynthRecord> | string {
  const made = new Map<string, SynthRecord>();
  const place = (name: string, bytes: Uint8Array, from: string, what: string): string | undefined => {
    const target = join(folder, `${name}.wav`);
    writeFileSync(target, bytes);
    const file = inspectClip(target);
    if (file.kind !== 'ok')
      return `${what}: error: cannot make clip '${name}': ${file.kind === 'bad' || file.kind === 'other' ? file.problem : 'no output'}`;
    made.set(name, { from, sha256: file.sha256 });
    return undefined;
  };
  for (const [i, need] of work.toMake.entries()) {
    const clip = speechToClip(spoken[i]!);
    if (typeof clip === 'string') return `${need.where}: error: cannot make clip '${need.name}': ${clip}`;
    const problem = place(need.name, clip, synthKey(need.text, voice), need.where);
    if (problem !== undefined) return problem;
  }
  for (const [name, c] of converted) {
    const problem = place(name, c.clip, c.recording.key, c.recording.path);
    if (problem !== undefined) return problem;
  }
  return made;
}

export async function runClips(argv: string[], out: Out, err: Out): Promise<number> {
  const request = clipsRequest(argv, err);
  if (typeof request === 'number') return request;
  const { dir, voice, json } = request;
  if (request.say !== undefined) return speakToFile(request.say, dir, voice, out, err);
  const menus = loadMenus(request.menus, err);
  if (typeof menus === 'number') {
    // A menu that cannot be read is an input error, said once; a menu with errors is a finding.
    if (menus === 1) err(`${dir}: nothing changed`);
    return menus;
  }
  // The folder is checked now (made only once every input is good).
  const folder = prepareFolder(dir, 'clips', false);
  if (folder !== undefined) return unchanged(err, dir, folder);
  const state = readFolderState(dir);
  if (typeof state === 'string') return unchanged(err, dir, state);
  // The device's built-in fallback menu (a menu that fails to load) plays its clip from this folder too.
  const plan = planClips([...menus, { file: 'built-in fallback menu', menu: fallbackMenu() }], state.catalog);
  const work = sortWork(dir, plan.needs, state.synthesized, voice, request.recordings);
  const problems = [...plan.problems, ...work.problems];
  if (problems.length > 0) return unchanged(err, dir, ...problems);
  const stale = sortStale(dir, state.synthesized, new Set(plan.needs.map((n) => n.name)));
  const engine = work.toMake.length > 0 ? speechEngine() : undefined;
  if (engine !== undefined && typeof engine !== 'string') {
    err(`ringdown clips: ${engine.problem}`);
    err(
      `${dir}: nothing changed (${work.toMake.length} clips to synthesize, e.g. ${work.toMake[0]!.name} for ${work.toMake[0]!.where})`,
    );
    return 1;
  }
  const converted = await convertRecordings(work.toConvert);
  if (typeof converted === 'string') return unchanged(err, dir, converted);
  const spoken = synthesize(engine, work.toMake, voice);
  if (typeof spoken === 'string') return unchanged(err, dir, spoken);
  const clips = catalogEntries(dir, state.catalog.clips, state.synthesized, plan.needs, stale.remove);
  return writeClips({ dir, json, out, err, plan, work, stale, clips, converted, spoken, engine, voice });
}

interface ClipsWrite {
  dir: string;
  json: boolean;
  out: Out;
  err: Out;
  plan: ReturnType<typeof planClips>;
  work: Work;
  stale: ReturnType<typeof sortStale>;
  clips: Map<string, string>;
  converted: Map<string, Converted>;
  spoken: Uint8Array[];
  engine: SpeechEngine | undefined;
  voice: VoiceOptions;
}

/** Stages every new file in a scratch folder inside `dir`, checks every destination, then moves them in. */
function writeClips(w: ClipsWrite): number {
  const { dir, work, stale, converted, err } = w;
  // With --json, the lines a person reads are kept and the result is one JSON object at the end.
  const say: Out = w.json ? () => undefined : w.out;
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  // Scratch space of its own, inside the folder (same file system, so files move in by rename).
  const scratch = mkdtempSync(join(dir, '.ringdown-tmp-'));
  const newClips = join(scratch, 'clips');
  mkdirSync(newClips);
  let ok = false;
  try {
    const made = stageClips(newClips, work, w.spoken, converted, w.voice);
    if (typeof made === 'string') return unchanged(err, dir, made);
    const synthesized = new Map([...work.upToDate, ...made]);
    const files: [string, string][] = [
      ['catalog.json', catalogText(w.clips, synthesized)],
      ['manifest.json', manifestText(w.plan.needs.map((n) => n.name))],
    ];
    const changed = files.filter(([name, text]) => readText(join(dir, name)) !== text);
    for (const line of stale.kept) say(`${dir}: ${line}`);
    const convertedCount = work.convertedUpToDate + converted.size;
    const counts = `${w.plan.needs.length} clips: ${work.recorded.length} recorded, ${convertedCount > 0 ? `${convertedCount} converted, ` : ''}${synthesized.size - convertedCount} synthesized`;
    const result = {
      dir,
      clips: w.plan.needs.length,
      recorded: work.recorded.length,
      converted: convertedCount,
      synthesized: synthesized.size - convertedCount,
      made: [] as string[],
      conversions: [...converted].map(([name, c]) => ({ clip: name, recording: c.recording.path, ...c.report })),
      removed: [...stale.remove.keys()],
      kept: stale.kept,
      wrote: changed.map(([n]) => n),
      speech: w.engine,
      upToDate: false,
    };
    if (made.size === 0 && stale.remove.size === 0 && changed.length === 0) {
      say(`${dir}: up to date (${counts})`);
      if (w.json) w.out(JSON.stringify({ ...result, upToDate: true }));
      ok = true;
      return 0;
    }
    for (const [name, text] of changed) writeFileSync(join(scratch, name), text);
    // Every input was good; before anything moves, every destination must be what it was.
    const blocked = checkDestinations(
      dir,
      work.replaces,
      stale.remove,
      changed.map(([n]) => n),
    );
    if (blocked.length > 0) return unchanged(err, dir, ...blocked);
    for (const name of made.keys()) renameSync(join(newClips, `${name}.wav`), join(dir, `${name}.wav`));
    for (const name of stale.remove.keys()) rmSync(join(dir, `${name}.wav`));
    for (const [name] of changed) renameSync(join(scratch, name), join(dir, name));
    const summary = [
      `${counts} (${made.size} new)`,
      ...(stale.remove.size > 0 ? [`removed ${stale.remove.size} no longer used`] : []),
      ...(changed.length > 0 ? [`wrote ${changed.map(([n]) => n).join(', ')}`] : []),
    ];
    say(`${dir}: ${summary.join('; ')}`);
    for (const name of made.keys()) {
      const c = converted.get(name);
      if (c === undefined) say(`  made ${join(dir, `${name}.wav`)}`);
      else say(`  converted ${c.recording.path} -> ${join(dir, `${name}.wav`)}: ${describeConversion(c.report)}`);
    }
    if (w.json) w.out(JSON.stringify({ ...result, made: [...made.keys()] }));
    ok = true;
    return 0;
  } finally {
    rmSync(created && !ok ? dir : scratch, { recursive: true, force: true });
  }
}

/**
 * `--say TEXT --out FILE.wav`: TEXT spoken as a synthesized clip is, to one WAV (a caller's voice
 * to try menus with). Writes only FILE, and only when it is not a folder or special file.
 */
function speakToFile(text: string, file: string, voice: VoiceOptions, out: Out, err: Out): number {
  if (text.trim() === '') {
    err('ringdown clips: --say: no text to speak');
    return 2;
  }
  if (/\.(mp3|ogg|oga|flac)$/i.test(file)) {
    err(`ringdown clips: --say writes a WAV file: --out ${file} names another format`);
    return 2;
  }
  const refused = outputProblem(file, { command: 'clips', existing: 'replace' });
  if (refused !== undefined) {
    err(refused);
    return 1;
  }
  const engine = speechEngine();
  if (typeof engine !== 'string') {
    err(`ringdown clips: ${engine.problem}`);
    return 1;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'ringdown-speech-'));
  let spoken: Uint8Array[] | string;
  try {
    spoken = speak(engine, [text], voice, join(scratch, 'speech.wav'));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const wav = typeof spoken === 'string' ? spoken : speechToClip(spoken[0]!);
  if (typeof wav === 'string') {
    err(`ringdown clips: ${wav}`);
    return 1;
  }
  const problem = writeOutput(file, wav, { command: 'clips', existing: 'replace' });
  if (problem !== undefined) {
    err(problem);
    return 1;
  }
  out(
    `${file}: ${text.length} characters spoken by ${engine} (${voice.voice}, ${voice.speed} wpm), ${((wav.length - 44) / 16).toFixed(0)} ms`,
  );
  return 0;
}
