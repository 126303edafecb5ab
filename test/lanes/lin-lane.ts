/**
 * The device lane of `npm test`: every exact-trace scenario (test/scenarios/table.ts), the menus at
 * the loader's limits and every example menu, run on the real firmware: the desktop (`lin`) build
 * made by the Moddable SDK's `mcconfig`, booted under `mcsim`, with the call script played at the
 * SLIC's pins. Each device trace is compared with the simulator's for the same script played as
 * hook levels (`simulate({ levels: true })`), event by event, times within 20 ms. The <Record>
 * scenarios and a guestbook call put their caller's voice (`say:`) on the firmware's audio input
 * from WAVs, and the recordings the firmware keeps on its flash image must equal the simulator's,
 * sample for sample. The runs with a caller's voice play their sounds through the ESP32 boards'
 * AudioOut player (RINGDOWN_AUDIO_OUT: a re-recorded greeting streamed from the flash image in
 * blocks): each sound the firmware played must be the simulator's, sample for sample (a sound cut
 * by an event: as long within the tolerance, the same samples as far as both go). Then mods (test/lanes/mod-lane.ts): archives built by mcrun, installed into
 * one firmware. Without the SDK (or xvfb-run) it prints one line saying why and `# lane: skipped`,
 * which is not a pass. `node dist/test/lanes/lin-lane.js TEXT` runs only the runs whose name holds
 * TEXT (and no mods).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseEvents } from '../../sim/events.js';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { simulate } from '../../sim/simulate.js';
import { callerVoice } from '../../sim/test-voice.js';
import { encodeWav } from '../../src/audio/wav.js';
import type { AudioSegment } from '../../sim/sim-audio.js';
import { MemoryRecordings } from '../../sim/sim-recordings.js';
import { renderTone } from '../../src/tones/synth.js';
import { readRecordingSamples, readStoredRecordings } from '../../src/calllog/flash-recordings.js';
import { MemoryStore } from '../../src/calllog/memory-store.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { profileNamed } from '../../src/line/profile.js';
import { SCENARIOS } from '../scenarios/table.js';
import { scenarioVoice } from '../scenarios/scenario.js';
import { readClipFolder, readMenuFile } from '../../tools/menu-file.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { largestSkew, traceDifference } from '../../tools/device/compare.js';
import { buildLin, headless, runLin } from '../../tools/device/lin.js';
import { findSdk, which } from '../../tools/device/sdk.js';
import { modRuns } from './mod-lane.js';
import { stage } from '../../tools/device/stage.js';

/** How far a device event may be from the simulator's (real timers against virtual time). */
export const TOLERANCE_MS = 20;
/** Firmware runs at once (each mostly waits on its timers). */
const PARALLEL = 4;

interface Run {
  name: string;
  menu: string;
  events: string;
  clipMs?: number;
  untilMs?: number;
  /** A clip folder whose WAVs the build turns into MAUD resources. */
  clips?: string;
  /** The caller's audio for `say:FILE` by FILE (written as WAVs the firmware reads). */
  voices?: Map<string, Int16Array>;
}

/** A sound the simulator played, with the samples the caller heard while it played. */
interface SimSound {
  name: string;
  samples: Int16Array;
  /** It played to its end (not cut by an event). */
  whole: boolean;
  kind: AudioSegment['kind'];
}

const LANE_DIR = join(REPO_ROOT, 'build', 'ringdown', 'device-lane');
/** Each run's recordings image: 1 MB (the lane's longest recording is 26 s, 420 KB). */
const LANE_RECORDINGS_BYTES = 1024 * 1024;

/** The simulator's trace and kept recordings for a run, the script played as hook levels as on the device. */
function simRun(run: Run): {
  trace: TraceEvent[];
  recordings: ReadonlyMap<string, Int16Array>;
  sounds: SimSound[];
} {
  const loaded = readMenuFile(join(REPO_ROOT, run.menu), SIM_OUTPUT_NAMES);
  if (loaded.menu === undefined) throw new Error(`${run.menu} does not load`);
  const events = parseEvents(run.events);
  if (typeof events === 'string') throw new Error(events);
  const folder = run.clips !== undefined ? readClipFolder(run.clips) : undefined;
  const clips = new SimClipLibrary({
    ...(folder !== undefined ? { catalog: folder.catalog, durations: folder.durations } : {}),
    ...(run.clipMs !== undefined ? { fixedMs: run.clipMs } : {}),
  });
  // Each clip played: a kept recording's samples when it named one at that moment, else the
  // stand-in clip's silence (the lane's clips are lengths only).
  const recordings = new MemoryRecordings();
  const played: { samples: Int16Array; ms: number }[] = [];
  const onTrace = (event: TraceEvent): void => {
    if (event.type !== 'play') return;
    const kept = recordings.recordings.get(event.clip);
    const recorded = kept !== undefined && Math.round(kept.length / 8) === event.ms;
    played.push({ samples: recorded ? kept : new Int16Array(event.ms * 8), ms: event.ms });
  };
  const result = simulate({
    menu: loaded.menu,
    events,
    clips,
    recordings,
    onTrace,
    profile: profileNamed('us')!,
    levels: true,
    ...(run.untilMs !== undefined ? { untilMs: run.untilMs } : {}),
    ...(run.voices !== undefined ? { voices: (file: string) => run.voices?.get(file) } : {}),
  });
  let clip = 0;
  const sounds = result.audio.map((segment): SimSound => {
    const length = Math.round((segment.end ?? result.endMs) * 8) - Math.round(segment.start * 8);
    if (segment.kind === 'tone' && segment.tone !== undefined) {
      const samples = new Int16Array(length);
      renderTone(segment.tone, 8000, 0, samples, 0, length);
      return { name: segment.name, samples, whole: false, kind: 'tone' };
    }
    const full = played[clip++]?.samples ?? new Int16Array(0);
    const whole = length >= full.length;
    return { name: segment.name, samples: full.subarray(0, length), whole, kind: 'clip' };
  });
  return { trace: result.trace, recordings: result.recordings.recordings, sounds };
}

/**
 * The first difference between the sounds the firmware played (RINGDOWN_AUDIO_OUT: one file a
 * sound, in order) and the simulator's: a sound that played to its end must be the same samples;
 * one cut by an event as long within the lane's tolerance and the same samples as far as both go
 * (a tone within 1 of them: the firmware repeats one rendered block of it).
 */
function soundDifference(dir: string, sim: readonly SimSound[]): string | undefined {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.raw'))
        .sort()
    : [];
  const names = files.map((f) => f.replace(/^\d+-|\.raw$/g, ''));
  if (names.join(' ') !== sim.map((s) => s.name).join(' '))
    return `sounds played: device [${names.join(', ')}], sim [${sim.map((s) => s.name).join(', ')}]`;
  for (let i = 0; i < files.length; i++) {
    const bytes = readFileSync(join(dir, files[i]!));
    const device = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    const expected = sim[i]!;
    const label = `sound ${i + 1} (${expected.name})`;
    if (expected.whole && device.length !== expected.samples.length)
      return `${label}: device ${device.length} samples, sim ${expected.samples.length}`;
    if (Math.abs(device.length - expected.samples.length) > TOLERANCE_MS * 8)
      return `${label}: device ${device.length} samples, sim ${expected.samples.length} (cut)`;
    const slack = expected.kind === 'tone' ? 1 : 0;
    const n = Math.min(device.length, expected.samples.length);
    for (let k = 0; k < n; k++)
      if (Math.abs(device[k]! - expected.samples[k]!) > slack)
        return `${label}: sample ${k} is ${device[k]} on the device, ${expected.samples[k]} in the sim`;
  }
  return undefined;
}

/**
 * A run's voices as WAV files in `dir`, and its script with each `say:NAME` naming its file (the
 * firmware reads the WAV when the event comes; the simulator is given the same samples by path).
 */
function withVoices(
  name: string,
  events: string,
  voices: Record<string, Int16Array>,
  dir: string,
): { events: string; voices: Map<string, Int16Array> } {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, Int16Array>();
  const slug = name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
  const script = events.replace(/say:([^\s@]+)@/g, (_, voice: string) => {
    const samples = voices[voice];
    if (samples === undefined) return `say:${voice}@`;
    const path = join(dir, `${slug}-${voice}.wav`);
    writeFileSync(path, encodeWav(samples));
    files.set(path, samples);
    return `say:${path}@`;
  });
  return { events: script, voices: files };
}

/** The first difference between the firmware's kept recordings (its flash image) and the simulator's. */
function recordingDifference(image: string, sim: ReadonlyMap<string, Int16Array>): string | undefined {
  const device = new Map<string, Int16Array>();
  if (existsSync(image)) {
    const store = new MemoryStore(4096, new Uint8Array(readFileSync(image)));
    for (const r of readStoredRecordings(store)) if (r.complete) device.set(r.name, readRecordingSamples(store, r.id));
  }
  const names = (m: ReadonlyMap<string, Int16Array>): string => [...m.keys()].sort().join(', ');
  if (names(device) !== names(sim)) return `recordings: device [${names(device)}], sim [${names(sim)}]`;
  for (const [name, samples] of sim) {
    const kept = device.get(name)!;
    if (kept.length !== samples.length)
      return `recording ${name}: device ${kept.length} samples, sim ${samples.length}`;
    const at = samples.findIndex((v, i) => v !== kept[i]);
    if (at >= 0) return `recording ${name}: sample ${at} is ${kept[at]} on the device, ${samples[at]!} in the sim`;
  }
  return undefined;
}

/** Example menus with clips made for them (espeak-ng), or the reason there are none. */
function exampleRuns(): Run[] | string {
  const menus = [
    'examples/door-phone.xml',
    'examples/door-pin.xml',
    ...readdirSync(join(REPO_ROOT, 'examples', 'ozeki'))
      .filter((f) => f.endsWith('.xml'))
      .map((f) => `examples/ozeki/${f}`),
  ];
  const usable = menus.filter((m) => readMenuFile(join(REPO_ROOT, m), SIM_OUTPUT_NAMES).menu !== undefined);
  if (which('espeak-ng') === undefined) return 'espeak-ng is missing, so the example menus have no clips to build';
  const clips = join(LANE_DIR, 'clips');
  const made = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'ringdown.js'), 'clips', ...usable.map((m) => join(REPO_ROOT, m)), '--out', clips],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) return `ringdown clips failed: ${(made.stderr ?? '').trim().split('\n').pop() ?? ''}`;
  return usable.map((menu) => ({
    name: `${menu} with its clips (MAUD lengths)`,
    menu,
    events: 'offhook@0 1@6 2@8 0@10 #@12',
    clips,
  }));
}

async function main(): Promise<void> {
  const sdk = findSdk();
  const display = typeof sdk === 'string' ? undefined : headless(sdk);
  const skip = typeof sdk === 'string' ? sdk : typeof display === 'string' ? display : undefined;
  if (skip !== undefined || typeof sdk === 'string') {
    process.stdout.write(`# device lane skipped: ${skip ?? ''}\n# lane: skipped\n`);
    return;
  }
  process.stdout.write(`# device lane: Moddable SDK ${sdk.version ?? '(version unknown)'} at ${sdk.root}\n`);
  // <Record> scenarios: their voices (say:NAME) are WAVs the firmware reads from the host; the
  // recordings it keeps on its file-backed flash are compared with the simulator's, sample by sample.
  const voiceDir = join(LANE_DIR, 'voices');
  rmSync(voiceDir, { recursive: true, force: true });
  const runs: Run[] = SCENARIOS.map((s) => {
    const voices =
      s.voices === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(s.voices).map(([k, { ms, amplitude }]) => [k, scenarioVoice(ms, amplitude)]),
          );
    const scripted = voices === undefined ? { events: s.events } : withVoices(s.name, s.events, voices, voiceDir);
    return {
      name: s.name,
      menu: s.menu,
      ...scripted,
      clipMs: s.clipMs,
      ...(s.untilMs !== undefined ? { untilMs: s.untilMs } : {}),
    };
  });
  // The guestbook with a caller talking over the beep for 20 s, hanging up at 30 s.
  runs.push({
    name: "examples/guestbook.xml: a caller WAV from 3 s, on-hook at 30 s; the recording equals the simulator's",
    menu: 'examples/guestbook.xml',
    clipMs: 4000,
    ...withVoices('guestbook', 'offhook@0 say:caller@3 onhook@30', { caller: callerVoice(20) }, voiceDir),
  });
  runs.push(
    {
      name: 'the deepest menu the loader allows boots and runs',
      menu: 'test/menus/limits-deepest.xml',
      events: 'offhook@0 1@0.5',
      clipMs: 300,
    },
    {
      name: 'the largest menu the loader allows boots and runs',
      menu: 'test/menus/limits-largest.xml',
      events: 'offhook@0 2@1',
      clipMs: 300,
    },
  );
  const only = process.argv[2];
  const examples = only === undefined ? exampleRuns() : `only the runs named with "${only}"`;
  if (typeof examples === 'string') process.stdout.write(`# example menus with clips skipped: ${examples}\n`);
  else runs.push(...examples);
  if (only !== undefined) runs.splice(0, runs.length, ...runs.filter((r) => r.name.includes(only)));

  // One firmware per menu and clip set: build them in turn, keep a copy of each mc.so.
  mkdirSync(LANE_DIR, { recursive: true });
  const libraries = new Map<string, string | { problem: string }>();
  for (const run of runs) {
    const key = `${run.menu}|${run.clips ?? ''}`;
    if (libraries.has(key)) continue;
    const staged = stage(
      { menu: join(REPO_ROOT, run.menu), ...(run.clips !== undefined ? { clips: run.clips } : {}) },
      join(LANE_DIR, 'stage'),
    );
    const build = buildLin(sdk, staged, { profile: 'us' });
    if (!build.ok) {
      libraries.set(key, { problem: `build failed: ${build.log.trim().split('\n').slice(-3).join(' | ')}` });
      continue;
    }
    const copy = join(LANE_DIR, `firmware-${libraries.size}.so`);
    copyFileSync(build.library, copy);
    libraries.set(key, copy);
  }

  let passed = 0;
  let failed = 0;
  let worstSkew = 0;
  let recorded = 0;
  let played = 0;
  let streamed = 0;
  const skews: number[] = new Array<number>(runs.length).fill(0);
  const results: string[] = new Array<string>(runs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < runs.length) {
      const index = next++;
      const run = runs[index]!;
      const library = libraries.get(`${run.menu}|${run.clips ?? ''}`)!;
      let problem: string | undefined;
      if (typeof library !== 'string') problem = library.problem;
      else {
        const image = join(LANE_DIR, `recordings-${index + 1}.bin`);
        rmSync(image, { force: true });
        const sounds = run.voices !== undefined ? join(LANE_DIR, `sounds-${index + 1}`) : undefined;
        if (sounds !== undefined) {
          rmSync(sounds, { recursive: true, force: true });
          mkdirSync(sounds, { recursive: true });
        }
        const device = await runLin(sdk, library, {
          events: run.events,
          recordings: image,
          recordingsBytes: LANE_RECORDINGS_BYTES,
          ...(sounds !== undefined ? { audioOut: sounds } : {}),
          ...(run.clipMs !== undefined ? { clipMs: run.clipMs } : {}),
          ...(run.untilMs !== undefined ? { untilMs: run.untilMs } : {}),
        });
        const sim = simRun(run);
        problem =
          device.problem ??
          traceDifference(device.trace, sim.trace, TOLERANCE_MS) ??
          recordingDifference(image, sim.recordings) ??
          (sounds !== undefined ? soundDifference(sounds, sim.sounds) : undefined);
        if (problem === undefined && sounds !== undefined) {
          played += sim.sounds.length;
          streamed += sim.sounds.filter((s) => s.kind === 'clip' && s.samples.some((v) => v !== 0)).length;
          rmSync(sounds, { recursive: true, force: true });
        }
        if (problem === undefined) {
          skews[index] = largestSkew(device.trace, sim.trace);
          worstSkew = Math.max(worstSkew, skews[index]!);
        }
        if (problem === undefined && run.voices !== undefined) recorded += sim.recordings.size;
        rmSync(image, { force: true });
      }
      if (problem === undefined) passed++;
      else failed++;
      results[index] =
        problem === undefined
          ? `ok ${index + 1} - ${run.name}${skews[index]! > 0 ? ` (${skews[index]} ms from the simulator)` : ''}`
          : `FAILED ${index + 1} - ${run.name} (${run.menu} "${run.events}"): ${problem}`;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, () => worker()));
  for (const line of results) process.stdout.write(`${line}\n`);
  // Mods: one more firmware, then archives installed into it (test/lanes/mod-lane.ts).
  for (const { name, problem } of only === undefined ? await modRuns(sdk, LANE_DIR) : []) {
    if (problem === undefined) passed++;
    else failed++;
    process.stdout.write(problem === undefined ? `ok - ${name}\n` : `FAILED - ${name}: ${problem}\n`);
  }
  process.stdout.write(
    `# ${libraries.size} firmware builds; largest device-to-simulator time difference ${worstSkew} ms (tolerance ${TOLERANCE_MS} ms)\n`,
  );
  process.stdout.write(
    `# ${runs.filter((r) => r.voices !== undefined).length} runs with a caller's voice; ${recorded} recordings kept on the device's flash image, each sample-equal to the simulator's\n`,
  );
  process.stdout.write(
    `# their sounds through the AudioOut player: ${played} played as the simulator's, ${streamed} of them kept recordings streamed from the flash image\n`,
  );
  process.stdout.write(`# lane: ${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (existsSync(REPO_ROOT)) await main();
