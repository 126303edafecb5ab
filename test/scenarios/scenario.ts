/**
 * Scenarios: a menu, a script of line events, and the options of the call; the exact trace each
 * must give is its file in test/scenarios/traces/ (traces.ts). The same table runs on Node (tap)
 * and on the XS engine (the XS lane); this module is pure so it bundles for XS.
 */
import { parseEvents } from '../../sim/events.js';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { simulate } from '../../sim/simulate.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { profileNamed } from '../../src/line/profile.js';
import { loadMenu } from '../../src/ozml/load.js';

export interface Scenario {
  name: string;
  /** Path of the menu file from the repository root. */
  menu: string;
  events: string;
  clipMs: number;
  untilMs?: number;
  profile?: string;
  /**
   * Script times (ms) at which the device lanes force XS garbage collections (a test pin of their
   * builds, boards/slic/slic-board.ts). The simulator has none: its trace is the one the device must give.
   */
  collectAtMs?: number[];
  /** What `say:NAME@S` events put on the line: a 440 Hz tone `ms` long at `amplitude` (of 32767). */
  voices?: Record<string, { ms: number; amplitude: number }>;
}

/** A scenario's voice: a 440 Hz sine at 8 kHz, as pure code so XS makes the same samples. */
export function scenarioVoice(ms: number, amplitude: number): Int16Array {
  const out = new Int16Array(ms * 8);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / 8000));
  return out;
}

/** Runs a scenario on the simulated board; `menuText` is the menu file's contents. */
export function runScenario(scenario: Scenario, menuText: string): TraceEvent[] {
  const loaded = loadMenu(menuText, undefined, SIM_OUTPUT_NAMES);
  if (loaded.menu === undefined) {
    const d = loaded.diagnostics[0];
    throw new Error(`${scenario.menu}:${d?.line}:${d?.col}: ${d?.message}`);
  }
  const events = parseEvents(scenario.events);
  if (typeof events === 'string') throw new Error(events);
  const profile = profileNamed(scenario.profile ?? 'us');
  if (profile === undefined) throw new Error(`unknown profile ${scenario.profile}`);
  return simulate({
    menu: loaded.menu,
    events,
    clips: new SimClipLibrary({ fixedMs: scenario.clipMs }),
    profile,
    ...(scenario.untilMs !== undefined ? { untilMs: scenario.untilMs } : {}),
    voices: (file) => {
      const voice =
        scenario.voices !== undefined && Object.hasOwn(scenario.voices, file) ? scenario.voices[file] : undefined;
      return voice !== undefined ? scenarioVoice(voice.ms, voice.amplitude) : undefined;
    },
  }).trace;
}

/** The first event where two traces differ, described; undefined when they are equal. */
export function firstDifference(actual: readonly TraceEvent[], expected: readonly TraceEvent[]): string | undefined {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = canonical(actual[i]);
    const e = canonical(expected[i]);
    if (a !== e) return `event ${i}: expected ${e}, got ${a}`;
  }
  return undefined;
}

/** JSON with keys sorted, so field order does not matter. */
function canonical(event: TraceEvent | undefined): string {
  if (event === undefined) return '(nothing)';
  return JSON.stringify(event, Object.keys(event).sort());
}
