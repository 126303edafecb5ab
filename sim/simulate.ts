import type { ClipLibrary } from '../src/clips/catalog.js';
import type { InterpreterLimits } from '../src/engine/interpreter.js';
import { Phone, type RingTrigger } from '../src/engine/phone.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { NORTH_AMERICA, type LineProfile } from '../src/line/profile.js';
import type { Menu } from '../src/ozml/menu.js';
import { digitPulses, pulseTrain } from '../src/line/rotary.js';
import type { SimEvent } from './events.js';
import { SimAudio, type AudioSegment } from './sim-audio.js';
import { SimAudioInput } from './sim-audio-in.js';
import { MemoryRecordings } from './sim-recordings.js';
import { SimDtmf } from './sim-dtmf.js';
import { SimHook } from './sim-hook.js';
import { SimRinger } from './sim-ringer.js';
import { SimLineFeed } from './sim-line.js';
import { SimOutputs } from './sim-outputs.js';
import { VirtualClock } from './virtual-clock.js';

export interface SimulationOptions {
  menu: Menu;
  events: readonly SimEvent[];
  clips: ClipLibrary & { lengthOf(clip: string): number };
  profile?: LineProfile;
  /** Stop at this virtual time (ms) even if things are still pending. */
  untilMs?: number;
  limits?: InterpreterLimits;
  /** The menu run when a ring is answered (default: `menu`). */
  ringMenu?: Menu;
  /** Named ring triggers (`ring:NAME@S`), each with its menu and cadence. */
  triggers?: Readonly<Record<string, RingTrigger>>;
  /** How late the simulated SHK follows the loop while ringing (default 0). */
  ringLagMs?: number;
  /** Called with each trace event as it happens. */
  onTrace?: (event: TraceEvent) => void;
  /**
   * Play `offhook`, `onhook` and `flash` as hook levels through the line state machine (a flash
   * is the loop open for 300 ms), as the device's scripted caller does, instead of delivering
   * them as decided call events. `ringdown sim --levels`; what `ringdown device` is compared with.
   */
  levels?: boolean;
  /** The audio `say:FILE@S` puts on the line (8 kHz samples), by FILE; unknown names are an error event. */
  voices?: (file: string) => Int16Array | undefined;
  /** Where Record writes (default: a new store in memory, returned in the result). */
  recordings?: MemoryRecordings;
}

/** How long a scripted flash opens the loop when played as levels (boards/lin/scripted-caller.ts). */
export const LEVEL_FLASH_MS = 300;

export interface SimulationResult {
  trace: TraceEvent[];
  audio: AudioSegment[];
  /** Ringer starts (with their cadence) and stops. */
  rings: SimRinger['log'];
  /** Virtual time at which the run ended: the `t` of the final `end` event. */
  endMs: number;
  /** What Record kept. */
  recordings: MemoryRecordings;
}

/** Timer firings a run may take before it is stopped as runaway. */
const MAX_FIRINGS = 1_000_000;

/**
 * Runs a menu on the simulated board in virtual time: the scripted events, then whatever the
 * menu still has pending, until nothing but waiting for the handset remains (or `untilMs`).
 */
export function simulate(options: SimulationOptions): SimulationResult {
  const clock = new VirtualClock();
  const recordings = options.recordings ?? new MemoryRecordings();
  // A clip that names a kept recording (`Record clip="greeting"`, or a message) plays the recording.
  const recorded = new Map<string, number>();
  const clips: SimulationOptions['clips'] = {
    resolve: (text, clip) => {
      const samples = clip !== undefined ? recordings.recordings.get(clip) : undefined;
      if (clip === undefined || samples === undefined) return options.clips.resolve(text, clip);
      const ms = Math.round(samples.length / 8);
      recorded.set(clip, ms);
      return { clip, ms };
    },
    lengthOf: (clip) => recorded.get(clip) ?? options.clips.lengthOf(clip),
  };
  const audio = new SimAudio(clock, (clip) => clips.lengthOf(clip));
  const line = new SimLineFeed(clock);
  const outputs = new SimOutputs(clock);
  const hook = new SimHook(clock, options.ringLagMs ?? 0);
  const dtmf = new SimDtmf(clock);
  const ringer = new SimRinger(clock, (ringing) => (hook.ringing = ringing));
  const audioIn = new SimAudioInput(clock);
  const trace: TraceEvent[] = [];
  const record = (event: TraceEvent): void => {
    trace.push(event);
    options.onTrace?.(event);
  };
  const phone = new Phone({
    menu: options.menu,
    clock,
    audio,
    line,
    clips,
    profile: options.profile ?? NORTH_AMERICA,
    trace: record,
    outputs,
    hook,
    dtmf,
    ringer,
    audioIn,
    recordings,
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.ringMenu !== undefined ? { ringMenu: options.ringMenu } : {}),
    ...(options.triggers !== undefined ? { triggers: options.triggers } : {}),
  });
  for (const event of options.events) {
    clock.schedule(event.at, () => {
      switch (event.what) {
        case 'offhook':
          if (options.levels === true) return hook.set(true);
          hook.assume(true);
          return phone.offHook();
        case 'onhook':
          if (options.levels === true) return hook.set(false);
          hook.assume(false);
          return phone.onHook();
        case 'flash':
          if (options.levels !== true) return phone.flash();
          hook.set(false);
          clock.schedule(LEVEL_FLASH_MS, () => hook.set(true));
          return;
        case 'key':
          return dtmf.press(event.key);
        case 'ring':
          return phone.ring(event.trigger);
        case 'dial':
          for (const c of pulseTrain(digitPulses(event.key) ?? 0)) clock.schedule(c.atMs, () => hook.set(c.offHook));
          return;
        case 'break':
          hook.set(false);
          clock.schedule(event.ms, () => hook.set(true));
          return;
        case 'say': {
          const voice = options.voices?.(event.file);
          if (voice !== undefined) return audioIn.say(voice);
          return record({ t: clock.now(), type: 'error', message: `no audio for say:${event.file}` });
        }
      }
    });
  }
  const limit = options.untilMs ?? Infinity;
  let firings = 0;
  while (clock.step(limit)) {
    if (++firings > MAX_FIRINGS) {
      record({ t: clock.now(), type: 'error', message: `simulation stopped after ${MAX_FIRINGS} timer events` });
      break;
    }
  }
  if (options.untilMs !== undefined) clock.advanceTo(options.untilMs);
  const endMs = clock.now();
  for (const segment of audio.segments) if (segment.end === undefined) segment.end = endMs;
  record({ t: endMs, type: 'end' });
  return { trace, audio: audio.segments, rings: ringer.log, endMs, recordings };
}
