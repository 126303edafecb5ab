/**
 * A scripted call on the emulated Pico, played at its pins (tools/device/rp2040.ts): the SLIC's
 * SHK level for `offhook`/`onhook`, `flash` (300 ms open), `break:MS` and `dial:N` (10 pps
 * break/make pulses, src/line/rotary.ts); the MT8870's Q1-Q4 code and StD (high 40 ms, its
 * shortest valid tone) for keys; the doorbell button held low from 20 ms before `ring` (its
 * debounce) so the press counts at the scripted time. The firmware's trace comes from its UART.
 *
 * Times: the board's ready line gives its clock's origin on the chip's tick counter; the script
 * starts 200 ms after that line, on a whole 10 ms (time 0: the trace line has left the UART), and every trace time is moved onto
 * that origin, so the trace reads like `ringdown sim --levels`. Pin changes happen 0.1 ms into
 * their millisecond. Without `untilMs` the run ends once the trace has been quiet for `quietMs`
 * of emulated time after the last scripted event (the firmware traces no `end`): see `quietMs`.
 * Read back: the SLIC's RM and F/R levels, and the I2S data line as sound (|sample| > 64), as
 * segments of script time.
 */
import type { SimEvent } from '../../sim/events.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { digitPulses, pulseTrain } from '../../src/line/rotary.js';
import { parseTraceLine } from './compare.js';
import type { PicoMachine } from './rp2040.js';

export interface PicoBoardPins {
  shk: number;
  rm: number;
  fr: number;
  q1: number;
  q2: number;
  q3: number;
  q4: number;
  std: number;
  bell: number;
}

export interface PicoRunOptions {
  events: readonly SimEvent[];
  pins: PicoBoardPins;
  untilMs?: number;
  /**
   * Quiet emulated time that ends a run without `untilMs`: 3 s once the last trace event is the
   * phone back at rest (`idle`, a `hangup` or its tone), else 30 s (a Delay or a wait in between).
   */
  quietMs?: number;
  /** Emulated ms allowed from reset to the ready line (default 15 s). */
  bootLimitMs?: number;
  onTrace?: (event: TraceEvent) => void;
  /**
   * A lane build's collection pin (`collectPin`, boards/slic/slic-board.ts) and the script times
   * at which it is pulsed high for 1 ms: each pulse forces XS garbage collections there.
   */
  collect?: { pin: number; atMs: readonly number[] };
}

export interface PicoRun {
  trace: TraceEvent[];
  notes: string[];
  problem?: string;
  /** Chip cycles (125 MHz) from reset to the ready line. */
  readyCycles?: number;
  /** The ready line's memory figures. */
  memory?: string;
  /** Largest delay from a trace event's time to its line on the UART (emulated ms). */
  lagMs: number;
  /** Sound on the I2S data line, [start, end) in script ms. */
  sound: [number, number][];
  /** RM / F/R level changes the firmware drove, [script ms, level]. */
  rm: [number, boolean][];
  fr: [number, boolean][];
  /** Emulated ms of the whole run, and of it skipped over the idle spin. */
  emulatedMs: number;
  skippedMs: number;
}

const KEYS = 'D1234567890*#ABC';
const FLASH_MS = 300;
const STD_MS = 40;
const BELL_DEBOUNCE_MS = 20;
const SOUND_LEVEL = 64;
/** Gaps shorter than this between loud samples belong to one sound. */
const SOUND_GAP_MS = 30;

interface PinChange {
  atMs: number;
  pin: number;
  high: boolean;
}

/** The pin changes of a script, in time order (script ms). */
export function pinChanges(
  events: readonly SimEvent[],
  pins: PicoBoardPins,
  collect?: PicoRunOptions['collect'],
): PinChange[] | string {
  const changes: PinChange[] = [];
  for (const atMs of collect?.atMs ?? [])
    changes.push({ atMs, pin: collect!.pin, high: true }, { atMs: atMs + 1, pin: collect!.pin, high: false });
  const hook = (atMs: number, offHook: boolean): void => void changes.push({ atMs, pin: pins.shk, high: offHook });
  for (const e of events) {
    const at = e.at;
    switch (e.what) {
      case 'offhook':
      case 'onhook':
        hook(at, e.what === 'offhook');
        break;
      case 'flash':
        hook(at, false);
        hook(at + FLASH_MS, true);
        break;
      case 'break':
        hook(at, false);
        hook(at + e.ms, true);
        break;
      case 'dial':
        for (const c of pulseTrain(digitPulses(e.key) ?? 0)) hook(at + c.atMs, c.offHook);
        break;
      case 'key': {
        const code = KEYS.indexOf(e.key);
        if (code < 0) return `key ${e.key} has no MT8870 code`;
        changes.push(
          { atMs: at, pin: pins.q1, high: (code & 1) !== 0 },
          { atMs: at, pin: pins.q2, high: (code & 2) !== 0 },
          { atMs: at, pin: pins.q3, high: (code & 4) !== 0 },
          { atMs: at, pin: pins.q4, high: (code & 8) !== 0 },
          { atMs: at + 0.01, pin: pins.std, high: true },
          { atMs: at + STD_MS, pin: pins.std, high: false },
        );
        break;
      }
      case 'ring':
        if (e.trigger !== 'ring' && e.trigger !== 'doorbell')
          return `ring:${e.trigger}: the Pico board has one ring input (the doorbell button)`;
        changes.push(
          { atMs: at - BELL_DEBOUNCE_MS, pin: pins.bell, high: false },
          { atMs: at + 100, pin: pins.bell, high: true },
        );
        break;
      case 'say':
        return `say:${e.file}: the Pico board has no audio input`;
    }
  }
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => a.c.atMs - b.c.atMs || a.i - b.i)
    .map(({ c }) => c);
}

export function runPico(machine: PicoMachine, options: PicoRunOptions): PicoRun {
  const result: PicoRun = { trace: [], notes: [], lagMs: 0, sound: [], rm: [], fr: [], emulatedMs: 0, skippedMs: 0 };
  try {
    return play(machine, options, result);
  } catch (e) {
    result.problem = e instanceof Error ? e.message : String(e);
    result.emulatedMs = machine.nanos / 1e6;
    return result;
  }
}

function play(machine: PicoMachine, options: PicoRunOptions, result: PicoRun): PicoRun {
  const { pins } = options;
  const changes = pinChanges(options.events, pins, options.collect);
  if (typeof changes === 'string') return { ...result, problem: changes };
  // Idle levels: on-hook, no tone, button released.
  machine.setInput(pins.shk, false);
  for (const p of [pins.q1, pins.q2, pins.q3, pins.q4, pins.std]) machine.setInput(p, false);
  if (options.collect !== undefined) machine.setInput(options.collect.pin, false);
  machine.setInput(pins.bell, true);

  let origin: number | undefined; // emulated ms since reset of script time 0
  let clockShift = 0; // tick ms minus board clock ms
  let lastLineNs = 0;
  machine.onLine = (text, atNs) => {
    lastLineNs = atNs;
    const ready = /; ready, clock (\d+) ms at ticks (\d+) ms$/.exec(text);
    if (ready !== null && origin === undefined) {
      clockShift = Number(ready[2]) - Number(ready[1]);
      origin = Math.ceil(atNs / 1e7) * 10 + 200;
      result.readyCycles = machine.cycles;
      result.memory = text.replace(/; ready, .*$/, '');
      return;
    }
    const event = parseTraceLine(text);
    if (event === undefined) {
      if (text.trim() !== '') result.notes.push(text);
      return;
    }
    const tickMs = event.t + clockShift;
    result.lagMs = Math.max(result.lagMs, Math.round(atNs / 1e6 - tickMs));
    const shifted = { ...event, t: tickMs - (origin ?? 0) } as TraceEvent;
    result.trace.push(shifted);
    options.onTrace?.(shifted);
  };
  // Sound: loud samples grouped into segments (script ms).
  let soundStart: number | undefined;
  let soundLast = -Infinity;
  machine.onSample = (sample, atNs) => {
    if (Math.abs(sample) <= SOUND_LEVEL || origin === undefined) return;
    const ms = atNs / 1e6 - origin;
    if (soundStart === undefined || ms - soundLast > SOUND_GAP_MS) {
      if (soundStart !== undefined) result.sound.push([Math.round(soundStart), Math.round(soundLast)]);
      soundStart = ms;
    }
    soundLast = ms;
  };
  const levels = { rm: false, fr: false };
  const watch = (): void => {
    if (origin === undefined) return;
    const now = Math.round(machine.nanos / 1e6 - origin);
    for (const name of ['rm', 'fr'] as const) {
      const level = machine.output(pins[name]);
      if (level !== levels[name]) {
        levels[name] = level;
        result[name].push([now, level]);
      }
    }
  };

  // Boot to the ready line.
  const bootLimit = (options.bootLimitMs ?? 15_000) * 1e6;
  while (origin === undefined && machine.nanos < bootLimit) machine.run(machine.nanos + 5e6);
  if (origin === undefined)
    return {
      ...result,
      problem: `no ready line from the firmware within ${bootLimit / 1e6} ms of emulated time`,
      emulatedMs: machine.nanos / 1e6,
    };
  const at = (scriptMs: number): number => (origin! + scriptMs) * 1e6 + 1e5;
  const step = (untilNs: number): void => {
    while (machine.nanos < untilNs) {
      machine.run(Math.min(untilNs, machine.nanos + 1e6));
      watch();
    }
  };
  for (const c of changes) {
    step(at(c.atMs));
    machine.setInput(c.pin, c.high);
  }
  const lastMs = changes.length > 0 ? changes[changes.length - 1]!.atMs : 0;
  if (options.untilMs !== undefined) step(at(options.untilMs) - 1e5);
  else {
    const quiet = (): number => {
      if (options.quietMs !== undefined) return options.quietMs * 1e6;
      const last = result.trace[result.trace.length - 1]?.type;
      return (last === 'idle' || last === 'hangup' || last === 'tone' ? 3000 : 30_000) * 1e6;
    };
    const cap = at(lastMs) + 600_000 * 1e6;
    step(at(lastMs));
    while (machine.nanos < cap && machine.nanos - Math.max(lastLineNs, at(lastMs)) < quiet())
      step(machine.nanos + 100e6);
    if (machine.nanos >= cap) result.problem = 'the trace did not go quiet within 600 s of the last scripted event';
  }
  if (soundStart !== undefined) result.sound.push([Math.round(soundStart), Math.round(soundLast)]);
  result.emulatedMs = machine.nanos / 1e6;
  result.skippedMs = machine.skippedNs / 1e6;
  return result;
}
