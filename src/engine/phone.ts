/**
 * The phone as the menu sees it: call events in (off-hook, on-hook, flash, keys, rings), the
 * menu's interpreter started for each call, the line disconnected and the reorder tone played
 * after the menu hangs up. It never throws: a fault inside the menu is traced and ends in the safe
 * state (disconnected, tone playing, waiting for on-hook).
 *
 * Call events come either as calls to `offHook()`/`onHook()`/`flash()`/`key()` (already decided)
 * or, given a `hook`, from raw hook levels through the line state machine (src/line): then the
 * loop opening is traced `onhook` at once with the audio silenced, and what it was follows when
 * the line decides it: a dialed `key`, a `flash`, or `idle` (hang-up, when the flash window
 * closes). Each event has its menu: lifting from idle runs `menu`, an answered ring the ring's.
 */
import type { AudioPlayer } from '../../hal/audio.js';
import type { AudioInput } from '../../hal/audio-in.js';
import type { RecordingStore } from '../../hal/recordings.js';
import type { Clock, TimerHandle } from '../../hal/clock.js';
import type { DtmfEvent, DtmfReceiver } from '../../hal/dtmf.js';
import type { HookSwitch } from '../../hal/hook.js';
import type { LineFeed } from '../../hal/line-feed.js';
import type { DigitalOutputs } from '../../hal/outputs.js';
import type { RingCadence, Ringer } from '../../hal/ringer.js';
import type { ClipLibrary } from '../clips/catalog.js';
import { LineSupervisor, type LineFault } from '../line/supervisor.js';
import { HookDecoder, type LineEvent } from '../line/hook-decoder.js';
import type { LineProfile } from '../line/profile.js';
import type { Command, Menu } from '../ozml/menu.js';
import type { ToneSpec } from '../tones/tone.js';
import { BoardOutputs } from './board-outputs.js';
import { DEFAULT_INTERPRETER_LIMITS, Interpreter, type HangupReason, type InterpreterLimits } from './interpreter.js';
import type { TraceEntry, TraceEvent, TraceSink } from './trace.js';

/** A named way to ring the phone (a doorbell button, application code): its menu and its ring. */
export interface RingTrigger {
  /** The menu run when this ring is answered (default: the phone's `ringMenu`, then `menu`). */
  menu?: Menu;
  /** Its own cadence (default: the profile's ring). */
  cadence?: RingCadence;
  /** Ringing stops unanswered after this long (default: the profile's `ringBoundMs`). */
  boundMs?: number;
}

export interface PhoneOptions {
  /** The menu run when the handset is lifted from idle (a hotline), and the default for rings. */
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
  /** Raw hook levels, decoded by the line state machine (src/line) with the profile's timing. */
  hook?: HookSwitch;
  /** Key downs become keys; gated off while ringing (the line carries ring residue then). */
  dtmf?: DtmfReceiver;
  ringer?: Ringer;
  /** The menu run when a ring is answered (default: `menu`). */
  ringMenu?: Menu;
  /** Ring triggers by name; `ring(name)` rings with the trigger's cadence and runs its menu. */
  triggers?: Readonly<Record<string, RingTrigger>>;
  /**
   * Watch the hook and DTMF inputs for faults (a stuck StD strobe, a chattering or floating hook
   * input: src/line/supervisor.ts). A faulty input's events are dropped until it recovers; each
   * fault is traced once (`line-fault`) and passed to `onLineFault` (e.g. for the call log).
   */
  supervise?: boolean;
  onLineFault?: (fault: LineFault) => void;
  /** The caller's audio and where `<Record>` writes; without both, Record is skipped with an error. */
  audioIn?: AudioInput;
  recordings?: RecordingStore;
  /** Told which command of the menu runs now (see InterpreterContext.running). */
  onCommand?: (command: Command) => void;
}

export type PhoneState = 'idle' | 'ringing' | 'menu' | 'disconnected';

/** A menu timer as the phone hands it out: while the loop is open its firing waits. */
interface MenuTimer {
  handle: TimerHandle | undefined;
  callback: () => void;
}

/** The clip the menu is playing, so a loop opening can silence it and a resume can end it. */
interface MenuClip {
  onEnd: () => void;
}

export class Phone {
  private state: PhoneState = 'idle';
  private interpreter: Interpreter | undefined;
  private tone: ToneSpec | undefined;
  private readonly emit: (entry: TraceEntry) => void;
  /** The clock and audio as the interpreter sees them: every callback runs inside `guard`. */
  private readonly guarded: { clock: Clock; audio: AudioPlayer };
  /** Every callback inside `guard`, never held: output pulses use it, and menu timers build on it. */
  private readonly pulseClock: Clock;
  /** The board's outputs, shared by every call: a pulse outlives the call that started it. */
  private readonly outputs: BoardOutputs | undefined;
  private readonly decoder: HookDecoder | undefined;
  /** Loop open during a call: audio is silent and the menu's timers wait for the decision. */
  private held = false;
  private heldTimers: MenuTimer[] = [];
  private clip: MenuClip | undefined;
  /** The clip a loop opening silenced; it counts as ended when the call goes on. */
  private silencedClip: MenuClip | undefined;
  /** The reorder tone silenced by a loop opening, played again if the call goes on. */
  private silencedTone: ToneSpec | undefined;
  private ringTimer: TimerHandle | undefined;
  /** The menu for the ring that is ringing now. */
  private ringingMenu: Menu | undefined;

  constructor(private options: PhoneOptions) {
    const { clock, audio, trace } = options;
    this.emit = (entry) => trace({ t: clock.now(), ...entry } as TraceEvent);
    this.pulseClock = {
      now: () => clock.now(),
      schedule: (ms, callback) => clock.schedule(ms, () => this.guard(callback)),
      cancel: (handle) => clock.cancel(handle),
    };
    this.outputs =
      options.outputs !== undefined ? new BoardOutputs(options.outputs, this.pulseClock, this.emit) : undefined;
    this.guarded = {
      clock: {
        now: () => clock.now(),
        schedule: (ms, callback) => {
          const timer: MenuTimer = { handle: undefined, callback };
          timer.handle = this.pulseClock.schedule(ms, () => this.timerFired(timer));
          return timer;
        },
        cancel: (handle) => {
          const timer = handle as MenuTimer;
          if (timer.handle !== undefined) clock.cancel(timer.handle);
          timer.handle = undefined;
          const i = this.heldTimers.indexOf(timer);
          if (i >= 0) this.heldTimers.splice(i, 1);
        },
      },
      audio: {
        play: (clip, onEnd) => {
          const playing: MenuClip = { onEnd };
          this.clip = playing;
          if (this.held) return; // the loop is open: it ends when the call goes on
          audio.play(clip, () =>
            this.guard(() => {
              if (this.clip === playing) this.clip = undefined;
              onEnd();
            }),
          );
        },
        playTone: (tone) => {
          this.clip = undefined;
          audio.playTone(tone);
        },
        stop: () => {
          this.clip = undefined;
          audio.stop();
        },
      },
    };
    const { hook, dtmf } = options;
    const supervisor = options.supervise === true ? this.openSupervisor() : undefined;
    if (hook !== undefined) {
      const decoder = new HookDecoder({
        clock,
        timing: options.profile.timing,
        onEvent: (e) => this.guard(() => this.lineEvent(e)),
      });
      this.decoder = decoder;
      hook.onChange = (offHook, atMs) => {
        supervisor?.hook(atMs);
        if (supervisor?.hookHealthy !== false) decoder.input(offHook, atMs);
      };
      // Off-hook at power-up: a call as soon as the level has held.
      if (hook.read()) decoder.input(true, clock.now());
    }
    if (dtmf !== undefined) {
      dtmf.onKey = (event: DtmfEvent) => {
        supervisor?.key(event.key, event.down, event.atMs);
        if (supervisor?.dtmfHealthy === false) return;
        if (event.down && !this.held && this.state !== 'ringing') this.key(event.key);
      };
    }
  }

  private openSupervisor(): LineSupervisor {
    const { clock, hook } = this.options;
    return new LineSupervisor({
      clock,
      onFault: (fault) =>
        this.guard(() => {
          if (fault.kind === 'recovered') {
            this.emit({ type: 'line-fault', input: fault.input, fault: 'recovered' });
            // Levels were dropped while the input was faulty: start again from the level now.
            if (fault.input === 'hook' && hook !== undefined) this.decoder?.input(hook.read(), clock.now());
          } else {
            this.emit({
              type: 'line-fault',
              input: fault.kind === 'hook-chatter' ? 'hook' : 'dtmf',
              fault: fault.kind,
            });
          }
          this.options.onLineFault?.(fault);
        }),
    });
  }

  get lineState(): PhoneState {
    return this.state;
  }

  /**
   * Switches the menus and clips the next call runs (an uploaded menu, src/link): a call in
   * progress goes on with the ones it started with.
   */
  useMenus(next: { menu: Menu; ringMenu?: Menu | undefined; clips: ClipLibrary }): void {
    const { ringMenu: _old, ...rest } = this.options;
    this.options = {
      ...rest,
      menu: next.menu,
      clips: next.clips,
      ...(next.ringMenu !== undefined ? { ringMenu: next.ringMenu } : {}),
    };
  }

  /**
   * The handset was lifted: from idle a call starts and runs the off-hook menu; while ringing
   * the ring is tripped and the ring's menu runs.
   */
  offHook(): void {
    this.decoder?.assume(true);
    this.lifted();
  }

  /** The handset went back: the call ends at once, whatever it was doing. */
  onHook(): void {
    this.decoder?.assume(false);
    this.guard(() => {
      this.emit({ type: 'onhook' });
      if (this.state === 'ringing') return; // it is already down: the ring goes on
      this.dropHold();
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

  /**
   * Rings the phone for the named trigger (default `ring`): its cadence until answered (then
   * its menu runs) or until its bound. A phone in a call is busy: the ring is traced and dropped.
   */
  ring(trigger = 'ring'): void {
    this.guard(() => {
      this.emit({ type: 'ring', trigger });
      if (this.state !== 'idle' || this.decoder?.inCall === true) {
        this.emit({ type: 'ring-stop', reason: 'busy' });
        return;
      }
      const { options } = this;
      // An own property only: a trigger named `constructor` is not Object's.
      const triggers = options.triggers;
      const spec = triggers !== undefined && Object.hasOwn(triggers, trigger) ? triggers[trigger] : undefined;
      this.state = 'ringing';
      this.ringingMenu = spec?.menu ?? options.ringMenu ?? options.menu;
      options.dtmf?.setEnabled(false);
      this.decoder?.setRinging(true);
      options.ringer?.start(spec?.cadence ?? options.profile.ring);
      this.ringTimer = options.clock.schedule(spec?.boundMs ?? options.profile.ringBoundMs, () =>
        this.guard(() => {
          this.ringTimer = undefined;
          this.stopRinging('bound');
          this.state = 'idle';
        }),
      );
    });
  }

  private lifted(): void {
    this.guard(() => {
      this.emit({ type: 'offhook' });
      if (this.state === 'ringing') {
        const menu = this.ringingMenu ?? this.options.menu;
        this.stopRinging('answer');
        this.state = 'idle';
        this.startMenu(menu);
      } else if (this.state === 'idle') {
        this.startMenu(this.options.menu);
      }
    });
  }

  private stopRinging(reason: 'answer' | 'bound'): void {
    const { options } = this;
    options.ringer?.stop();
    if (this.ringTimer !== undefined) options.clock.cancel(this.ringTimer);
    this.ringTimer = undefined;
    this.decoder?.setRinging(false);
    options.dtmf?.setEnabled(true);
    this.ringingMenu = undefined;
    this.emit({ type: 'ring-stop', reason });
  }

  private startMenu(menu: Menu): void {
    this.state = 'menu';
    const { clips } = this.options;
    const { clock, audio } = this.guarded;
    const outputs = this.outputs;
    const { audioIn, recordings } = this.options;
    // Frames reach the menu inside `guard`, like every other callback.
    const recorder =
      audioIn !== undefined && recordings !== undefined
        ? {
            store: recordings,
            input: {
              start: (onFrame: Parameters<AudioInput['start']>[0]) =>
                audioIn.start((f) => this.guard(() => onFrame(f))),
              stop: () => audioIn.stop(),
            },
          }
        : undefined;
    const interpreter = new Interpreter(
      menu,
      {
        clock,
        audio,
        clips,
        ...(outputs !== undefined ? { outputs } : {}),
        ...(recorder !== undefined ? { recorder } : {}),
        emit: this.emit,
        hangup: (reason) => this.menuHungUp(interpreter, reason),
        ...(this.options.onCommand !== undefined ? { running: this.options.onCommand } : {}),
      },
      this.options.limits ?? DEFAULT_INTERPRETER_LIMITS,
    );
    this.interpreter = interpreter;
    interpreter.start();
  }

  /** What the line state machine decided, from raw hook levels. */
  private lineEvent(event: LineEvent): void {
    switch (event.kind) {
      case 'offhook':
        return this.lifted();
      case 'loop-open':
        return this.loopOpened();
      case 'resume':
        return this.release();
      case 'digit':
        return this.release(() => this.key(event.key));
      case 'bad-digit':
        return this.release(() =>
          this.emit({ type: 'error', message: `dialed ${event.pulses} pulses: not a digit; ignored` }),
        );
      case 'flash':
        return this.release(() => this.flash());
      case 'hangup':
        this.dropHold();
        this.endCall();
        this.emit({ type: 'idle' });
        return;
    }
  }

  /**
   * The loop opened during a call (the handset going down, or a dial pulse or flash starting):
   * traced as `onhook`, audio silent at once, the menu's timers held until the line decides.
   */
  private loopOpened(): void {
    this.emit({ type: 'onhook' });
    this.held = true;
    if (this.clip !== undefined) {
      this.options.audio.stop();
      this.silencedClip = this.clip;
    }
    if (this.tone !== undefined) {
      this.options.audio.stop();
      this.emit({ type: 'tone-stop', name: this.tone.name });
      this.silencedTone = this.tone;
      this.tone = undefined;
    }
  }

  /**
   * The loop closed and the call goes on: held timers fire (they were due during the break),
   * then `then` (a dialed digit, a flash), then a clip silenced by the break counts as ended.
   */
  private release(then?: () => void): void {
    // Only the clip this break silenced: one a digit decided at the same instant started plays on.
    const silenced = this.silencedClip;
    this.silencedClip = undefined;
    this.held = false;
    for (const timer of this.heldTimers.splice(0)) timer.callback();
    if (this.silencedTone !== undefined && this.state === 'disconnected') this.playReorder(this.silencedTone);
    this.silencedTone = undefined;
    then?.();
    if (silenced !== undefined && this.clip === silenced) {
      this.clip = undefined;
      silenced.onEnd();
    }
  }

  private dropHold(): void {
    this.held = false;
    this.silencedClip = undefined;
    this.heldTimers = [];
    this.silencedTone = undefined;
  }

  private timerFired(timer: MenuTimer): void {
    timer.handle = undefined;
    if (this.held) this.heldTimers.push(timer);
    else timer.callback();
  }

  private endCall(): void {
    this.interpreter?.abort();
    this.interpreter = undefined;
    if (this.tone !== undefined) {
      this.options.audio.stop();
      this.emit({ type: 'tone-stop', name: this.tone.name });
      this.tone = undefined;
    }
    this.clip = undefined;
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
    this.playReorder(this.options.profile.tones.reorder);
  }

  private playReorder(tone: ToneSpec): void {
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
