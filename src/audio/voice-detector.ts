/**
 * An energy voice detector for recordings: is the caller speaking? The signal is cut into 10 ms
 * windows (80 samples at 8 kHz); a window is loud when its RMS is at or above the threshold
 * (-40 dBFS by default, 328 of 32767). Voice starts after `onsetMs` of consecutive loud windows
 * (a click or a single pop is not voice) and lasts until `hangoverMs` after the last loud window
 * (the gaps between syllables and words are not silence). Pure: samples in, state out.
 */

export interface VoiceDetectorOptions {
  /** Samples per second of the signal. */
  sampleRate: number;
  /** Window length in ms. */
  windowMs: number;
  /** RMS a loud window reaches, in 16-bit sample units. */
  thresholdRms: number;
  /** Consecutive loud time before voice is detected, in ms (a multiple of windowMs). */
  onsetMs: number;
  /** Voice lasts this long after the last loud window, in ms (a multiple of windowMs). */
  hangoverMs: number;
}

/** -40 dBFS RMS: well above a quiet line's hiss, well below speech at a normal level (-20 to -10 dBFS). */
export const VOICE_THRESHOLD_DBFS = -40;

export const DEFAULT_VOICE_OPTIONS: Readonly<VoiceDetectorOptions> = {
  sampleRate: 8000,
  windowMs: 10,
  thresholdRms: Math.round(32767 * 10 ** (VOICE_THRESHOLD_DBFS / 20)),
  onsetMs: 30,
  hangoverMs: 300,
};

export class VoiceDetector {
  private readonly windowSamples: number;
  private readonly thresholdEnergy: number;
  private readonly onsetWindows: number;
  private readonly hangoverWindows: number;
  /** Sum of squares and sample count of the window being filled. */
  private sum = 0;
  private filled = 0;
  private loudRun = 0;
  private hangover = 0;
  private active = false;
  private heard = false;
  private silent = 0;

  constructor(options: Readonly<VoiceDetectorOptions> = DEFAULT_VOICE_OPTIONS) {
    this.windowSamples = Math.max(1, Math.round((options.sampleRate * options.windowMs) / 1000));
    this.thresholdEnergy = options.thresholdRms * options.thresholdRms * this.windowSamples;
    this.onsetWindows = Math.max(1, Math.round(options.onsetMs / options.windowMs));
    this.hangoverWindows = Math.max(0, Math.round(options.hangoverMs / options.windowMs));
  }

  /** Feeds samples in time order; any length (windows carry over between calls). */
  push(samples: Int16Array): void {
    const n = this.windowSamples;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      this.sum += s * s;
      if (++this.filled === n) this.closeWindow();
    }
  }

  /** True while voice is detected (including the hangover after it). */
  get speaking(): boolean {
    return this.active;
  }

  /** True once voice has been detected at all since the detector was made. */
  get heardVoice(): boolean {
    return this.heard;
  }

  /** Samples (whole windows) since voice was last detected, hangover included; 0 while speaking. */
  get silentSamples(): number {
    return this.silent;
  }

  private closeWindow(): void {
    const loud = this.sum >= this.thresholdEnergy;
    this.sum = 0;
    this.filled = 0;
    this.loudRun = loud ? this.loudRun + 1 : 0;
    if (this.loudRun >= this.onsetWindows) {
      this.active = true;
      this.heard = true;
      this.hangover = this.hangoverWindows;
    } else if (this.active && !loud) {
      if (this.hangover > 0) this.hangover--;
      else this.active = false;
    }
    if (this.active) this.silent = 0;
    else this.silent += this.windowSamples;
  }
}
