/**
 * Runs one call's menu: a stack of command lists, at most one thing pending at a time (a timer or
 * a clip), keys delivered by the phone. Everything asynchronous goes through the Clock and the
 * AudioPlayer; a callback from an operation that was cancelled is ignored, so nothing of a
 * cancelled step can run later.
 */
import type { AudioPlayer } from '../../hal/audio.js';
import type { AudioInput } from '../../hal/audio-in.js';
import type { RecordingStore, RecordingWriter } from '../../hal/recordings.js';
import type { Clock, TimerHandle } from '../../hal/clock.js';
import type { ClipLibrary } from '../clips/catalog.js';
import { DEFAULT_TIME_LIMIT_MS } from '../ozml/menu.js';
import type {
  Command,
  InputCase,
  Menu,
  OutputCommand,
  RecordCommand,
  SpeakCommand,
  UserInputCommand,
} from '../ozml/menu.js';
import type { BoardOutputs } from './board-outputs.js';
import {
  BEEP_MS,
  BEEP_TONE,
  MIN_RECORD_SAMPLES,
  newestRecording,
  RECORD_SAMPLE_RATE,
  recordingName,
  RecordingSession,
} from './recording.js';
import type { RecordEndReason, TraceEntry } from './trace.js';

/** Why the menu hung up: a Hangup command, the end of the menu, an error, or the call's TimeLimit. */
export type HangupReason = 'command' | 'end' | 'error' | 'limit';

export interface InterpreterContext {
  clock: Clock;
  audio: AudioPlayer;
  clips: ClipLibrary;
  /**
   * The board's named outputs, when it has any. They belong to the board, not the call: their
   * pulses outlive the call and are shared by every call (see board-outputs.ts).
   */
  outputs?: BoardOutputs;
  /** The caller's audio and where recordings go, when the board can record (else Record is skipped). */
  recorder?: { input: AudioInput; store: RecordingStore };
  emit(entry: TraceEntry): void;
  /** The menu has hung up; the phone disconnects the line. Called at most once. */
  hangup(reason: HangupReason): void;
  /**
   * Told which command now runs: each command as it starts, and its UserInput again when the
   * UserInput waits for keys or prompts again (for a studio that lights it up). Optional.
   */
  running?(command: Command): void;
}

export interface InterpreterLimits {
  /** Commands run at one instant of time before the menu is stopped as a busy loop. */
  maxStepsPerInstant: number;
  /** Keys kept while a prompt without barge-in plays, or for type-ahead. */
  maxHeldKeys: number;
}

export const DEFAULT_INTERPRETER_LIMITS: Readonly<InterpreterLimits> = {
  maxStepsPerInstant: 1000,
  maxHeldKeys: 16,
};

interface InputState {
  command: UserInputCommand;
  pass: number;
  /** prompt: initial commands play; wait: timeout counts; entry: digits being collected;
   *  reprompt: the prompt plays again once the frames above (a NoInput/NoMatch message) end. */
  phase: 'prompt' | 'wait' | 'entry' | 'reprompt';
  noInputs: number;
  noMatches: number;
  entry: string;
}

interface Frame {
  commands: readonly Command[];
  index: number;
  /** Set on the frame of a listening UserInput (its initial commands). */
  input?: InputState;
  /** The UserInput whose Input (or NoInput/NoMatch/Failed) these commands belong to. */
  owner?: UserInputCommand;
}

/** A Record capturing: `ending` once it is being finished (its last frame may still come), `done` after. */
interface RecordOp {
  kind: 'record';
  command: RecordCommand;
  file: string;
  session: RecordingSession;
  writer: RecordingWriter;
  input: AudioInput;
  timer?: TimerHandle | undefined;
  ending: boolean;
}

type Pending =
  | { kind: 'timer'; handle?: TimerHandle }
  | { kind: 'clip'; clip: string; bargeIn: boolean }
  | { kind: 'beep'; handle?: TimerHandle }
  | RecordOp;

export class Interpreter {
  private stack: Frame[];
  private pending: Pending | undefined;
  private finished = false;
  private steps = 0;
  private stepsAt = -1;
  /** Keys pressed during a prompt without barge-in, handled when it ends. */
  private held: string[] = [];
  /** Keys pressed while no UserInput listened, kept for the next one (menu TypeAhead). */
  private typeAhead: string[] = [];
  /** The call's TimeLimit timer. */
  private limitTimer: TimerHandle | undefined;

  constructor(
    private readonly menu: Menu,
    private readonly context: InterpreterContext,
    private readonly limits: InterpreterLimits = DEFAULT_INTERPRETER_LIMITS,
  ) {
    this.stack = [{ commands: menu.commands, index: 0 }];
  }

  get running(): boolean {
    return !this.finished;
  }

  start(): void {
    const limitMs = this.menu.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    this.limitTimer = this.context.clock.schedule(limitMs, () => {
      this.limitTimer = undefined;
      if (this.finished) return;
      this.cancelPending('limit');
      this.hangup('limit');
    });
    this.run();
  }

  /**
   * A key from the caller. Returns false when nothing takes it (the phone reports it as ignored);
   * otherwise it matched, was collected, held or reported as `nomatch`.
   */
  key(key: string): boolean {
    const taken = this.handleKey(key);
    this.run();
    return taken;
  }

  /** The caller hung up (or a fault): stop at once, and nothing of this call runs afterwards. */
  abort(reason: 'onhook' | 'fault' = 'onhook'): void {
    if (this.finished) return;
    this.cancelPending(reason);
    this.cancelLimit();
    this.finished = true;
    this.stack = [];
  }

  private cancelLimit(): void {
    if (this.limitTimer !== undefined) this.context.clock.cancel(this.limitTimer);
    this.limitTimer = undefined;
  }

  private run(): void {
    while (!this.finished && this.pending === undefined) {
      if (!this.countStep()) return;
      const frame = this.stack[this.stack.length - 1];
      if (frame === undefined) {
        this.hangup('end');
        return;
      }
      const input = frame.input;
      if (input?.phase === 'reprompt') {
        this.newPass(frame, input);
      } else if (frame.index < frame.commands.length) {
        this.exec(frame.commands[frame.index++]!);
      } else if (input?.phase === 'prompt') {
        this.startWait(frame, input);
      } else {
        this.stack.pop();
      }
    }
  }

  private countStep(): boolean {
    const now = this.context.clock.now();
    if (now !== this.stepsAt) {
      this.stepsAt = now;
      this.steps = 0;
    }
    if (++this.steps <= this.limits.maxStepsPerInstant) return true;
    this.context.emit({
      type: 'error',
      message: `the menu ran ${this.limits.maxStepsPerInstant} commands without time passing; stopped`,
    });
    this.hangup('error');
    return false;
  }

  private exec(command: Command): void {
    const { emit } = this.context;
    this.context.running?.(command);
    switch (command.kind) {
      case 'delay':
        emit({ type: 'delay', ms: command.ms });
        this.after(command.ms, () => {});
        return;
      case 'speak':
        if (command.callId !== undefined) {
          emit({ type: 'skip', command: 'Speak', reason: `CallId ${command.callId} is another call` });
          return;
        }
        this.speak(command.text, this.clipOf(command), command.bargeIn);
        return;
      case 'hangup':
        if (command.callId !== undefined) {
          emit({ type: 'skip', command: 'Hangup', reason: `CallId ${command.callId} is another call` });
          return;
        }
        this.hangup('command');
        return;
      case 'output':
        this.output(command);
        return;
      case 'userinput':
        this.startInput(command);
        return;
      case 'record':
        this.record(command);
        return;
    }
  }

  /** A Speak's clip: its `clip`, or for `clip="msg-{n}"` the newest such recording (none: the text's). */
  private clipOf(command: SpeakCommand): string | undefined {
    if (command.newest === undefined) return command.clip;
    const store = this.context.recorder?.store;
    return store !== undefined ? newestRecording(command.newest, store.list()) : undefined;
  }

  /**
   * Record: the beep (when asked), then capture until an end; the menu goes on after it. With no
   * room for a recording in the store, its `full` text plays instead (trace `record-full`).
   */
  private record(command: RecordCommand): void {
    const { recorder, emit, audio, clock } = this.context;
    if (recorder === undefined) {
      emit({ type: 'error', message: 'this board cannot record; Record skipped' });
      return;
    }
    if (recorder.store.room() < MIN_RECORD_SAMPLES) {
      emit({
        type: 'record-full',
        file: command.clip ? command.file : recordingName(command.file, recorder.store.list()),
      });
      this.speak(command.full.text, command.full.clip, command.full.bargeIn);
      return;
    }
    if (!command.beep) {
      this.startCapture(command, recorder);
      return;
    }
    const op: Pending = { kind: 'beep' };
    this.pending = op;
    audio.playTone(BEEP_TONE);
    emit({ type: 'tone', name: BEEP_TONE.name });
    op.handle = clock.schedule(BEEP_MS, () =>
      this.complete(op, () => {
        audio.stop();
        emit({ type: 'tone-stop', name: BEEP_TONE.name });
        this.startCapture(command, recorder);
      }),
    );
  }

  private startCapture(command: RecordCommand, recorder: { input: AudioInput; store: RecordingStore }): void {
    const { clock, emit } = this.context;
    const file = command.clip ? command.file : recordingName(command.file, recorder.store.list());
    // The store's room bounds the recording as Duration does, so nothing older is overwritten.
    const roomMs = Math.floor((recorder.store.room() * 1000) / RECORD_SAMPLE_RATE);
    const full = roomMs < command.maxMs;
    const writer = recorder.store.open(file);
    const op: RecordOp = {
      kind: 'record',
      command,
      file,
      session: new RecordingSession(writer, clock.now()),
      writer,
      input: recorder.input,
      ending: false,
    };
    this.pending = op;
    emit({ type: 'record-start', file });
    op.timer = clock.schedule(full ? roomMs : command.maxMs, () => this.endRecord(op, full ? 'full' : 'duration'));
    recorder.input.start((frame) => {
      if (this.pending !== op && !op.ending) return;
      op.session.frame(frame);
      if (!op.ending && command.inactivityMs > 0 && op.session.silentMs >= command.inactivityMs)
        this.endRecord(op, 'inactivity');
    });
  }

  /** A Record's own end (duration, inactivity, a finish key): then the menu goes on. */
  private endRecord(op: RecordOp, reason: 'duration' | 'inactivity' | 'digit' | 'full'): void {
    this.complete(op, () => this.finishRecord(op, reason));
  }

  /** Stops capture and keeps the recording, or discards it when it never heard voice. */
  private finishRecord(op: RecordOp, reason: RecordEndReason): void {
    const { clock, emit } = this.context;
    op.ending = true;
    if (op.timer !== undefined) clock.cancel(op.timer);
    op.timer = undefined;
    op.input.stop();
    op.ending = false;
    const samples = op.session.finish(reason === 'digit');
    emit({ type: 'record-end', file: op.file, reason, ms: Math.round((samples * 1000) / RECORD_SAMPLE_RATE) });
    if (op.session.heardVoice) {
      op.writer.close();
    } else {
      op.writer.discard();
      emit({ type: 'record-discard', file: op.file });
    }
  }

  private startInput(command: UserInputCommand): void {
    const input: InputState = { command, pass: 1, phase: 'prompt', noInputs: 0, noMatches: 0, entry: '' };
    this.stack.push({ commands: command.initial, index: 0, input });
    this.context.emit({ type: 'input', pass: 1, timeout: command.timeoutMs, repeat: command.repeat });
    for (const key of this.typeAhead.splice(0)) {
      if (!this.handleKey(key)) this.context.emit({ type: 'ignored', key });
    }
  }

  private speak(text: string, clip: string | undefined, bargeIn: boolean): void {
    const ref = this.context.clips.resolve(text, clip);
    if (ref === undefined) {
      this.context.emit({ type: 'error', message: `no clip for ${JSON.stringify(text)}; skipped` });
      return;
    }
    const op: Pending = { kind: 'clip', clip: ref.clip, bargeIn };
    this.pending = op;
    this.context.emit({ type: 'play', text, clip: ref.clip, ms: ref.ms });
    this.context.audio.play(ref.clip, () => this.complete(op, () => {}));
  }

  private output(command: OutputCommand): void {
    const { outputs, emit } = this.context;
    if (outputs === undefined || !outputs.has(command.name)) {
      emit({ type: 'error', message: `this board has no output '${command.name}'; skipped` });
      return;
    }
    outputs.set(command.name, command.on, command.pulseMs);
  }

  private newPass(frame: Frame, input: InputState): void {
    input.pass++;
    input.phase = 'prompt';
    input.entry = '';
    frame.index = 0;
    const { timeoutMs, repeat } = input.command;
    this.context.running?.(input.command);
    this.context.emit({ type: 'input', pass: input.pass, timeout: timeoutMs, repeat });
  }

  private startWait(frame: Frame, input: InputState): void {
    input.phase = 'wait';
    this.context.running?.(input.command);
    this.context.emit({ type: 'wait', ms: input.command.timeoutMs });
    this.after(input.command.timeoutMs, () => {
      this.context.emit({ type: 'timeout', pass: input.pass });
      input.noInputs++;
      if (input.noInputs < input.command.maxNoInput) this.retry(frame, input, input.command.noInput);
      else this.exhausted(frame, input, 'noinput');
    });
  }

  /** Plays a NoInput/NoMatch message (if any), then the prompt again. */
  private retry(frame: Frame, input: InputState, message: readonly Command[]): void {
    this.truncateAbove(frame);
    input.phase = 'reprompt';
    if (message.length > 0) this.stack.push({ commands: message, index: 0, owner: input.command });
  }

  /** A retry counter ran out: run Failed, or continue after the UserInput. */
  private exhausted(frame: Frame, input: InputState, reason: 'noinput' | 'nomatch'): void {
    this.stack.length = Math.max(0, this.stack.indexOf(frame));
    const failed = input.command.failed;
    if (failed === undefined) return;
    this.context.emit({ type: 'failed', reason });
    this.stack.push({ commands: failed, index: 0, owner: input.command });
  }

  private handleKey(key: string): boolean {
    if (this.finished) return false;
    const recording = this.pending;
    if (recording?.kind === 'record') {
      if (!recording.command.finishDigits.includes(key)) return false;
      this.endRecord(recording, 'digit');
      return true;
    }
    if (recording?.kind === 'beep') return false;
    let level = this.stack.length - 1;
    while (level >= 0 && this.stack[level]!.input === undefined) level--;
    const pending = this.pending;
    if (level < 0) {
      if (!this.menu.typeAhead || this.typeAhead.length >= this.limits.maxHeldKeys) return false;
      this.typeAhead.push(key);
      this.context.emit({ type: 'held', key });
      return true;
    }
    if (pending?.kind === 'clip' && !pending.bargeIn) {
      if (this.held.length >= this.limits.maxHeldKeys) return false;
      this.held.push(key);
      this.context.emit({ type: 'held', key });
      return true;
    }
    const frame = this.stack[level]!;
    const input = frame.input!;
    const command = input.command;
    if (key === command.backKey && this.back(level, key)) return true;
    if (!command.multiDigit) {
      const match = command.inputs.find((i) => i.key === key);
      if (match !== undefined) this.select(frame, match, key);
      else this.invalid(frame, input, key);
      return true;
    }
    if (key === 'F' && key !== command.terminator) {
      // A hook flash is never part of an entry: it runs the F Input at once (dropping any digits
      // collected so far), or, without one, nothing takes it and the entry goes on untouched.
      const flash = command.inputs.find((i) => i.key === key);
      if (flash === undefined) return false;
      this.select(frame, flash, key);
      return true;
    }
    if (input.entry === '' && !/[0-9]/.test(key)) {
      const single = command.inputs.find((i) => i.key === key);
      if (single !== undefined && key !== command.terminator) {
        this.select(frame, single, key);
        return true;
      }
    }
    if (input.phase !== 'entry') {
      this.cancelPending('barge-in');
      this.truncateAbove(frame);
      input.phase = 'entry';
    } else {
      this.cancelPending('barge-in');
    }
    if (key === command.terminator) {
      this.finishEntry(frame, input, 'terminator');
      return true;
    }
    input.entry += key;
    if (input.entry.length >= command.maxDigits) this.finishEntry(frame, input, 'max');
    else this.after(command.interDigitMs, () => this.finishEntry(frame, input, 'timeout'));
    return true;
  }

  private finishEntry(frame: Frame, input: InputState, reason: 'terminator' | 'max' | 'timeout'): void {
    const value = input.entry;
    input.entry = '';
    this.context.emit({ type: 'digits', value, reason });
    const match =
      value.length >= input.command.minDigits ? input.command.inputs.find((i) => i.key === value) : undefined;
    if (match !== undefined) this.select(frame, match, value);
    else this.invalid(frame, input, value);
  }

  private select(frame: Frame, match: InputCase, key: string): void {
    this.cancelPending('barge-in');
    this.context.emit({ type: 'match', key });
    this.stack.length = Math.max(0, this.stack.indexOf(frame));
    this.stack.push({ commands: match.commands, index: 0, owner: frame.input!.command });
  }

  private invalid(frame: Frame, input: InputState, value: string): void {
    this.context.emit({ type: 'nomatch', key: value });
    const max = input.command.maxNoMatch;
    if (max === undefined) {
      // Ozeki's behaviour: a wrong single key changes nothing. A wrong entry prompts again.
      if (input.command.multiDigit) {
        this.cancelPending('barge-in');
        this.retry(frame, input, []);
      }
      return;
    }
    this.cancelPending('barge-in');
    input.noMatches++;
    if (input.noMatches < max) this.retry(frame, input, input.command.noMatch);
    else this.exhausted(frame, input, 'nomatch');
  }

  /** BackKey in a nested UserInput: the parent UserInput starts again. */
  private back(level: number, key: string): boolean {
    let j = level - 1;
    while (j >= 0 && this.stack[j]!.owner === undefined) j--;
    if (j < 0) return false;
    const parent = this.stack[j]!.owner!;
    this.cancelPending('barge-in');
    this.context.emit({ type: 'back', key });
    this.stack.length = j;
    this.context.running?.(parent);
    this.startInput(parent);
    return true;
  }

  private truncateAbove(frame: Frame): void {
    const level = this.stack.indexOf(frame);
    if (level >= 0) this.stack.length = level + 1;
  }

  private after(ms: number, then: () => void): void {
    const op: Pending = { kind: 'timer' };
    this.pending = op;
    op.handle = this.context.clock.schedule(ms, () => this.complete(op, then));
  }

  private complete(op: Pending, then: () => void): void {
    if (this.pending !== op || this.finished) return;
    this.pending = undefined;
    then();
    for (const key of this.held.splice(0)) {
      if (!this.handleKey(key)) this.context.emit({ type: 'ignored', key });
    }
    this.run();
  }

  private cancelPending(reason: 'barge-in' | 'onhook' | 'fault' | 'limit'): void {
    const op = this.pending;
    if (op === undefined) return;
    this.pending = undefined;
    if (op.kind === 'clip') {
      this.context.audio.stop();
      this.context.emit({ type: 'play-cut', clip: op.clip, reason });
    } else if (op.kind === 'record') {
      // Keys never cut a recording short but through finishDigits (handleKey), so no barge-in here.
      this.finishRecord(op, reason === 'barge-in' ? 'digit' : reason);
    } else if (op.kind === 'beep') {
      if (op.handle !== undefined) this.context.clock.cancel(op.handle);
      this.context.audio.stop();
      this.context.emit({ type: 'tone-stop', name: BEEP_TONE.name });
    } else if (op.handle !== undefined) {
      this.context.clock.cancel(op.handle);
    }
  }

  private hangup(reason: HangupReason): void {
    this.cancelLimit();
    this.finished = true;
    this.stack = [];
    this.held = [];
    this.typeAhead = [];
    this.context.hangup(reason);
  }
}
