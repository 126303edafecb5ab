import type { Clock } from '../hal/clock.js';
import { SimAudio } from './sim-audio.js';
import type { SimClipLibrary } from './sim-clips.js';
import { SimAudioInput } from './sim-audio-in.js';
import { SimLineFeed } from './sim-line.js';
import { MemoryRecordings } from './sim-recordings.js';
import { withRecordedClips } from '../src/clips/recorded.js';
import { SimOutputs } from './sim-outputs.js';
import { Phone } from '../src/engine/phone.js';
import type { TraceEvent } from '../src/engine/trace.js';
import type { LineProfile } from '../src/line/profile.js';
import type { Command, Menu } from '../src/ozml/menu.js';
import { SoundingAudio, type Speaker } from './sounding-audio.js';

export interface CallSessionOptions {
  menu: Menu;
  clips: SimClipLibrary;
  profile: LineProfile;
  clock: Clock;
  /** Called with each trace event as it happens. */
  onTrace?: (event: TraceEvent) => void;
  /** Also play every sound here (the computer's speaker). */
  speaker?: Speaker;
  /** Called with the command of the menu that runs now (the studio lights it up). */
  onCommand?: (command: Command) => void;
}

/**
 * One simulated phone on a clock the caller chooses: the same Phone and simulated board parts
 * as `ringdown sim`, driven by a person instead of a script. Keeps the trace and the handset.
 */
export class CallSession {
  readonly trace: TraceEvent[] = [];
  readonly audio: SimAudio;
  readonly outputs: SimOutputs;
  /** What `<Record>` kept this session (a recorded clip plays as that clip, as in `ringdown sim`). */
  readonly recordings = new MemoryRecordings();
  private readonly audioIn: SimAudioInput;
  private handsetUp = false;
  private readonly phone: Phone;

  constructor(readonly options: CallSessionOptions) {
    const { clock, clips } = options;
    const recordedMs = (name: string): number | undefined => {
      const samples = this.recordings.recordings.get(name);
      return samples === undefined ? undefined : Math.round(samples.length / 8);
    };
    this.audio = new SimAudio(clock, (clip) => recordedMs(clip) ?? clips.lengthOf(clip));
    this.outputs = new SimOutputs(clock);
    this.audioIn = new SimAudioInput(clock);
    this.phone = new Phone({
      menu: options.menu,
      clock,
      audio: options.speaker !== undefined ? new SoundingAudio(this.audio, options.speaker) : this.audio,
      line: new SimLineFeed(clock),
      clips: withRecordedClips(clips, recordedMs),
      audioIn: this.audioIn,
      recordings: this.recordings,
      profile: options.profile,
      outputs: this.outputs,
      ...(options.onCommand !== undefined ? { onCommand: options.onCommand } : {}),
      trace: (event) => {
        this.trace.push(event);
        options.onTrace?.(event);
      },
    });
  }

  get offHook(): boolean {
    return this.handsetUp;
  }

  /** The phone's line state (idle, menu, disconnected...). */
  get lineState(): string {
    return this.phone.lineState;
  }

  /** Lifts the handset when it is down, replaces it when it is up. */
  toggleHook(): void {
    this.handsetUp = !this.handsetUp;
    if (this.handsetUp) this.phone.offHook();
    else this.phone.onHook();
  }

  /** A key from the caller; with the handset down nothing reaches the line. */
  key(key: string): boolean {
    if (!this.handsetUp) return false;
    this.phone.key(key);
    return true;
  }

  flash(): boolean {
    if (!this.handsetUp) return false;
    this.phone.flash();
    return true;
  }

  /** The caller says `samples` (8 kHz) from now, for `<Record>` to hear; nothing with the handset down. */
  say(samples: Int16Array): boolean {
    if (!this.handsetUp) return false;
    this.audioIn.say(samples);
    return true;
  }

  /** The ring trigger (a doorbell): the phone rings until the handset is lifted or the bound. */
  ring(): boolean {
    if (this.handsetUp) return false;
    this.phone.ring();
    return true;
  }
}
