/**
 * Runs one call's menu: a stack of command lists, at most one thing pending at a time (a timer or
 * a clip), keys delivered by the phone. Everything asynchronous goes through the Clock and the
 * AudioPlayer; a callback from an operation that was cancelled is ignored, so nothing of a
 * cancelled step can run later.
 */
import type { AudioPlayer } from '../../hal/audio.js';
import type { Clock, TimerHandle } from '../../hal/clock.js';
import type { ClipLibrary } from '../clips/catalog.js';
import type { Command, UserInputCommand } from '../ozml/menu.js';
import type { TraceEntry } from './trace.js';

export type HangupReason = 'command' | 'end' | 'error';

export interface InterpreterContext {
  clock: Clock;
  audio: AudioPlayer;
  clips: ClipLibrary;
  emit(entry: TraceEntry): void;
  /** The menu has hung up; the phone disconnects the line. Called at most once. */
  hangup(reason: HangupReason): void;
}

export interface InterpreterLimits {
  /** How many times a `repeat="true"` UserInput plays its prompt at most, the first included. */
  maxPasses: number;
  /** Commands run at one instant of time before the menu is stopped as a busy loop. */
  maxStepsPerInstant: number;
}

export const DEFAULT_INTERPRETER_LIMITS: Readonly<InterpreterLimits> = {
  maxPasses: 5,
  maxStepsPerInstant: 1000,
};

interface InputState {
  command: UserInputCommand;
  pass: number;
  waiting: boolean;
}

interface Frame {
  commands: readonly Command[];
  index: number;
  input?: InputState;
}

type Pending = { kind: 'timer'; handle?: TimerHandle } | { kind: 'clip'; clip: string };

export class Interpreter {
  private stack: Frame[];
  private pending: Pending | undefined;
  private finished = false;
  private steps = 0;
  private stepsAt = -1;

  constructor(
    commands: readonly Command[],
    private readonly context: InterpreterContext,
    private readonly limits: InterpreterLimits = DEFAULT_INTERPRETER_LIMITS,
  ) {
    this.stack = [{ commands, index: 0 }];
  }

  get running(): boolean {
    return !this.finished;
  }

  start(): void {
    this.run();
  }

  /**
   * A key from the caller. Returns false when no UserInput is listening (the phone reports it as
   * ignored); otherwise it matched an Input (barge-in) or was reported as `nomatch`.
   */
  key(key: string): boolean {
    if (this.finished) return false;
    let level = this.stack.length - 1;
    while (level >= 0 && this.stack[level]!.input === undefined) level--;
    if (level < 0) return false;
    const input = this.stack[level]!.input!;
    const match = input.command.inputs.find((i) => i.key === key);
    if (match === undefined) {
      this.context.emit({ type: 'nomatch', key });
      return true;
    }
    this.cancelPending('barge-in');
    this.context.emit({ type: 'match', key });
    this.stack.length = level;
    this.stack.push({ commands: match.commands, index: 0 });
    this.run();
    return true;
  }

  /** The caller hung up (or a fault): stop at once, and nothing of this call runs afterwards. */
  abort(reason: 'onhook' | 'fault' = 'onhook'): void {
    if (this.finished) return;
    this.cancelPending(reason);
    this.finished = true;
    this.stack = [];
  }

  private run(): void {
    while (!this.finished && this.pending === undefined) {
      if (!this.countStep()) return;
      const frame = this.stack[this.stack.length - 1];
      if (frame === undefined) {
        this.hangup('end');
        return;
      }
      if (frame.index < frame.commands.length) {
        this.exec(frame.commands[frame.index++]!);
      } else if (frame.input !== undefined && !frame.input.waiting) {
        this.startWait(frame, frame.input);
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
        this.speak(command.text, command.clip);
        return;
      case 'hangup':
        if (command.callId !== undefined) {
          emit({ type: 'skip', command: 'Hangup', reason: `CallId ${command.callId} is another call` });
          return;
        }
        this.hangup('command');
        return;
      case 'userinput': {
        const input: InputState = { command, pass: 1, waiting: false };
        this.stack.push({ commands: command.initial, index: 0, input });
        emit({ type: 'input', pass: 1, timeout: command.timeoutMs, repeat: command.repeat });
        return;
      }
    }
  }

  private speak(text: string, clip: string | undefined): void {
    const ref = this.context.clips.resolve(text, clip);
    if (ref === undefined) {
      this.context.emit({ type: 'error', message: `no clip for ${JSON.stringify(text)}; skipped` });
      return;
    }
    const op: Pending = { kind: 'clip', clip: ref.clip };
    this.pending = op;
    this.context.emit({ type: 'play', text, clip: ref.clip, ms: ref.ms });
    this.context.audio.play(ref.clip, () => this.complete(op, () => {}));
  }

  private startWait(frame: Frame, input: InputState): void {
    input.waiting = true;
    this.context.emit({ type: 'wait', ms: input.command.timeoutMs });
    this.after(input.command.timeoutMs, () => {
      this.context.emit({ type: 'timeout', pass: input.pass });
      if (input.command.repeat && input.pass < this.limits.maxPasses) {
        input.pass++;
        input.waiting = false;
        frame.index = 0;
        const { timeoutMs, repeat } = input.command;
        this.context.emit({ type: 'input', pass: input.pass, timeout: timeoutMs, repeat });
      } else {
        this.stack.pop();
      }
    });
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
    this.run();
  }

  private cancelPending(reason: 'barge-in' | 'onhook' | 'fault'): void {
    const op = this.pending;
    if (op === undefined) return;
    this.pending = undefined;
    if (op.kind === 'clip') {
      this.context.audio.stop();
      this.context.emit({ type: 'play-cut', clip: op.clip, reason });
    } else if (op.handle !== undefined) {
      this.context.clock.cancel(op.handle);
    }
  }

  private hangup(reason: HangupReason): void {
    this.finished = true;
    this.stack = [];
    this.context.hangup(reason);
  }
}
