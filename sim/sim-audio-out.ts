/**
 * Moddable's AudioOut (`pins/audioout`) played on a Clock: what a firmware on a desktop plays
 * through the same AudioOutPlayer the ESP32 boards use (Moddable's own AudioOut on lin is a stub
 * that plays nothing and never calls back). One stream, with the chip's rules: 8 queue places
 * (a full queue throws "queue full"), samples only from a buffer the collector never moves
 * (a SharedArrayBuffer's view), MAUD resources checked against the output's format.
 *
 * The queue plays at the sample rate, element after element with no gap, from the moment
 * something is queued on an idle output; a Callback element calls `callback` once everything
 * before it has played. Every sample played goes to `onPlayed` as it plays (up to the clock's
 * now whenever the queue changes: a Flush cuts an element where it had got to). A MAUD resource
 * of only a header (a stand-in clip of a given length) plays as silence of that length.
 */
import type { Clock, TimerHandle } from '../hal/clock.js';

const SAMPLES = 1;
const FLUSH = 2;
const CALLBACK = 3;
const VOLUME = 4;
const RAW_SAMPLES = 5;
const SILENCE = 7;
/** MODDEF_AUDIOOUT_QUEUELENGTH's default. */
const QUEUE_LENGTH = 8;
const MAUD_HEADER = 12;

interface Element {
  /** The samples (undefined: silence), `count` of them, played `repeat` times. */
  samples: Int16Array | undefined;
  count: number;
  repeat: number;
  /** A Callback's value (no samples, no length). */
  callback?: number;
}

export interface SimAudioOutOptions {
  clock: Clock;
  /** Each stretch of samples as it plays (a view: copy what is kept). */
  onPlayed: (samples: Int16Array) => void;
  /** Called with each AudioOut made (the player makes one). */
  onOpen?: (port: SimAudioOutPort) => void;
}

/** Bytes of a buffer AudioOut may hold on to, or why not (its error message). */
function fixedBytes(buffer: unknown): Uint8Array | string {
  if (buffer instanceof Uint8Array || buffer instanceof Int8Array) {
    // An engine without SharedArrayBuffer has no fixed memory to tell apart: any byte view goes.
    if (typeof SharedArrayBuffer === 'function' && !(buffer.buffer instanceof SharedArrayBuffer))
      return 'non-relocatable block required';
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  if (ArrayBuffer.isView(buffer)) return 'invalid buffer';
  return 'non-relocatable block required';
}

/** Little-endian 16-bit samples of `bytes` (copied when not aligned for a view). */
function samplesOf(bytes: Uint8Array, from: number, count: number): Int16Array {
  const at = bytes.byteOffset + from * 2;
  if (at % 2 === 0) return new Int16Array(bytes.buffer, at, count);
  const out = new Int16Array(count);
  const view = new DataView(bytes.buffer, at, count * 2);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/**
 * The class the AudioOutPlayer is given as `io`, bound to a clock and a sink. `resources` turns
 * a MAUD resource the player is handed into its bytes (on the desktop firmware the clips are
 * plain byte arrays, which a real AudioOut would refuse: they stand in for flash resources).
 */
export function simAudioOut(options: SimAudioOutOptions): {
  new (format: {
    sampleRate?: number;
    bitsPerSample?: number;
    numChannels?: number;
    streams?: number;
  }): SimAudioOutPort;
  readonly Samples: number;
  readonly Flush: number;
  readonly Callback: number;
  readonly RawSamples: number;
  readonly Silence: number;
} {
  return class extends SimAudioOutPort {
    static readonly Samples = SAMPLES;
    static readonly Flush = FLUSH;
    static readonly Callback = CALLBACK;
    static readonly Volume = VOLUME;
    static readonly RawSamples = RAW_SAMPLES;
    static readonly Silence = SILENCE;
    constructor(format: { sampleRate?: number; bitsPerSample?: number; numChannels?: number; streams?: number }) {
      super(options, format);
      options.onOpen?.(this);
    }
  };
}

export class SimAudioOutPort {
  callback: (value: number) => void = () => undefined;
  private readonly clock: Clock;
  private readonly onPlayed: (samples: Int16Array) => void;
  private readonly rate: number;
  private readonly queue: Element[] = [];
  private started = false;
  /** When the queue's head began playing, in samples of the clock; undefined while idle. */
  private headStart: number | undefined;
  /** Samples of the head already given to `onPlayed`. */
  private headPlayed = 0;
  private timer: TimerHandle | undefined;

  constructor(
    options: SimAudioOutOptions,
    format: { sampleRate?: number; bitsPerSample?: number; numChannels?: number; streams?: number },
  ) {
    this.clock = options.clock;
    this.onPlayed = options.onPlayed;
    this.rate = format.sampleRate ?? 8000;
    if ((format.bitsPerSample ?? 16) !== 16 || (format.numChannels ?? 1) !== 1)
      throw new Error('the simulated AudioOut plays 16-bit mono only');
  }

  start(): void {
    this.started = true;
    this.arm();
  }

  stop(): void {
    this.advance();
    this.started = false;
    this.headStart = undefined;
    this.disarm();
  }

  close(): void {
    this.stop();
    this.queue.length = 0;
  }

  /** Gives `onPlayed` every sample played up to the clock's now (a run ending mid-sound). */
  settle(): void {
    this.advance();
    this.arm();
  }

  enqueue(stream: number, kind: number, value?: unknown, repeat = 1, offset = 0, count = -1): void {
    if (stream !== 0) throw new RangeError('invalid stream');
    this.advance();
    if (kind === FLUSH) {
      this.queue.length = 0;
      this.headStart = undefined;
      this.headPlayed = 0;
      this.arm();
      return;
    }
    if (this.queue.length === QUEUE_LENGTH) throw new Error('queue full');
    if (!Number.isInteger(repeat) || repeat <= 0) throw new Error('invalid repeat');
    switch (kind) {
      case SAMPLES:
      case RAW_SAMPLES: {
        const bytes = fixedBytes(value);
        if (typeof bytes === 'string') throw new Error(bytes);
        this.queue.push(
          kind === SAMPLES ? this.maud(bytes, repeat, offset, count) : this.raw(bytes, repeat, offset, count),
        );
        break;
      }
      case SILENCE:
        this.queue.push({ samples: undefined, count: Math.max(0, Math.floor(Number(value))), repeat: 1 });
        break;
      case CALLBACK:
        this.queue.push({ samples: undefined, count: 0, repeat: 1, callback: Number(value) });
        break;
      case VOLUME:
        return;
      default:
        throw new Error(`unsupported kind ${kind}`);
    }
    this.arm();
  }

  private raw(bytes: Uint8Array, repeat: number, offset: number, count: number): Element {
    const total = bytes.length >> 1;
    if (offset >= total) throw new Error('buffer too small');
    const n = count < 0 || offset + count > total ? total - offset : count;
    return { samples: samplesOf(bytes, offset, n), count: n, repeat };
  }

  private maud(bytes: Uint8Array, repeat: number, offset: number, count: number): Element {
    if (bytes.length < MAUD_HEADER || bytes[0] !== 0x6d || bytes[1] !== 0x61 || bytes[2] !== 1)
      throw new Error('bad header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, MAUD_HEADER);
    if (bytes[3] !== 16 || bytes[7] !== 0) throw new Error("format doesn't match output");
    if (view.getUint16(4, true) !== this.rate || bytes[6] !== 1) throw new Error("rate/channels doesn't match output");
    const total = view.getUint32(8, true);
    if (offset >= total) throw new Error('invalid offset');
    const n = count < 0 || offset + count > total ? total - offset : count;
    // A header alone (a stand-in clip) plays as silence of its length.
    const data = bytes.length >= MAUD_HEADER + (offset + n) * 2;
    return { samples: data ? samplesOf(bytes, (MAUD_HEADER >> 1) + offset, n) : undefined, count: n, repeat };
  }

  private nowSamples(): number {
    return Math.round((this.clock.now() * this.rate) / 1000);
  }

  /** Plays the queue up to the clock's now, then delivers the callbacks it passed. */
  private advance(): void {
    if (!this.started) return;
    const now = this.nowSamples();
    if (this.headStart === undefined) {
      if (this.queue.length === 0) return;
      this.headStart = now;
      this.headPlayed = 0;
    }
    const callbacks: number[] = [];
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.callback !== undefined) {
        callbacks.push(head.callback);
        this.queue.shift();
        continue;
      }
      const length = head.count * head.repeat;
      const upTo = Math.min(now - this.headStart, length);
      if (upTo > this.headPlayed) this.emit(head, this.headPlayed, upTo);
      this.headPlayed = Math.max(this.headPlayed, upTo);
      if (upTo < length) break;
      this.queue.shift();
      this.headStart += length;
      this.headPlayed = 0;
    }
    if (this.queue.length === 0) this.headStart = undefined;
    for (const value of callbacks) this.callback(value);
  }

  /** Gives samples [from, to) of an element (its repeats laid end to end) to `onPlayed`. */
  private emit(element: Element, from: number, to: number): void {
    for (let at = from; at < to; ) {
      const within = at % element.count;
      const n = Math.min(element.count - within, to - at);
      this.onPlayed(element.samples !== undefined ? element.samples.subarray(within, within + n) : new Int16Array(n));
      at += n;
    }
  }

  /** Sets the timer for the next moment the queue changes on its own: its head's end. */
  private arm(): void {
    this.disarm();
    if (!this.started || this.queue.length === 0) return;
    if (this.headStart === undefined) this.headStart = this.nowSamples();
    const head = this.queue[0]!;
    const end = this.headStart + (head.callback !== undefined ? 0 : head.count * head.repeat);
    const ms = Math.max(0, Math.ceil(((end - this.nowSamples()) * 1000) / this.rate));
    this.timer = this.clock.schedule(ms, () => {
      this.timer = undefined;
      this.advance();
      this.arm();
    });
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
  }
}
