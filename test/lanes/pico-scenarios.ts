/**
 * The exact-trace scenarios (test/scenarios/table.ts) as Pico runs. A scenario's clips are stand-in
 * lengths (`clipMs`); the Pico plays real MAUD resources, so each scenario menu gets a clip folder
 * of tones that long (one WAV per clip the menu can play) and the simulator is given the same
 * folder: both then use the clips' device lengths (whole IMA ADPCM blocks, tools/menu-file.ts).
 * Scenarios whose menu records (or that put a caller's voice on the line) are left out with the
 * reason: the Pico board has no audio input.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { encodeWav } from '../../src/audio/wav.js';
import { walkCommands } from '../../src/ozml/menu.js';
import { SCENARIOS } from '../scenarios/table.js';
import { planClips } from '../../tools/clips/plan.js';
import { readMenuFile } from '../../tools/menu-file.js';
import { REPO_ROOT } from '../xs/bundle.js';

export interface PicoScenarioRun {
  name: string;
  menu: string;
  events: string;
  /** The stand-in clips' folder. */
  clips: string;
  /** The scenario's own bound on the simulated call (script ms), if it has one. */
  untilMs?: number;
  /** Script times at which the firmware is made to collect garbage (the scenario's `collectAtMs`). */
  collectAtMs?: number[];
}

/** A 425 Hz tone `ms` long at 8 kHz, loud enough for the harness to see it on the I2S line. */
function standInClip(ms: number): Uint8Array {
  const samples = new Int16Array(Math.round(ms * 8));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 425 * i) / 8000));
  return encodeWav(samples);
}

/** Writes a folder with a `clipMs` tone for every clip `menu` plays; returns its path. */
export function writeStandInClips(menu: string, clipMs: number, dir: string): string {
  const loaded = readMenuFile(resolve(REPO_ROOT, menu), SIM_OUTPUT_NAMES);
  if (loaded.menu === undefined) throw new Error(`${menu} does not load`);
  const plan = planClips([{ file: menu, menu: loaded.menu }], { clips: {} });
  if (plan.problems.length > 0) throw new Error(plan.problems[0]);
  const folder = join(dir, `${menu.replace(REPO_ROOT, '').replace(/[^A-Za-z0-9]+/g, '-')}-${clipMs}ms`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const clip = standInClip(clipMs);
  for (const need of plan.needs) writeFileSync(join(folder, `${need.name}.wav`), clip);
  return folder;
}

/** True when the menu has a `<Record>` anywhere. */
function records(menu: string): boolean {
  const loaded = readMenuFile(join(REPO_ROOT, menu), SIM_OUTPUT_NAMES);
  let found = false;
  if (loaded.menu !== undefined) walkCommands(loaded.menu.commands, (c) => void (found ||= c.kind === 'record'));
  return found;
}

/** Why a scenario cannot run on the Pico board, or undefined. */
export function picoScenarioProblem(s: (typeof SCENARIOS)[number]): string | undefined {
  if (s.voices !== undefined || /\bsay:/.test(s.events)) return "a caller's voice: the board has no audio input";
  if (records(s.menu)) return 'its menu records: the board has no audio input, its Record is skipped with an error';
  if (s.profile !== undefined && s.profile !== 'us') return `profile ${s.profile}: the lane builds with us`;
  return undefined;
}

/** The scenarios the Pico can play, with their stand-in clip folders (written under `dir`), and those left out. */
export function picoScenarioRuns(dir: string): { runs: PicoScenarioRun[]; left: string[] } {
  const runs: PicoScenarioRun[] = [];
  const left: string[] = [];
  const folders = new Map<string, string>();
  for (const s of SCENARIOS) {
    const problem = picoScenarioProblem(s);
    if (problem !== undefined) {
      left.push(`${s.name} (${problem})`);
      continue;
    }
    const key = `${s.menu}|${s.clipMs}`;
    let clips = folders.get(key);
    if (clips === undefined) {
      clips = writeStandInClips(s.menu, s.clipMs, dir);
      folders.set(key, clips);
    }
    runs.push({
      name: `scenario: ${s.name}`,
      menu: s.menu,
      events: s.events,
      clips,
      ...(s.untilMs !== undefined ? { untilMs: s.untilMs } : {}),
      ...(s.collectAtMs !== undefined ? { collectAtMs: s.collectAtMs } : {}),
    });
  }
  // Grouped by firmware (menu and clip folder), so each is built once.
  const order = [...folders.values()];
  runs.sort((a, b) => order.indexOf(a.clips) - order.indexOf(b.clips));
  return { runs, left };
}
