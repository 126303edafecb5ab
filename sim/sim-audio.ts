import type { AudioPlayer } from '../hal/audio.js';
import type { Clock, TimerHandle } from '../hal/clock.js';
import type { ToneSpec } from '../src/tones/tone.js';

/** One stretch of sound the caller heard, in virtual ms; `end` is unset while it still plays. */
export interface AudioSegment {
  kind: 'clip' | 'tone';
  name: string;
  start: number;
  end?: number;
  tone?: ToneSpec;
}

/**
 * The simulated audio output: a clip lasts as long as `clipMs` says, and every sound is logged
 * as a segment, which is what the WAV writer renders.
 */
export class SimAudio implements AudioPlayer {
  readonly segments: AudioSegment[] = [];
  private current: AudioSegment | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly clipMs: (clip: string) => number,
  ) {}

  play(clip: string, onEnd: () => void): void {
    this.stop();
    const segment = this.begin({ kind: 'clip', name: clip, start: this.clock.now() });
    this.timer = this.clock.schedule(this.clipMs(clip), () => {
      this.timer = undefined;
      this.finish(segment);
      onEnd();
    });
  }

  playTone(tone: ToneSpec): void {
    this.stop();
    this.begin({ kind: 'tone', name: tone.name, start: this.clock.now(), tone });
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    if (this.current !== undefined) this.finish(this.current);
  }

  /** True while a clip or tone plays. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  private begin(segment: AudioSegment): AudioSegment {
    this.segments.push(segment);
    this.current = segment;
    return segment;
  }

  private finish(segment: AudioSegment): void {
    segment.end = this.clock.now();
    if (this.current === segment) this.current = undefined;
  }
}
