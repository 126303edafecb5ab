/**
 * The device lane's mod runs (issue 16): one lin firmware built for the door-phone menu, then mods
 * built with `mcrun` and installed into it (mcsim opens the firmware with the archive) without
 * rebuilding it. A whole mod (the door-pin menu and its clips) runs instead of the built-in menu,
 * with the simulator's trace for the door-pin menu; a mod with a missing clip and a mod whose menu
 * does not load are refused, and the built-in door-phone menu runs as if no mod were there.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents } from '../../sim/events.js';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { simulate } from '../../sim/simulate.js';
import { crc32 } from '../../src/checksum/crc32.js';
import { clipSlug } from '../../src/clips/catalog.js';
import { crcHex, MOD_PREFIX } from '../../src/engine/mod.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { profileNamed } from '../../src/line/profile.js';
import { walkCommands } from '../../src/ozml/menu.js';
import { readClipFolder, readMenuFile } from '../../tools/menu-file.js';
import { writeWavFile } from '../../tools/wav-file.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { traceDifference } from '../../tools/device/compare.js';
import { buildLin, runLin } from '../../tools/device/lin.js';
import { buildMod, stageMod } from '../../tools/device/mod.js';
import type { Sdk } from '../../tools/device/sdk.js';
import { stage } from '../../tools/device/stage.js';

const HOST_MENU = 'examples/door-phone.xml';
const HOST_EVENTS = 'offhook@0 2@3 1@5 onhook@9';
const HOST_CLIP_MS = 1000;
const MOD_MENU_FILE = 'examples/door-pin.xml';
const MOD_EVENTS = 'offhook@0 1@1.5 2@2 3@2.5 4@3 #@3.5';
const TOLERANCE_MS = 20;

/** A clip folder for a menu: a 440 Hz tone WAV of `ms` for every Speak, named by its text's slug. */
function toneClips(menuPath: string, dir: string, ms: number): string[] {
  mkdirSync(dir, { recursive: true });
  const loaded = readMenuFile(menuPath, SIM_OUTPUT_NAMES);
  if (loaded.menu === undefined) throw new Error(`${menuPath} does not load`);
  const names = new Set<string>();
  walkCommands(loaded.menu.commands, (c) => {
    if (c.kind === 'speak' && c.callId === undefined) names.add(c.clip ?? clipSlug(c.text));
  });
  const total = (ms * 8000) / 1000;
  const tone = Int16Array.from({ length: total }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)),
  );
  for (const name of names) {
    const problem = writeWavFile(join(dir, `${name}.wav`), total, [tone], 'mod-lane');
    if (problem !== undefined) throw new Error(problem);
  }
  writeFileSync(join(dir, 'catalog.json'), '{"clips":{}}\n');
  return [...names].sort();
}

function simTrace(menuPath: string, events: string, clips: SimClipLibrary): TraceEvent[] {
  const loaded = readMenuFile(menuPath, SIM_OUTPUT_NAMES);
  if (loaded.menu === undefined) throw new Error(`${menuPath} does not load`);
  const parsed = parseEvents(events);
  if (typeof parsed === 'string') throw new Error(parsed);
  return simulate({ menu: loaded.menu, events: parsed, clips, profile: profileNamed('us')!, levels: true }).trace;
}

/** The device's trace with the mod's folder taken off clip names (the simulator's clips have none). */
function withoutPrefix(trace: TraceEvent[]): TraceEvent[] {
  return trace.map((e) =>
    'clip' in e && typeof e.clip === 'string' && e.clip.startsWith(MOD_PREFIX)
      ? { ...e, clip: e.clip.slice(MOD_PREFIX.length) }
      : e,
  );
}

export interface ModLaneResult {
  name: string;
  problem: string | undefined;
}

/** Builds the host firmware once and runs it with each mod; one result a run. */
export async function modRuns(sdk: Sdk, laneDir: string): Promise<ModLaneResult[]> {
  const dir = join(laneDir, 'mods');
  const hostMenu = join(REPO_ROOT, HOST_MENU);
  const modMenu = join(REPO_ROOT, MOD_MENU_FILE);
  const host = buildLin(sdk, stage({ menu: hostMenu }, join(dir, 'host-stage')), { profile: 'us' });
  const names = [
    'a mod (door-pin menu and clips) installed into the door-phone firmware runs instead of its menu',
    'a mod missing a clip is refused: the built-in menu runs',
    'a mod whose menu does not load is refused: the built-in menu runs',
  ];
  if (!host.ok)
    return names.map((name) => ({
      name,
      problem: `host build failed: ${host.log.trim().split('\n').slice(-3).join(' | ')}`,
    }));
  const clipDir = join(dir, 'clips');
  const clipNames = toneClips(modMenu, clipDir, 1000);
  const catalog = readFileSync(join(clipDir, 'catalog.json'), 'utf8');
  const builtInCrc = crcHex(crc32(readFileSync(hostMenu)));
  const builtInTrace = simTrace(hostMenu, HOST_EVENTS, new SimClipLibrary({ fixedMs: HOST_CLIP_MS }));

  const archive = (label: string, menu: string, clips: string[]): string => {
    const staged = stageMod(sdk, { menu, clips: clipDir, clipNames: clips, catalog }, join(dir, label, 'stage'));
    if (typeof staged === 'string') throw new Error(staged);
    const built = buildMod(sdk, staged, 'lin', join(dir, label, 'out'));
    if (!built.ok || built.archive === undefined)
      throw new Error(`mcrun failed: ${built.log.trim().split('\n').slice(-3).join(' | ')}`);
    return built.archive;
  };
  const refusedRun = async (label: string, menu: string, clips: string[], why: RegExp): Promise<string | undefined> => {
    const run = await runLin(sdk, host.library, {
      events: HOST_EVENTS,
      clipMs: HOST_CLIP_MS,
      archive: archive(label, menu, clips),
    });
    if (run.problem !== undefined) return run.problem;
    const refusal = run.notes.find((n) => n.startsWith(`ringdown: mod menu ${MOD_PREFIX}menu.xml: `));
    if (refusal === undefined || !why.test(refusal) || !refusal.endsWith('; running the built-in menu'))
      return `no refusal traced (notes: ${run.notes.join(' | ')})`;
    if (!run.notes.includes(`ringdown: menu built-in menu.xml, crc32 ${builtInCrc}`))
      return `the boot trace does not name the built-in menu (notes: ${run.notes.join(' | ')})`;
    return traceDifference(run.trace, builtInTrace, TOLERANCE_MS);
  };

  const results: ModLaneResult[] = [];
  const attempt = async (name: string, body: () => Promise<string | undefined>): Promise<void> => {
    let problem: string | undefined;
    try {
      problem = await body();
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
    results.push({ name, problem });
  };
  await attempt(names[0]!, async () => {
    const run = await runLin(sdk, host.library, { events: MOD_EVENTS, archive: archive('whole', modMenu, clipNames) });
    if (run.problem !== undefined) return run.problem;
    const boot = `ringdown: menu mod ${MOD_PREFIX}menu.xml, crc32 ${crcHex(crc32(readFileSync(modMenu)))}`;
    if (!run.notes.includes(boot)) return `no "${boot}" at boot (notes: ${run.notes.join(' | ')})`;
    const folder = readClipFolder(clipDir);
    return traceDifference(
      withoutPrefix(run.trace),
      simTrace(modMenu, MOD_EVENTS, new SimClipLibrary({ catalog: folder.catalog, durations: folder.durations })),
      TOLERANCE_MS,
    );
  });
  await attempt(names[1]!, () => refusedRun('missing-clip', modMenu, clipNames.slice(1), /error: clip|no clip for/));
  const broken = join(dir, 'broken.xml');
  writeFileSync(broken, readFileSync(modMenu, 'utf8').replace('</Response>', ''));
  await attempt(names[2]!, () => refusedRun('broken-menu', broken, clipNames, /error:/));
  return results;
}
