/** The menu a document describes: what the interpreter runs. Every command keeps its position. */

/** Keys a caller can send: DTMF digits and letters, plus `F` for a hook flash. */
export const KEYS = '0123456789*#ABCDF';

/** The longest call when the menu does not say (Response `TimeLimit`), so no menu holds the line forever. */
export const DEFAULT_TIME_LIMIT_MS = 600_000;

export interface Position {
  line: number;
  col: number;
}

export interface DelayCommand extends Position {
  kind: 'delay';
  ms: number;
}

/** `Speak` (a clip found by its text) and `Play` (a clip by name) both become this. */
export interface SpeakCommand extends Position {
  kind: 'speak';
  /** The text as written, white space collapsed (for Play, the AudioFile as written). */
  text: string;
  /** The clip named by a `clip` attribute or Play's AudioFile, if any. */
  clip?: string;
  /**
   * A `clip` with `{n}` (`clip="guest-{n}"`): the newest kept recording of that name pattern (the
   * highest number) plays; with none, the text does. `clip` is then unset.
   */
  newest?: string;
  /** A `CallId` naming another call: the command does nothing on this one-line device. */
  callId?: string;
  /** Whether a key stops it (default true); when false, keys wait until it ends. */
  bargeIn: boolean;
}

export interface HangupCommand extends Position {
  kind: 'hangup';
  callId?: string;
}

/** Sets or pulses one of the board's named digital outputs (a door strike, an LED). */
export interface OutputCommand extends Position {
  kind: 'output';
  name: string;
  on: boolean;
  /** When set, the output goes back off after this long; the menu does not wait for it. */
  pulseMs?: number;
}

export interface InputCase extends Position {
  /** One key, or a digit string for multi-digit entry. */
  key: string;
  commands: Command[];
}

export interface UserInputCommand extends Position {
  kind: 'userinput';
  timeoutMs: number;
  repeat: boolean;
  initial: Command[];
  inputs: InputCase[];
  /** Multi-digit entry: keys are collected until the terminator, maxDigits or the inter-digit timeout. */
  multiDigit: boolean;
  minDigits: number;
  maxDigits: number;
  /** Ends an entry (not part of it); '' when disabled. */
  terminator: string;
  interDigitMs: number;
  /** In a nested UserInput, returns to the parent UserInput. */
  backKey?: string;
  /** No-input events allowed before `failed` runs (Ozeki's repeat: 5 when true, 1 when false). */
  maxNoInput: number;
  /** Invalid entries allowed before `failed` runs; undefined keeps Ozeki's behaviour (ignored). */
  maxNoMatch?: number;
  /** Played after a no-input, before the prompt plays again. */
  noInput: Command[];
  /** Played after an invalid entry, before the prompt plays again. */
  noMatch: Command[];
  /** Runs when a counter runs out; when absent, execution continues after the UserInput. */
  failed?: Command[];
}

/**
 * Ozeki's Record: captures the caller's voice to a recording (or a clip menus play) until the
 * longest duration, a silence, a finish key or the caller hanging up.
 */
export interface RecordCommand extends Position {
  kind: 'record';
  /** Longest recording (Ozeki `Duration`), in ms. */
  maxMs: number;
  /** Ends after this long without voice (Ozeki `Inactivity`), in ms; 0 never. */
  inactivityMs: number;
  /** Keys that end the recording (Ozeki `FinishDigits`); not recorded. '' when none. */
  finishDigits: string;
  /** The recording's name: a pattern where `{n}` becomes the next free number, or a clip name. */
  file: string;
  /** True when `file` is a clip name (`clip="greeting"`): menus play it, a new one replaces it. */
  clip: boolean;
  /** A beep first; capture starts when it ends. */
  beep: boolean;
  /** Ozeki's `FinishedUrl`: kept for the document's sake, never fetched (no server). */
  finishedUrl?: string;
  /** Plays instead of the beep and the recording when the store has no room for one (`full="..."`). */
  full: SpeakCommand;
}

export type Command = DelayCommand | SpeakCommand | HangupCommand | OutputCommand | UserInputCommand | RecordCommand;

export interface Menu {
  commands: Command[];
  /** Keys pressed while no UserInput listens are kept for the next one (default: dropped). */
  typeAhead: boolean;
  /**
   * The longest a call may last (Response `TimeLimit`, default 600 s): at this bound the menu
   * hangs up (trace `hangup` with reason `limit`), whatever it is doing. Absent: the default.
   */
  timeLimitMs?: number;
}

/** Calls `visit` on every command of the menu, depth first, in document order (a Record's `full` Speak after it). */
export function walkCommands(commands: readonly Command[], visit: (c: Command) => void): void {
  for (const c of commands) {
    visit(c);
    if (c.kind === 'record') visit(c.full);
    if (c.kind === 'userinput') {
      walkCommands(c.initial, visit);
      for (const input of c.inputs) walkCommands(input.commands, visit);
      walkCommands(c.noInput, visit);
      walkCommands(c.noMatch, visit);
      if (c.failed !== undefined) walkCommands(c.failed, visit);
    }
  }
}
