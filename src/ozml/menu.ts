/** The menu a document describes: what the interpreter runs. Every command keeps its position. */

/** Keys a caller can send: DTMF digits and letters, plus `F` for a hook flash. */
export const KEYS = '0123456789*#ABCDF';

export interface Position {
  line: number;
  col: number;
}

export interface DelayCommand extends Position {
  kind: 'delay';
  ms: number;
}

export interface SpeakCommand extends Position {
  kind: 'speak';
  /** The text as written, white space collapsed. */
  text: string;
  /** The clip named by a `clip` attribute, if any. */
  clip?: string;
  /** A `CallId` naming another call: the command does nothing on this one-line device. */
  callId?: string;
}

export interface HangupCommand extends Position {
  kind: 'hangup';
  callId?: string;
}

export interface InputCase extends Position {
  key: string;
  commands: Command[];
}

export interface UserInputCommand extends Position {
  kind: 'userinput';
  timeoutMs: number;
  repeat: boolean;
  initial: Command[];
  inputs: InputCase[];
}

export type Command = DelayCommand | SpeakCommand | HangupCommand | UserInputCommand;

export interface Menu {
  commands: Command[];
}

/** Calls `visit` on every command of the menu, depth first, in document order. */
export function walkCommands(commands: readonly Command[], visit: (c: Command) => void): void {
  for (const c of commands) {
    visit(c);
    if (c.kind === 'userinput') {
      walkCommands(c.initial, visit);
      for (const input of c.inputs) walkCommands(input.commands, visit);
    }
  }
}
