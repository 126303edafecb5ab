/**
 * A Speaker: what the line sounds like outside the simulation (sox in the terminal, Web Audio in
 * the studio). Pure: no Node or browser API, so the terminal and the browser share it.
 */
import type { AudioPlayer } from '../hal/audio.js';
import type { ToneSpec } from '../src/tones/tone.js';

export interface Speaker {
  clip(name: string): void;
  tone(tone: ToneSpec): void;
  stop(): void;
}

/** Passes every sound to a Speaker as well as to the simulated player. */
export class SoundingAudio implements AudioPlayer {
  constructor(
    private readonly inner: AudioPlayer,
    private readonly speaker: Speaker,
  ) {}

  play(clip: string, onEnd: () => void): void {
    this.inner.play(clip, onEnd);
    this.speaker.clip(clip);
  }

  playTone(tone: ToneSpec): void {
    this.inner.playTone(tone);
    this.speaker.tone(tone);
  }

  stop(): void {
    this.inner.stop();
    this.speaker.stop();
  }
}
