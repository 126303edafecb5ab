/**
 * A fake Moddable AudioOut: records what is enqueued on each stream; `drain()` plays the queue
 * out as the DMA would (callbacks fire in order). Any use of the square-wave `Tone` is recorded.
 */
import type { AudioOutClass, AudioOutPort } from '../../drivers/audioout-player/audioout-player.js';

export interface Queued {
  kind: string;
  buffer?: object;
  value?: number;
  repeat?: number;
  offset?: number;
  count?: number;
}

const KINDS = ['', 'Samples', 'Flush', 'Callback', 'Volume', 'RawSamples', 'Tone', 'Silence'];

export interface FakeAudioOut extends AudioOutPort {
  readonly queue: Queued[];
  readonly log: Queued[];
  started: boolean;
  /** Plays the queue out; stops after `maxCallbacks` callbacks (a tone re-queues for ever). */
  drain(maxCallbacks?: number): void;
}

export function fakeAudioOut(opened: FakeAudioOut[]): AudioOutClass {
  class Fake implements FakeAudioOut {
    static readonly Samples = 1;
    static readonly Flush = 2;
    static readonly Callback = 3;
    static readonly Volume = 4;
    static readonly RawSamples = 5;
    static readonly Tone = 6;
    static readonly Silence = 7;
    readonly queue: Queued[] = [];
    readonly log: Queued[] = [];
    started = false;
    callback: (value: number) => void = () => {};

    constructor(readonly options: { sampleRate?: number }) {
      opened.push(this);
    }

    enqueue(stream: number, kind: number, ...args: unknown[]): void {
      if (stream !== 0) throw new Error(`stream ${stream}`);
      const name = KINDS[kind] ?? `kind ${kind}`;
      let item: Queued;
      if (name === 'Samples' || name === 'RawSamples') {
        const [buffer, repeat, offset, count] = args as [object, number?, number?, number?];
        // As Moddable's xsmcGetBufferReadable and audioout.c: an ArrayBuffer (or a view of one) is
        // relocatable and refused; a typed array must have 1-byte elements.
        if (buffer instanceof ArrayBuffer) throw new Error('non-relocatable block required');
        if (ArrayBuffer.isView(buffer)) {
          if (!(buffer instanceof Uint8Array || buffer instanceof Int8Array)) throw new Error('invalid buffer');
          if (buffer.buffer instanceof ArrayBuffer) throw new Error('non-relocatable block required');
        }
        item = {
          kind: name,
          buffer,
          ...(repeat !== undefined ? { repeat } : {}),
          ...(offset !== undefined ? { offset } : {}),
          ...(count !== undefined ? { count } : {}),
        };
      } else if (name === 'Flush') {
        item = { kind: name };
        this.queue.length = 0;
      } else {
        item = { kind: name, value: args[0] as number };
      }
      this.log.push(item);
      if (name !== 'Flush') this.queue.push(item);
    }

    drain(maxCallbacks = Infinity): void {
      let callbacks = 0;
      while (this.queue.length > 0 && callbacks < maxCallbacks) {
        const item = this.queue.shift()!;
        if (item.kind !== 'Callback') continue;
        callbacks++;
        this.callback(item.value!);
      }
    }

    start(): void {
      this.started = true;
    }

    stop(): void {
      this.started = false;
    }

    close(): void {}
  }
  return Fake;
}
