/**
 * The call through the computer's speakers: clips from the clip folder (`/clips/NAME.wav`) and
 * the profile's tones through Web Audio; a clip with no file is read by the browser's speech
 * synthesis (the page says so). The simulation never waits for any of it.
 */
import type { RingCadence } from '../../../hal/ringer.js';
import { deviceFormatProblem, readWavSamples } from '../../../src/audio/wav.js';
import { renderTone } from '../../../src/tones/synth.js';
import type { ToneSpec } from '../../../src/tones/tone.js';
import type { Speaker } from '../../../sim/sounding-audio.js';

const RATE = 8000;

export class WebSpeaker implements Speaker {
  /** Web Audio sources started (clips and tones): the browser test reads it. */
  audioStarted = 0;
  /** Clips read by speech synthesis. */
  speechStarted = 0;
  private context: AudioContext | undefined;
  private source: AudioBufferSourceNode | undefined;
  private ringSource: AudioBufferSourceNode | undefined;
  private readonly samples = new Map<string, Int16Array>();
  private readonly tones = new Map<string, AudioBuffer>();

  constructor(
    /** The text of the clip being played (from the trace), for speech synthesis. */
    private readonly textOf: (clip: string) => string | undefined,
    private readonly note: (message: string) => void,
  ) {}

  /** Fetches a clip of the folder and keeps its samples (for playing and for the exported WAV). */
  async load(name: string): Promise<void> {
    const response = await fetch(`clips/${encodeURIComponent(name)}.wav`);
    if (!response.ok) return this.note(`clip ${name}: ${(await response.text()).trim()}`);
    const wav = readWavSamples(new Uint8Array(await response.arrayBuffer()));
    const problem = typeof wav === 'string' ? wav : deviceFormatProblem(wav.info);
    if (problem !== undefined || typeof wav === 'string')
      return this.note(`clip ${name}: ${problem ?? ''}; it is read by speech synthesis`);
    this.samples.set(name, wav.samples);
  }

  /** A clip's samples, when its file was loaded. */
  clipSamples(name: string): Int16Array | undefined {
    return this.samples.get(name);
  }

  /** Makes (or wakes) the audio context: call it from a click, as browsers ask. */
  wake(): void {
    if (typeof AudioContext === 'undefined') return;
    this.context ??= new AudioContext();
    if (this.context.state === 'suspended') void this.context.resume();
  }

  clip(name: string): void {
    this.stop();
    const samples = this.samples.get(name);
    if (samples !== undefined) {
      this.source = this.start(this.buffer(samples), false);
      return;
    }
    const text = this.textOf(name) ?? name;
    if (typeof speechSynthesis === 'undefined') {
      this.note(`no clip file for ${name} and no speech synthesis in this browser: it is silent`);
      return;
    }
    this.speechStarted++;
    speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  tone(tone: ToneSpec): void {
    this.stop();
    this.source = this.start(this.toneBuffer(tone), true);
  }

  stop(): void {
    this.source?.stop();
    this.source = undefined;
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel();
  }

  /** The phone's bell while it rings (a ring trigger), in the profile's cadence. */
  ring(cadence: RingCadence): void {
    this.stopRing();
    const bell: ToneSpec = {
      name: `bell-${cadence.cadenceMs.join('-')}`,
      frequencies: [800, 1020],
      cadenceMs: cadence.cadenceMs,
      levelDbm0: -12,
    };
    this.ringSource = this.start(this.toneBuffer(bell), true);
  }

  stopRing(): void {
    this.ringSource?.stop();
    this.ringSource = undefined;
  }

  private start(buffer: AudioBuffer | undefined, loop: boolean): AudioBufferSourceNode | undefined {
    const context = this.context;
    if (context === undefined || buffer === undefined) return undefined;
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.loop = loop;
    source.connect(context.destination);
    source.start();
    this.audioStarted++;
    return source;
  }

  private buffer(samples: Int16Array): AudioBuffer | undefined {
    if (this.context === undefined || samples.length === 0) return undefined;
    const buffer = this.context.createBuffer(1, samples.length, RATE);
    const data = buffer.getChannelData(0);
    for (let i = 0; i < samples.length; i++) data[i] = samples[i]! / 32768;
    return buffer;
  }

  /** A tone as a loop: whole cadence periods and whole seconds, so it repeats without a click. */
  private toneBuffer(tone: ToneSpec): AudioBuffer | undefined {
    const cached = this.tones.get(tone.name);
    if (cached !== undefined) return cached;
    const period = tone.cadenceMs.reduce((a, b) => a + b, 0);
    let ms = 1000;
    if (period > 0) {
      ms = period;
      while (ms % 1000 !== 0 && ms < 60_000) ms += period;
    }
    const samples = new Int16Array((ms * RATE) / 1000);
    renderTone(tone, RATE, 0, samples, 0, samples.length);
    const buffer = this.buffer(samples);
    if (buffer !== undefined) this.tones.set(tone.name, buffer);
    return buffer;
  }
}
