import type { AudioFrame, AudioInput } from '../hal/audio-in.js';
import type { Clock, TimerHandle } from '../hal/clock.js';

/** Samples a simulated ms holds: the line's audio is 8 kHz. */
const PER_MS = 8;

/** The simulated input's frame length: 20 ms, 160 samples, as an I2S/ADC DMA buffer would give. */
export const SIM_FRAME_MS = 20;

interface Voice {
  /** Clock time of the first sample, in whole ms. */
  atMs: number;
  samples: Int16Array;
}

/**
 * The caller's side of the simulated line: what `say:FILE@S` put on it, placed in virtual time
 * (overlapping voices add, clamped to 16 bits; silence elsewhere). While started, a frame is
 * delivered every SIM_FRAME_MS with the time of its first sample; `stop()` delivers the part
 * frame up to now. Every sample of the line is in exactly one frame, so a recording is exact.
 */
export class SimAudioInput implements AudioInput {
  private readonly voices: Voice[] = [];
  private onFrame: ((frame: AudioFrame) => void) | undefined;
  private timer: TimerHandle | undefined;
  /** Start of the next frame, in ms. */
  private from = 0;

  constructor(private readonly clock: Clock) {}

  /** The caller starts saying `samples` now. */
  say(samples: Int16Array): void {
    this.voices.push({ atMs: this.clock.now(), samples });
  }

  start(onFrame: (frame: AudioFrame) => void): void {
    this.halt();
    this.onFrame = onFrame;
    this.from = this.clock.now();
    this.timer = this.clock.schedule(SIM_FRAME_MS, () => this.tick(onFrame));
  }

  stop(): void {
    const onFrame = this.onFrame;
    this.halt();
    const now = this.clock.now();
    if (onFrame !== undefined && now > this.from) onFrame({ samples: this.samples(this.from, now), atMs: this.from });
  }

  /** The line's samples from `fromMs` to `toMs` (whole ms). */
  samples(fromMs: number, toMs: number): Int16Array {
    const out = new Int16Array((toMs - fromMs) * PER_MS);
    const first = fromMs * PER_MS;
    for (const voice of this.voices) {
      const start = voice.atMs * PER_MS;
      const lo = Math.max(first, start);
      const hi = Math.min(first + out.length, start + voice.samples.length);
      for (let i = lo; i < hi; i++) {
        const sum = out[i - first]! + voice.samples[i - start]!;
        out[i - first] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
      }
    }
    return out;
  }

  private halt(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
    this.onFrame = undefined;
  }

  private tick(onFrame: (frame: AudioFrame) => void): void {
    this.timer = undefined;
    const from = this.from;
    this.from = from + SIM_FRAME_MS;
    onFrame({ samples: this.samples(from, this.from), atMs: from });
    // Unless the frame's consumer stopped (or restarted) the input, the next frame follows.
    if (this.onFrame === onFrame && this.timer === undefined)
      this.timer = this.clock.schedule(SIM_FRAME_MS, () => this.tick(onFrame));
  }
}
