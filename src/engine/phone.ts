/**
 * The phone as the menu sees it: call events in (off-hook, on-hook, flash, keys), the menu's
 * interpreter started for each call, the line disconnected and the reorder tone played after the
 * menu hangs up. It never throws: a fault inside the menu is traced and ends in the safe state
 * (disconnected, tone playing, waiting for on-hook).
 */
import type { AudioPlayer } from '../../hal/audio.js';
import type { Clock } from '../../hal/clock.js';
import type { LineFeed } from '../../hal/line-feed.js';
import type { DigitalOutputs } from '../../hal/outputs.js';
import type { ClipLibrary } from '../clips/catalog.js';
import type { LineProfile } from '../line/profile.js';
import type { Menu } from '../ozml/menu.js';
import type { ToneSpec } from '../tones/tone.js';
import { DEFAULT_INTERPRETER_LIMITS, Interpreter, type HangupReason, type InterpreterLimits } from './interpreter.js';
import type { TraceEntry, TraceEvent, TraceSink } from './trace.js';

export interface PhoneOptions {
  menu: Menu;
  clock: Clock;
  audio: AudioPlayer;
  line: LineFeed;
  clips: ClipLibrary;
  profile: LineProfile;
  trace: TraceSink;
  limits?: InterpreterLimits;
  /** The board's named outputs (door strike, LEDs) that menus may set. */
  outputs?: DigitalOutputs;
}

export type PhoneState = 'idle' | 'menu' | 'disconnected';

export class Phone {
  private state: PhoneState = 'idle';
  private interpreter: Interpreter | undefined;
  private tone: ToneSpec | undefined;
  private readonly emit: (entry: TraceEntry) => void;
  /** The clock and audio as the interpreter sees them: every callback runs inside `guard`. */
  private readonly guarded: { clock: Clock; audio: AudioPlayer };

  constructor(private readonly options: PhoneOptions) {
    const { clock, audio, trace } = options;
    this.emit = (entry) => trace({ t: clock.now(), ...entry } as TraceEvent);
    this.guarded = {
      clock: {
        now: () => clock.now(),
        schedule: (ms, callback) => clock.schedule(ms, () => this.guard(callback)),
        cancel: (handle) => clock.cancel(handle),
      },
      audio: {
        play: (clip, onEnd) => audio.play(clip, () => this.guard(onEnd)),
        playTone: (tone) => audio.playTone(tone),
        stop: () => audio.stop(),
      },
    };
  }

  get lineState(): PhoneState {
    return this.state;
  }

  /** The handset was lifted: a call starts and runs the menu from the top. */
  offHook(): void {
    this.guard(() => {
      this.emit({ type: 'offhook' });
      if (this.state !== 'idle') return;
      this.state = 'menu';
      const { menu, clips } = this.options;
      const { clock, audio } = this.guarded;
      const outputs = this.options.outputs;
      const interpreter = new Interpreter(
        menu,
        {
          clock,
          audio,
          clips,
          ...(outputs !== undefined ? { outputs } : {}),
          emit: this.emit,
          hangup: (reason) => this.menuHungUp(interpreter, reason),
        },
        this.options.limits ?? DEFAULT_INTERPRETER_LIMITS,
      );
      this.interpreter = interpreter;
      interpreter.start();
    });
  }

  /** The handset went back: the call ends at once, whatever it was doing. */
  onHook(): void {
    this.guard(() => {
      this.emit({ type: 'onhook' });
      this.endCall();
    });
  }

  /** A hook flash: delivered to the menu as the key `F`. */
  flash(): void {
    this.guard(() => {
      this.emit({ type: 'flash' });
      if (this.state === 'menu' && this.interpreter?.key('F') === true) return;
      this.emit({ type: 'ignored', key: 'F' });
    });
  }

  /** A key from the caller (DTMF or a dialed digit). */
  key(key: string): void {
    this.guard(() => {
      this.emit({ type: 'key', key });
      if (this.state === 'menu' && this.interpreter?.key(key) === true) return;
      this.emit({ type: 'ignored', key });
    });
  }

  private endCall(): void {
    this.interpreter?.abort();
    this.interpreter = undefined;
    if (this.tone !== undefined) {
      this.options.audio.stop();
      this.emit({ type: 'tone-stop', name: this.tone.name });
      this.tone = undefined;
    }
    this.state = 'idle';
  }

  private menuHungUp(from: Interpreter, reason: HangupReason): void {
    if (this.interpreter !== from) return;
    this.interpreter = undefined;
    this.disconnect(reason);
  }

  private disconnect(reason: HangupReason): void {
    this.state = 'disconnected';
    this.emit({ type: 'hangup', reason });
    this.options.line.disconnect();
    const tone = this.options.profile.tones.reorder;
    this.tone = tone;
    this.options.audio.playTone(tone);
    this.emit({ type: 'tone', name: tone.name });
  }

  /** Runs an event handler; a fault is traced and the line goes to the safe state. */
  private guard(handler: () => void): void {
    try {
      handler();
    } catch (e) {
      this.emit({ type: 'error', message: `internal fault: ${e instanceof Error ? e.message : String(e)}` });
      try {
        this.interpreter?.abort('fault');
        this.interpreter = undefined;
        if (this.state === 'menu') this.disconnect('error');
      } catch {
        this.state = 'disconnected';
      }
    }
  }
}
