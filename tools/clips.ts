/**
 * `ringdown clips MENU.xml... --out DIR [--voice V] [--speed WPM]`: makes the clip folder the
 * menus need. Each Speak plays the recording the catalog names when it is in DIR (checked: 8 kHz
 * mono 16-bit PCM); otherwise its text is synthesized (espeak-ng, then sox). Writes
 * DIR/catalog.json and DIR/manifest.json (Moddable resources). Nothing is changed until every
 * input is good: new files are made in a scratch folder and renamed into place at the end, and a
 * run with nothing to do changes nothing and says "up to date".
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import type { Menu } from '../src/ozml/menu.js';
import { catalogText, inspectClip, manifestText, readFolderState, type SynthRecord } from './clips/folder.js';
import { planClips, type ClipNeed } from './clips/plan.js';
import { convertHint, DEFAULT_VOICE, missingTool, synthesize, synthKey, type VoiceOptions } from './clips/synth.js';
import { readMenuFile } from './menu-file.js';

export const CLIPS_USAGE = 'usage: ringdown clips MENU.xml... --out DIR [--voice en-us] [--speed 160]';

type Out = (line: string) => void;

/** What to do for each clip the menus need. */
interface Work {
  recorded: string[];
  upToDate: Map<string, SynthRecord>;
  toMake: ClipNeed[];
  problems: string[];
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
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
function sortWork(dir: string, needs: readonly ClipNeed[], synthesized: Record<string, SynthRecord>, voice: VoiceOptions): Work {
  const work: Work = { recorded: [], upToDate: new Map(), toMake: [], problems: [] };
  for (const need of needs) {
    const path = join(dir, `${need.name}.wav`);
    const file = inspectClip(path);
    const mine = synthesized[need.name];
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
    }
  }
  return work;
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
  const state = readFolderState(dir);
  if (typeof state === 'string') {
    err(state);
    return 1;
  }
  const plan = planClips(menus, state.catalog);
  const work = sortWork(dir, plan.needs, state.synthesized, voice);
  const problems = [...plan.problems, ...work.problems];
  if (problems.length > 0) {
    for (const p of problems) err(p);
    err(`${dir}: nothing changed`);
    return 1;
  }

  // The catalog: the user's entries, minus those of clips this tool made that no menu plays now.
  const needed = new Set(plan.needs.map((n) => n.name));
  const clips = new Map<string, string>();
  for (const [text, name] of Object.entries(state.catalog.clips)) {
    if (needed.has(name) || state.synthesized[name] === undefined) clips.set(text, name);
  }
  for (const need of plan.needs) if (need.catalogText !== undefined) clips.set(need.catalogText, need.name);
  const stale = Object.keys(state.synthesized).filter((name) => !needed.has(name));

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
  const scratch = mkdtempSync(join(dir, '.clips-'));
  let ok = false;
  try {
    const made = new Map<string, SynthRecord>();
    for (const need of work.toMake) {
      const target = join(scratch, `${need.name}.wav`);
      const failure = synthesize(need.text, voice, join(scratch, 'espeak.wav'), target);
      const file = failure === undefined ? inspectClip(target) : undefined;
      if (failure !== undefined || file?.kind !== 'ok') {
        err(`${need.where}: error: cannot make clip '${need.name}': ${failure ?? (file?.kind === 'bad' ? file.problem : 'no output')}`);
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
    if (made.size === 0 && stale.length === 0 && changed.length === 0) {
      out(`${dir}: up to date (${plan.needs.length} clips: ${work.recorded.length} recorded, ${work.upToDate.size} synthesized)`);
      ok = true;
      return 0;
    }
    for (const [name, text] of changed) writeFileSync(join(scratch, name), text);
    // Every input was good: move the new files into place.
    for (const name of made.keys()) renameSync(join(scratch, `${name}.wav`), join(dir, `${name}.wav`));
    for (const name of stale) rmSync(join(dir, `${name}.wav`), { force: true });
    for (const [name] of changed) renameSync(join(scratch, name), join(dir, name));
    const summary = [
      `${plan.needs.length} clips: ${work.recorded.length} recorded, ${synthesized.size} synthesized (${made.size} new)`,
      ...(stale.length > 0 ? [`removed ${stale.length} no longer used`] : []),
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
