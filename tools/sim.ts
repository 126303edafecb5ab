/**
 * `ringdown sim MENU.xml --events "..." [--clip-ms N] [--clips DIR] [--until S] [--profile P]
 * [--ring-menu FILE] [--trigger NAME=FILE[:PROFILE]]... [--jsonl] [--wav FILE] [--recordings DIR] [--recordings-room S]`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Menu } from '../src/ozml/menu.js';
import type { RingTrigger } from '../src/engine/phone.js';
import { callSamples, renderCallInto, type RenderOptions } from '../sim/render-wav.js';
import type { AudioSegment } from '../sim/sim-audio.js';
import { deviceFormatProblem, encodeWav, MAX_CLIP_BYTES, readWavSamples } from '../src/audio/wav.js';
import { clipNameProblem } from '../src/clips/catalog.js';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import { simulate } from '../sim/simulate.js';
import { MemoryRecordings } from '../sim/sim-recordings.js';
import { RECORD_SAMPLE_RATE } from '../src/engine/recording.js';
import type { TraceEvent } from '../src/engine/trace.js';
import type { SimEvent } from '../sim/events.js';
import { profileNamed } from '../src/line/profile.js';
import { parseCallOptions } from './call-options.js';
import { Command } from './command.js';
import { findClipFolder, loadMenuFile, readClipFolder } from './menu-file.js';
import { outputProblem, prepareFolder, writeOutput } from './output.js';
import { readRegularFile } from './read-file.js';
import { BLOCK_SAMPLES, recordingTooLong, writeWavFile } from './wav-file.js';
import { decodeRecording, sniff } from './clips/decode.js';
import { convertToClip } from '../src/audio/convert.js';

export { formatTraceLine } from './trace-line.js';
import { formatTraceLine } from './trace-line.js';

/** The largest caller WAV `say:FILE` reads: 4 hours at 8 kHz, like the WAVs this tool writes. */
export const MAX_SAY_BYTES = 4 * 3600 * 8000 * 2 + 44;

/** A caller's voice: its samples at 8 kHz, and whether the file had to be converted to them. */
export interface Voice {
  samples: Int16Array;
  converted: boolean;
}

/**
 * The caller's audio for each `say:FILE` event, read once per file. An 8 kHz 16-bit mono WAV
 * (the device's format) is taken sample for sample, up to 4 hours; any other recording `clips`
 * converts (WAV of another rate, depth or channels, MP3, Ogg Vorbis, FLAC) is decoded with the
 * same decoder, up to MAX_RECORDING_SECONDS, and resampled and mixed to mono at its own level
 * (no filter, trim or gain: it stands for a caller, not a prompt). A message naming the file when
 * one cannot be used.
 */
export async function readVoices(events: readonly SimEvent[]): Promise<Map<string, Voice> | string> {
  const voices = new Map<string, Voice>();
  for (const event of events) {
    if (event.what !== 'say' || voices.has(event.file)) continue;
    const bytes = readRegularFile(event.file, MAX_SAY_BYTES, 'a caller recording');
    const problem = (text: string): string =>
      `${event.file}: error: ${text} (say:FILE takes a recording: WAV, MP3, Ogg Vorbis or FLAC)`;
    if (!(bytes instanceof Uint8Array)) return problem(bytes.problem);
    const wav = sniff(bytes) === 'wav' ? readWavSamples(bytes) : undefined;
    if (wav !== undefined && typeof wav !== 'string' && deviceFormatProblem(wav.info) === undefined) {
      voices.set(event.file, { samples: wav.samples, converted: false });
      continue;
    }
    const pcm = await decodeRecording(bytes);
    if (typeof pcm === 'string') return problem(pcm);
    voices.set(event.file, { samples: convertToClip(pcm, { highPassHz: 0, peakDbfs: null }).samples, converted: true });
  }
  return voices;
}

/**
 * Writes each recording as DIR/NAME.wav through the output policy (tools/output.ts): a file
 * already there with the same bytes counts as written, any other is left alone and named. Every
 * recording that can be written is; false (each problem said) when one was not. The folder is
 * checked first (`prepareFolder`); commands check it before their run too.
 */
export function writeRecordings(
  dir: string,
  recordings: ReadonlyMap<string, Int16Array>,
  command: string,
  err: (line: string) => void,
): boolean {
  const folder = prepareFolder(dir, command);
  if (folder !== undefined) {
    err(folder);
    return false;
  }
  let ok = true;
  for (const [name, samples] of recordings) {
    const problem = writeOutput(join(dir, `${name}.wav`), encodeWav(samples), { command, existing: 'keep' });
    if (problem !== undefined) {
      err(problem);
      ok = false;
    }
  }
  return ok;
}

/** The options `sim` and `device` share: the call script and what the call is played with. */
export const CALL_OPTIONS = {
  events: {
    name: 'events',
    type: 'string',
    value: '"WHAT@S ..."',
    default: 'offhook@0',
    description:
      "the caller's script, each event at S seconds: offhook, onhook, flash, a key 0-9 * # A-D, dial:N (pulse dialling), break:MS (the loop open MS ms), ring, ring:NAME (a named trigger), say:FILE (the caller speaks an 8 kHz 16-bit mono WAV into the line: what <Record> hears)",
  },
  clipMs: {
    name: 'clip-ms',
    type: 'string',
    value: 'N',
    description: "every clip plays N ms (without it: each clip's WAV length)",
  },
  clips: {
    name: 'clips',
    type: 'string',
    value: 'DIR',
    description: 'the clip folder (without it: clips/ beside the menu)',
  },
  until: { name: 'until', type: 'string', value: 'S', description: 'stop at S seconds' },
  profile: {
    name: 'profile',
    type: 'string',
    value: 'us|uk|cept',
    default: 'us',
    description: "the country's timings and tones",
  },
  ringMenu: { name: 'ring-menu', type: 'string', value: 'FILE', description: 'the menu for an answered ring' },
  jsonl: { name: 'jsonl', type: 'boolean', description: 'one JSON object per trace event' },
} as const;

export const SIM = new Command({
  name: 'sim',
  summary: 'run a call in virtual time and print its trace',
  description: 'Runs a call through the menu on the simulated line in virtual time and prints the trace.',
  positionals: [{ name: 'MENU.xml' }],
  options: [
    CALL_OPTIONS.events,
    CALL_OPTIONS.clipMs,
    CALL_OPTIONS.clips,
    CALL_OPTIONS.until,
    CALL_OPTIONS.profile,
    CALL_OPTIONS.ringMenu,
    {
      name: 'trigger',
      type: 'string',
      value: 'NAME=FILE[:P]',
      multiple: true,
      description: 'a named ring trigger (ring:NAME) with its own menu and profile',
    },
    {
      name: 'levels',
      type: 'boolean',
      description:
        "play offhook, onhook and flash as hook levels through the line's state machine, as the device's pins see them (off-hook traced after the 10 ms debounce): the trace ringdown device gives",
    },
    CALL_OPTIONS.jsonl,
    { name: 'wav', type: 'string', value: 'FILE', description: 'what the caller heard, as an 8 kHz WAV' },
    {
      name: 'recordings',
      type: 'string',
      value: 'DIR',
      description: 'write each recording a <Record> kept as DIR/NAME.wav (the folder is made)',
    },
    {
      name: 'recordings-room',
      type: 'string',
      value: 'S',
      description:
        'the simulated recording store holds S seconds of audio in all (without it: no bound), to try a full store',
    },
  ],
  exit: '0 ok, 1 the menu has errors or --wav/--recordings could not be written, 2 usage or input error (a file that cannot be read or used)',
  examples: ['ringdown sim examples/door-pin.xml --events "offhook@0 1@1.5 2@2 3@2.5 4@3 #@3.5" --clip-ms 1000'],
});

/**
 * Writes what the caller heard as an 8 kHz mono WAV, `endMs` long: clips come from `clipDir`
 * (a clip with no usable file is silence, with a warning), tones are synthesized. The WAV is
 * written block by block (constant memory); a run longer than MAX_RECORDING_MS is refused before
 * anything is written. False when nothing was written (the message went to `err`).
 */
export function writeCallWav(
  file: string,
  segments: readonly AudioSegment[],
  endMs: number,
  clipDir: string | undefined,
  err: (line: string) => void,
  recorded?: ReadonlyMap<string, Int16Array>,
  command = 'sim',
): boolean {
  const tooLong = recordingTooLong(endMs);
  if (tooLong !== undefined) {
    err(`${file}: error: ${tooLong}; nothing written (hint: end the run sooner with --until)`);
    return false;
  }
  const cache = new Map<string, Int16Array | undefined>();
  const clip = (name: string): Int16Array | undefined => {
    if (cache.has(name)) return cache.get(name);
    let samples: Int16Array | undefined = recorded?.get(name);
    if (samples !== undefined) return samples;
    const path =
      clipDir !== undefined && clipNameProblem(name) === undefined ? join(clipDir, `${name}.wav`) : undefined;
    if (path !== undefined && existsSync(path)) {
      const bytes = readRegularFile(path, MAX_CLIP_BYTES, 'a clip');
      const wav = bytes instanceof Uint8Array ? readWavSamples(bytes) : bytes.problem;
      const problem = typeof wav === 'string' ? wav : deviceFormatProblem(wav.info);
      if (problem !== undefined || typeof wav === 'string')
        err(`${path}: warning: ${problem ?? ''}; it is silent in ${file}`);
      else samples = wav.samples;
    }
    cache.set(name, samples);
    return samples;
  };
  const problem = writeWavFile(
    file,
    callSamples({ segments, endMs, clip }),
    callBlocks({ segments, endMs, clip }),
    command,
  );
  if (problem !== undefined) err(problem);
  return problem === undefined;
}

/** The call's samples in blocks of BLOCK_SAMPLES (one buffer, reused). */
export function* callBlocks(options: RenderOptions): Generator<Int16Array> {
  const total = callSamples(options);
  const block = new Int16Array(BLOCK_SAMPLES);
  for (let from = 0; from < total; from += BLOCK_SAMPLES) {
    const out = total - from < BLOCK_SAMPLES ? block.subarray(0, total - from) : block;
    renderCallInto(options, from, out);
    yield out;
  }
}

/**
 * The clips a simulated run plays: the clip folder given or found beside the menu (its problems
 * are warnings), or every clip `fixedMs` long.
 */
export function simClips(
  file: string,
  given: string | undefined,
  fixedMs: number | undefined,
  err: (line: string) => void,
): { clipDir: string | undefined; clips: SimClipLibrary } {
  const clipDir = findClipFolder(file, given);
  const folder = clipDir !== undefined ? readClipFolder(clipDir) : undefined;
  for (const p of folder?.problems ?? []) err(`${p.file}:1:1: warning: ${p.message}`);
  const clips = new SimClipLibrary({
    ...(folder !== undefined ? { catalog: folder.catalog, durations: folder.durations } : {}),
    ...(fixedMs !== undefined ? { fixedMs } : {}),
  });
  return { clipDir, clips };
}

/** `--recordings-room SECONDS` as samples the store holds (unbounded when absent), or the problem. */
function recordingsRoom(text: string | undefined): number | string {
  if (text === undefined) return Infinity;
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text.trim()))
    return `ringdown sim: --recordings-room ${text}: expected the seconds of audio the store holds, for example 30`;
  return Math.round(Number(text) * RECORD_SAMPLE_RATE);
}

/** `--trigger NAME=FILE[:PROFILE]` options as ring triggers; a bad one is said and its exit code returned. */
function loadTriggers(
  specs: readonly string[],
  load: (path: string) => Menu | 1 | 2,
  err: (line: string) => void,
): Record<string, RingTrigger> | 1 | 2 {
  // No prototype: a trigger's name is only ever its own property.
  const triggers: Record<string, RingTrigger> = Object.create(null) as Record<string, RingTrigger>;
  for (const spec of specs) {
    const m = /^([A-Za-z][A-Za-z0-9_-]*)=(.+?)(?::(us|uk|cept))?$/.exec(spec);
    if (m === null) {
      err(`ringdown sim: --trigger ${spec}: expected NAME=FILE or NAME=FILE:PROFILE (us, uk, cept)`);
      return 2;
    }
    const triggerMenu = load(m[2]!);
    if (typeof triggerMenu === 'number') return triggerMenu;
    const cadence = m[3] !== undefined ? profileNamed(m[3])?.ring : undefined;
    triggers[m[1]!] = { menu: triggerMenu, ...(cadence !== undefined ? { cadence } : {}) };
  }
  return triggers;
}

export async function runSim(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const args = SIM.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const file = args.positionals[0]!;
  const options = parseCallOptions(values, 'sim');
  if (typeof options === 'string') {
    err(options);
    return 2;
  }
  const { events, profile, fixedMs, untilMs } = options;
  const room = recordingsRoom(values['recordings-room']);
  if (typeof room === 'string') {
    err(room);
    return 2;
  }
  const voices = await readVoices(events);
  if (typeof voices === 'string') {
    err(voices);
    return 2;
  }
  const menu = loadMenuFile(file, err, SIM_OUTPUT_NAMES);
  if (typeof menu === 'number') return menu;
  const loadOther = (path: string): Menu | 1 | 2 => loadMenuFile(path, err, SIM_OUTPUT_NAMES);
  let ringMenu: Menu | undefined;
  if (values['ring-menu'] !== undefined) {
    const other = loadOther(values['ring-menu']);
    if (typeof other === 'number') return other;
    ringMenu = other;
  }
  const triggers = loadTriggers(values.trigger ?? [], loadOther, err);
  if (typeof triggers === 'number') return triggers;
  // Where the run writes is checked before the run, so a bad destination costs no call.
  const destination =
    (values.wav !== undefined
      ? outputProblem(values.wav, { command: 'sim', existing: 'replace', stream: true })
      : undefined) ?? (values.recordings !== undefined ? prepareFolder(values.recordings, 'sim') : undefined);
  if (destination !== undefined) {
    err(destination);
    return 1;
  }
  const { clipDir, clips } = simClips(file, values.clips, fixedMs, err);
  const print =
    values.jsonl === true ? (e: TraceEvent) => out(JSON.stringify(e)) : (e: TraceEvent) => out(formatTraceLine(e));
  const run = simulate({
    menu,
    events,
    clips,
    profile,
    onTrace: print,
    triggers,
    levels: values.levels === true,
    voices: (name) => voices.get(name)?.samples,
    recordings: new MemoryRecordings(room),
    ...(untilMs !== undefined ? { untilMs } : {}),
    ...(ringMenu !== undefined ? { ringMenu } : {}),
  });
  if (
    values.wav !== undefined &&
    !writeCallWav(values.wav, run.audio, run.endMs, clipDir, err, run.recordings.recordings, 'sim')
  )
    return 1;
  if (values.recordings !== undefined && !writeRecordings(values.recordings, run.recordings.recordings, 'sim', err))
    return 1;
  for (const text of clips.estimated) {
    err(
      `${file}: warning: no clip for ${JSON.stringify(text)}; its length was estimated from the text (give --clip-ms or run ringdown clips)`,
    );
  }
  return 0;
}
