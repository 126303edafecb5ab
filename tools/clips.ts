/**
 * `ringdown clips MENU.xml... --out DIR [--voice V] [--speed WPM]`: makes the clip folder the
 * menus need. Each Speak plays the recording the catalog names when it is in DIR (checked: 8 kHz
 * mono 16-bit PCM); otherwise its text is synthesized (espeak-ng, then sox). Writes
 * DIR/catalog.json and DIR/manifest.json (Moddable resources). Nothing is changed until every
 * input is good: new files are made in a scratch folder and renamed into place at the end, and a
 * run with nothing to do changes nothing and says "up to date".
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import type { Menu } from '../src/ozml/menu.js';
import { catalogText, inspectClip, manifestText, MAX_CATALOG_BYTES, readFolderState, type SynthRecord } from './clips/folder.js';
import { planClips, type ClipNeed } from './clips/plan.js';
import { fallbackMenu } from '../src/engine/fallback.js';
import { convertHint, DEFAULT_VOICE, missingTool, synthesize, synthKey, type VoiceOptions } from './clips/synth.js';
import { readMenuFile } from './menu-file.js';
import { fileKind, readRegularFile } from './read-file.js';

export const CLIPS_USAGE = 'usage: ringdown clips MENU.xml... --out DIR [--voice en-us] [--speed 160]';

type Out = (line: string) => void;

/** What to do for each clip the menus need. */
interface Work {
  recorded: string[];
  upToDate: Map<string, SynthRecord>;
  toMake: ClipNeed[];
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

function loadMenus(files: readonly string[], err: Out): { file: string; menu: Menu }[] | undefined {
  const menus: { file: string; menu: Menu }[] = [];
  let bad = false;
  for (const file of files) {
    const { menu, diagnostics } = readMenuFile(file);
    for (const d of diagnostics) if (d.severity === 'error') err(formatDiagnostic(file, d));
    if (menu === undefined || hasErrors(diagnostics)) bad = true;
    else menus.push({ file, menu });
  }
  return bad ? undefined : menus;
}

/** Sorts each needed clip into recorded, already synthesized, or to make; bad recordings are problems. */
function sortWork(dir: string, needs: readonly ClipNeed[], synthesized: ReadonlyMap<string, SynthRecord>, voice: VoiceOptions): Work {
  const work: Work = { recorded: [], upToDate: new Map(), toMake: [], replaces: new Map(), problems: [] };
  for (const need of needs) {
    const path = join(dir, `${need.name}.wav`);
    const file = inspectClip(path);
    const mine = synthesized.get(need.name);
    if (file.kind === 'other') {
      work.problems.push(`${path}: error: ${file.problem}; clip '${need.name}' (used by ${need.where}) goes there (hint: move it out of ${dir})`);
      continue;
    }
    // A file this tool made is ours while its bytes are what it wrote; any other file is a recording.
    const ours = mine !== undefined && (file.kind === 'missing' || file.sha256 === mine.sha256);
    if (file.kind === 'ok' && !ours) {
      work.recorded.push(need.name);
    } else if (file.kind === 'bad' && !ours) {
      const fix = file.convertible ? `convert it: ${convertHint(path)}` : 'export the recording again as WAV';
      work.problems.push(`${path}: error: ${file.problem}; the device plays 8 kHz mono 16-bit PCM WAV (used by ${need.where}) (hint: ${fix}, or delete it to have the text synthesized)`);
    } else if (file.kind === 'ok' && mine?.from === synthKey(need.text, voice) && need.speakable) {
      work.upToDate.set(need.name, mine);
    } else if (!need.speakable) {
      work.problems.push(`${need.where}: error: <Play> names clip '${need.name}', which is not in ${dir} (hint: record ${path} (8 kHz mono 16-bit); a Play has no text to synthesize)`);
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
function sortStale(dir: string, synthesized: ReadonlyMap<string, SynthRecord>, needed: ReadonlySet<string>): { remove: Map<string, string>; kept: string[] } {
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
function checkDestinations(dir: string, replaces: ReadonlyMap<string, string | undefined>, remove: ReadonlyMap<string, string>, texts: readonly string[]): string[] {
  const problems: string[] = [];
  const expect = (name: string, sha256: string | undefined): void => {
    const path = join(dir, `${name}.wav`);
    const disk = hashOnDisk(path);
    if (sha256 === undefined ? disk.missing !== true : disk.sha256 !== sha256) {
      problems.push(`${path}: error: ${disk.problem ?? 'changed while clips ran (not made by ringdown clips)'}; left as it is`);
    }
  };
  for (const [name, sha256] of replaces) expect(name, sha256);
  for (const [name, sha256] of remove) expect(name, sha256);
  for (const name of texts) {
    const path = join(dir, name);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      continue;
    }
    if (!stats.isFile()) problems.push(`${path}: error: it is ${fileKind(stats)}, not a file this tool can replace (hint: move it out of ${dir})`);
  }
  return problems;
}

export function runClips(argv: string[], out: Out, err: Out): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { out: { type: 'string', short: 'o' }, voice: { type: 'string' }, speed: { type: 'string' } },
    allowPositionals: true,
  });
  const dir = values.out;
  if (positionals.length === 0 || dir === undefined || dir === '') {
    err(CLIPS_USAGE);
    return 2;
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

  const menus = loadMenus(positionals, err);
  if (menus === undefined) {
    err(`${dir}: nothing changed`);
    return 1;
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    err(`${dir}: error: --out must be a folder; it is ${fileKind(statSync(dir))}`);
    return 1;
  }
  const state = readFolderState(dir);
  if (typeof state === 'string') {
    err(state);
    err(`${dir}: nothing changed`);
    return 1;
  }
  // The device's built-in fallback menu (a menu that fails to load) plays its clip from this folder too.
  const plan = planClips([...menus, { file: 'built-in fallback menu', menu: fallbackMenu() }], state.catalog);
  const work = sortWork(dir, plan.needs, state.synthesized, voice);
  const problems = [...plan.problems, ...work.problems];
  if (problems.length > 0) {
    for (const p of problems) err(p);
    err(`${dir}: nothing changed`);
    return 1;
  }

  const needed = new Set(plan.needs.map((n) => n.name));
  const stale = sortStale(dir, state.synthesized, needed);
  // The catalog: the user's entries, minus those of clips this tool made and now removes.
  const clips = new Map<string, string>();
  for (const [text, name] of Object.entries(state.catalog.clips)) {
    if (!stale.remove.has(name) && (needed.has(name) || !state.synthesized.has(name) || existsSync(join(dir, `${name}.wav`)))) clips.set(text, name);
  }
  for (const need of plan.needs) if (need.catalogText !== undefined) clips.set(need.catalogText, need.name);

  if (work.toMake.length > 0) {
    const missing = missingTool();
    if (missing !== undefined) {
      err(`ringdown clips: ${missing}`);
      err(`${dir}: nothing changed (${work.toMake.length} clips to synthesize, e.g. ${work.toMake[0]!.name} for ${work.toMake[0]!.where})`);
      return 1;
    }
  }
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true });
  // Scratch space of its own, inside the folder (same file system, so files move in by rename):
  // new clips in clips/, espeak-ng's output in speech/, so no clip name can meet a scratch file.
  const scratch = mkdtempSync(join(dir, '.ringdown-tmp-'));
  const newClips = join(scratch, 'clips');
  const speech = join(scratch, 'speech');
  mkdirSync(newClips);
  mkdirSync(speech);
  let ok = false;
  try {
    const made = new Map<string, SynthRecord>();
    for (const need of work.toMake) {
      const target = join(newClips, `${need.name}.wav`);
      const failure = synthesize(need.text, voice, join(speech, 'espeak.wav'), target);
      const file = failure === undefined ? inspectClip(target) : undefined;
      if (failure !== undefined || file?.kind !== 'ok') {
        err(`${need.where}: error: cannot make clip '${need.name}': ${failure ?? (file?.kind === 'bad' || file?.kind === 'other' ? file.problem : 'no output')}`);
        err(`${dir}: nothing changed`);
        return 1;
      }
      made.set(need.name, { from: synthKey(need.text, voice), sha256: file.sha256 });
    }
    const synthesized = new Map([...work.upToDate, ...made]);
    const files: [string, string][] = [
      ['catalog.json', catalogText(clips, synthesized)],
      ['manifest.json', manifestText(plan.needs.map((n) => n.name))],
    ];
    const changed = files.filter(([name, text]) => readText(join(dir, name)) !== text);
    for (const line of stale.kept) out(`${dir}: ${line}`);
    if (made.size === 0 && stale.remove.size === 0 && changed.length === 0) {
      out(`${dir}: up to date (${plan.needs.length} clips: ${work.recorded.length} recorded, ${work.upToDate.size} synthesized)`);
      ok = true;
      return 0;
    }
    for (const [name, text] of changed) writeFileSync(join(scratch, name), text);
    // Every input was good; before anything moves, every destination must be what it was.
    const blocked = checkDestinations(dir, work.replaces, stale.remove, changed.map(([n]) => n));
    if (blocked.length > 0) {
      for (const p of blocked) err(p);
      err(`${dir}: nothing changed`);
      return 1;
    }
    for (const name of made.keys()) renameSync(join(newClips, `${name}.wav`), join(dir, `${name}.wav`));
    for (const name of stale.remove.keys()) rmSync(join(dir, `${name}.wav`));
    for (const [name] of changed) renameSync(join(scratch, name), join(dir, name));
    const summary = [
      `${plan.needs.length} clips: ${work.recorded.length} recorded, ${synthesized.size} synthesized (${made.size} new)`,
      ...(stale.remove.size > 0 ? [`removed ${stale.remove.size} no longer used`] : []),
      ...(changed.length > 0 ? [`wrote ${changed.map(([n]) => n).join(', ')}`] : []),
    ];
    out(`${dir}: ${summary.join('; ')}`);
    for (const name of made.keys()) out(`  made ${join(dir, `${name}.wav`)}`);
    ok = true;
    return 0;
  } finally {
    rmSync(created && !ok ? dir : scratch, { recursive: true, force: true });
  }
}
