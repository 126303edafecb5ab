/**
 * The host board for the Moddable SDK's `lin` target (`mcconfig -m -p lin`): the real Moddable
 * clock and timers, the simulated SLIC, audio and outputs of boards/sim, and a scripted caller
 * whose events come from the manifest's `config.events` (override on the command line:
 * `mcconfig -m -p lin events="offhook@0 2@7"`). A clip "plays" for as long as its MAUD resource
 * lasts, or `config.clipMs` ms (2000) when the build has no such resource.
 */
import Resource from 'Resource';
import config from 'mc/config';
import type { Board } from '../../hal/board.js';
import { ModdableClock } from '../../hal/drivers/moddable-clock.js';
import { maudDurationMs } from '../../hal/drivers/resource-clips.js';
import type { Ringer } from '../../hal/ringer.js';
import { parseEvents } from '../sim/events.js';
import { SimAudio } from '../sim/sim-audio.js';
import { SimLineFeed } from '../sim/sim-line.js';
import { SimOutputs } from '../sim/sim-outputs.js';
import { ScriptedCaller } from './scripted-caller.js';

const DEFAULT_EVENTS = 'offhook@0 2@7 onhook@20';
const DEFAULT_CLIP_MS = 2000;

/** No bell on a desktop: ringing is only traced by the phone. */
const silentRinger: Ringer = { start: () => undefined, stop: () => undefined };

function clipLength(clip: string): number | undefined {
  const path = `${clip}.maud`;
  return Resource.exists(path) ? maudDurationMs(new Uint8Array(new Resource(path).slice(0, 12))) : undefined;
}

export function createBoard(): Board {
  const clock = new ModdableClock();
  const caller = new ScriptedCaller(clock);
  const script = typeof config.events === 'string' ? config.events : DEFAULT_EVENTS;
  const events = parseEvents(script);
  if (typeof events === 'string') trace(`ringdown: config.events: ${events}\n`);
  // Started on the next tick, after the phone has taken the hook and DTMF callbacks.
  else clock.schedule(0, () => caller.play(events));
  const clipMs = Number(config.clipMs ?? DEFAULT_CLIP_MS);
  return {
    clock,
    audio: new SimAudio(clock, (clip) => clipLength(clip) ?? clipMs),
    line: new SimLineFeed(clock),
    hook: caller,
    dtmf: caller,
    ringer: silentRinger,
    outputs: new SimOutputs(clock),
  };
}
