/**
 * The AudioPlayer on Moddable's `pins/audioout` (ESP32 internal DAC or I2S): clips are MAUD
 * resources played on stream 0; an `AudioOut.Callback` queued after each clip marks its end;
 * `stop()` and every new sound flush the stream first (barge-in cuts the prompt at once).
 *
 * A clip that names a kept recording (`recordings`) is streamed from the store instead: a few
 * fixed blocks, each read from the store, queued as RawSamples with a Callback behind it; each
 * block's callback refills it with what comes next and queues it again, so the recording plays at
 * its recorded length in the RAM of its blocks, and its last block's callback ends it. A store
 * that fails to open or read (a card pulled out) ends the recording where it got to: the menu goes
 * on, never waiting for an end that cannot come.
 *
 * Call-progress tones are sines rendered with src/tones/synth.ts, never AudioOut's `Tone`
 * command (a square wave: a caller would hear its harmonics). One seamless block holds a whole
 * number of cycles of every frequency (e.g. 100 ms for 350 + 440 Hz at 8 kHz); each cadence
 * cycle is queued as that block repeated, then silence, then a callback that queues the next.
 */
import type { AudioPlayer } from '../../hal/audio.js';
import type { Clock, TimerHandle } from '../../hal/clock.js';
import type { RecordingReader, RecordingSource } from '../../hal/recordings.js';
import { renderTone } from '../../src/tones/synth.js';
import type { ToneSpec } from '../../src/tones/tone.js';

/** The part of Moddable's AudioOut instance the player uses. */
export interface AudioOutPort {
  enqueue(stream: number, kind: number, buffer: object, repeat?: number, offset?: number, count?: number): void;
  enqueue(stream: number, kind: number, value: number): void;
  enqueue(stream: number, kind: number): void;
  start(): void;
  stop(): void;
  close(): void;
  callback: (value: number) => void;
}

/** Moddable's AudioOut class (`pins/audioout`). */
export interface AudioOutClass {
  new (options: { sampleRate?: number; bitsPerSample?: number; numChannels?: number; streams?: number }): AudioOutPort;
  readonly Samples: number;
  readonly Flush: number;
  readonly Callback: number;
  readonly RawSamples: number;
  readonly Silence: number;
}

export interface AudioOutPlayerOptions {
  io: AudioOutClass;
  clock: Clock;
  /** The MAUD resource of a clip (on the chip: `new Resource(name + ".maud")`); undefined if absent. */
  clip: (name: string) => object | undefined;
  /** Must match the MAUD clips (default 8000 Hz, 16-bit mono). */
  sampleRate?: number;
  /**
   * A clip's length in ms, when its end is to come from the clock rather than AudioOut's callback:
   * on the RP2040 AudioOut mixes 220 ms buffers from a 20 ms timer and calls back when its mixer
   * reaches the marker, so a clip's end would be traced up to a buffer early or late. Then the
   * sound after a clip that ended this way is queued behind it, not flushed: what is still mixed
   * or buffered plays out. A stop or a barge-in flushes as always.
   */
  clipMs?: (clip: string) => number | undefined;
  /** Kept recordings, played before a build clip of the same name (streamed from the store). */
  recordings?: RecordingReader;
  /** Samples in each block a recording streams through (default 1024: 128 ms at 8 kHz). */
  streamBlockSamples?: number;
  /**
   * Blocks queued at once (default 3): AudioOut plays the others while one is refilled, so a refill
   * may come that many blocks less one late without a gap. Each takes two of AudioOut's 8 queue places.
   */
  streamBlocks?: number;
}

/** A recording being streamed: where its next block starts, and the blocks queued, oldest first. */
interface Stream {
  source: RecordingSource;
  at: number;
  queued: number[];
}

/** A block of a tone's sines that loops without a seam, and its cadence in samples. */
export interface ToneLoop {
  block: Int16Array;
  /** On, off, on, off... in samples; empty for a steady tone. */
  cadence: number[];
}

/** The longest seamless block rendered (samples); beyond, a 100 ms block with a small seam. */
const MAX_BLOCK = 4000;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Samples in which every frequency completes whole cycles, or undefined past `max`. */
export function seamlessLength(
  frequencies: readonly number[],
  sampleRate: number,
  max = MAX_BLOCK,
): number | undefined {
  let n = 1;
  for (const f of frequencies) {
    if (!Number.isInteger(f) || f <= 0) return undefined;
    const period = sampleRate / gcd(sampleRate, f);
    n = (n / gcd(n, period)) * period;
    if (n > max) return undefined;
  }
  return n;
}

/**
 * Memory AudioOut can hold on to. Its `enqueue` takes samples only from a buffer the XS garbage
 * collector never moves ("non-relocatable block required": a resource, or a view of a
 * SharedArrayBuffer, whose bytes XS allocates outside its chunk heap); an ArrayBuffer is refused.
 * Found on the Pico in the emulator, where the reorder tone after a hang-up threw; it holds for
 * every platform of modules/pins/i2s. A host without SharedArrayBuffer gets an ArrayBuffer.
 */
function fixedBuffer(bytes: number): ArrayBufferLike {
  const Shared = (globalThis as { SharedArrayBuffer?: new (n: number) => ArrayBufferLike }).SharedArrayBuffer;
  return Shared !== undefined ? new Shared(bytes) : new ArrayBuffer(bytes);
}

/** Renders a tone for AudioOut: one seamless block of its sines and its cadence in samples. */
export function toneLoop(tone: ToneSpec, sampleRate: number): ToneLoop {
  const length = seamlessLength(tone.frequencies, sampleRate) ?? Math.round(sampleRate / 10);
  const block = new Int16Array(fixedBuffer(length * 2));
  renderTone({ ...tone, cadenceMs: [] }, sampleRate, 0, block, 0, length);
  return { block, cadence: tone.cadenceMs.map((ms) => Math.round((ms * sampleRate) / 1000)) };
}

const STREAM = 0;

export class AudioOutPlayer implements AudioPlayer {
  private readonly out: AudioOutPort;
  private readonly io: AudioOutClass;
  private readonly clock: Clock;
  private readonly clip: (name: string) => object | undefined;
  private readonly sampleRate: number;
  /** Each sound gets an id; a callback for any other id is stale and ignored. */
  private id = 0;
  private onEnd: (() => void) | undefined;
  private tone: ToneLoop | undefined;
  private missing: TimerHandle | undefined;
  private readonly clipMs: ((clip: string) => number | undefined) | undefined;
  /** The clock's end of the clip playing (with `clipMs`). */
  private ending: TimerHandle | undefined;
  /** Whether the last sound ended on its own (by its length), so the next needs no flush. */
  private ended = false;
  private readonly recordings: RecordingReader | undefined;
  private readonly blockSamples: number;
  private readonly blockCount: number;
  /** The stream blocks, made at the first recording played and kept (AudioOut holds them by address). */
  private blocks: Int16Array[] | undefined;
  private stream: Stream | undefined;

  constructor(options: AudioOutPlayerOptions) {
    this.io = options.io;
    this.clock = options.clock;
    this.clip = options.clip;
    this.sampleRate = options.sampleRate ?? 8000;
    this.clipMs = options.clipMs;
    this.recordings = options.recordings;
    this.blockSamples = options.streamBlockSamples ?? 1024;
    this.blockCount = options.streamBlocks ?? 3;
    this.out = new options.io({ sampleRate: this.sampleRate, bitsPerSample: 16, numChannels: 1, streams: 1 });
    this.out.callback = (value) => this.callback(value);
    this.out.start();
  }

  play(clip: string, onEnd: () => void): void {
    const id = this.begin(!this.ended || this.stream !== undefined);
    this.onEnd = onEnd;
    const source = this.openRecording(clip);
    if (source !== undefined) {
      this.playRecording(id, clip, source);
      return;
    }
    const resource = this.clip(clip);
    if (resource === undefined) {
      // No such resource: end at once rather than leave the menu waiting for ever.
      this.missing = this.clock.schedule(0, () => this.callback(id));
      return;
    }
    this.out.enqueue(STREAM, this.io.Samples, resource);
    const ms = this.clipMs?.(clip);
    if (ms === undefined) {
      this.out.enqueue(STREAM, this.io.Callback, id);
      return;
    }
    this.endAfter(ms);
  }

  /**
   * Streams a kept recording: every block filled and queued, each followed by a Callback of the
   * sound's id. With `clipMs` (an AudioOut that calls back late) the end comes from the clock at
   * the recording's length; the callbacks still refill the blocks.
   */
  private playRecording(id: number, clip: string, source: RecordingSource): void {
    const rate = this.sampleRate;
    this.blocks ??= Array.from({ length: this.blockCount }, () => new Int16Array(fixedBuffer(this.blockSamples * 2)));
    this.stream = { source, at: 0, queued: [] };
    for (let b = 0; b < this.blocks.length; b++) if (!this.queueBlock(id, b)) break;
    if (this.stream.queued.length === 0) {
      // An empty recording: it ends at once, as a missing clip does.
      this.endStream();
      this.missing = this.clock.schedule(0, () => this.callback(id));
      return;
    }
    if (this.clipMs?.(clip) !== undefined) this.endAfter(Math.round((source.samples * 1000) / rate));
  }

  /** The kept recording named `clip`, opened; undefined when there is none or the store fails. */
  private openRecording(clip: string): RecordingSource | undefined {
    try {
      return this.recordings?.openRecording(clip);
    } catch {
      return undefined;
    }
  }

  /** Reads the stream's next samples into block `b` and queues it; false at the recording's end. */
  private queueBlock(id: number, b: number): boolean {
    const stream = this.stream!;
    const block = this.blocks![b]!;
    let n = 0;
    try {
      n = stream.at < stream.source.samples ? stream.source.read(stream.at, block) : 0;
    } catch {
      // A read that fails is the recording's end.
      stream.at = stream.source.samples;
    }
    if (n <= 0) return false;
    stream.at += n;
    stream.queued.push(b);
    // A byte view: XS hands AudioOut a typed array's bytes only for 1-byte elements.
    const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
    this.out.enqueue(STREAM, this.io.RawSamples, bytes, 1, 0, n);
    this.out.enqueue(STREAM, this.io.Callback, id);
    return true;
  }

  private endStream(): void {
    this.stream?.source.close();
    this.stream = undefined;
  }

  /** Ends the clip playing by the clock, `ms` from now (an AudioOut whose callbacks come late). */
  private endAfter(ms: number): void {
    this.ending = this.clock.schedule(ms, () => {
      this.ending = undefined;
      this.ended = true;
      const end = this.onEnd;
      this.onEnd = undefined;
      end?.();
    });
  }

  playTone(tone: ToneSpec): void {
    const id = this.begin(!this.ended || this.stream !== undefined);
    this.tone = toneLoop(tone, this.sampleRate);
    this.queueCycle(id);
  }

  stop(): void {
    this.begin(true);
  }

  close(): void {
    this.stop();
    this.out.stop();
    this.out.close();
  }

  /**
   * Flushes whatever plays (unless the last clip ended on its own and no recording's blocks are
   * still queued: they are about to be refilled) and starts a new sound id.
   */
  private begin(flush: boolean): number {
    if (flush) this.out.enqueue(STREAM, this.io.Flush);
    if (this.missing !== undefined) this.clock.cancel(this.missing);
    this.missing = undefined;
    if (this.ending !== undefined) this.clock.cancel(this.ending);
    this.ending = undefined;
    this.ended = false;
    this.onEnd = undefined;
    this.tone = undefined;
    this.endStream();
    return ++this.id;
  }

  private callback(value: number): void {
    if (value !== this.id) return;
    if (this.tone !== undefined) {
      this.queueCycle(value);
      return;
    }
    const stream = this.stream;
    if (stream !== undefined) {
      // A block has played: refill it; the recording ends when its last block has played.
      const b = stream.queued.shift();
      if (b !== undefined && this.queueBlock(value, b)) return;
      if (stream.queued.length > 0) return;
      this.endStream();
      // With clipMs the clock ends the recording (or already has).
      if (this.ending !== undefined || this.ended) return;
    }
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.();
  }

  /** One cadence cycle (a second of a steady tone), then a callback to queue the next. */
  private queueCycle(id: number): void {
    const loop = this.tone;
    if (loop === undefined) return;
    const steps = loop.cadence.length > 0 ? loop.cadence : [this.sampleRate];
    for (let i = 0; i < steps.length; i++) {
      const samples = steps[i]!;
      if (samples <= 0) continue;
      if (i % 2 === 1) {
        this.out.enqueue(STREAM, this.io.Silence, samples);
        continue;
      }
      const length = loop.block.length;
      const whole = Math.floor(samples / length);
      const rest = samples - whole * length;
      // A byte view: XS hands AudioOut a typed array's bytes only for 1-byte elements.
      const bytes = new Uint8Array(loop.block.buffer, loop.block.byteOffset, loop.block.byteLength);
      if (whole > 0) this.out.enqueue(STREAM, this.io.RawSamples, bytes, whole);
      if (rest > 0) this.out.enqueue(STREAM, this.io.RawSamples, bytes, 1, 0, rest);
    }
    this.out.enqueue(STREAM, this.io.Callback, id);
  }
}
