/**
 * The audio-input DTMF receiver driver against a fake ECMA-419 AudioIn in virtual time: ADC-like
 * samples (12-bit, on a mid-rail bias) in blocks as DMA delivers them; key events at Clock times.
 */
import t from 'tap';
import { VirtualClock } from '../sim/virtual-clock.js';
import { AudioInDtmfReceiver, type AudioInClass, type AudioInPort } from '../drivers/audioin-dtmf/audioin-dtmf.js';
import type { DtmfEvent } from '../hal/dtmf.js';
import { renderDtmf } from '../src/dsp/dtmf-signal.js';

/** A fake AudioIn that offers `source` in DMA blocks of 256 samples, one every 32 ms of clock time. */
function fakeAudioIn(
  clock: VirtualClock,
  source: Int16Array,
): { io: AudioInClass; opened: { started: boolean; closed: boolean; rate: number }[] } {
  const opened: { started: boolean; closed: boolean; rate: number }[] = [];
  class FakeAudioIn implements AudioInPort {
    private at = 0;
    private available = 0;
    private readonly state: { started: boolean; closed: boolean; rate: number };
    constructor(options: { sampleRate: number; onReadable: (this: AudioInPort, byteLength: number) => void }) {
      this.state = { started: false, closed: false, rate: options.sampleRate };
      opened.push(this.state);
      const tick = (): void => {
        if (this.state.closed || this.at + this.available >= source.length) return;
        this.available += Math.min(256, source.length - this.at - this.available);
        options.onReadable.call(this, this.available * 2);
        clock.schedule(32, tick);
      };
      clock.schedule(32, tick);
    }
    read(buffer: ArrayBufferView): number {
      // As Moddable's (xsmcGetBufferWritable): a view of bytes, or TypeError (an Int16Array is refused).
      if ('BYTES_PER_ELEMENT' in buffer && buffer.BYTES_PER_ELEMENT !== 1) throw new TypeError('invalid buffer');
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const n = Math.min(bytes.length >> 1, this.available);
      bytes.set(new Uint8Array(source.buffer, source.byteOffset + this.at * 2, n * 2));
      this.at += n;
      this.available -= n;
      return n * 2;
    }
    start(): void {
      this.state.started = true;
    }
    stop(): void {}
    close(): void {
      this.state.closed = true;
    }
  }
  return { io: FakeAudioIn, opened };
}

/** `keys` as a 12-bit ADC would give them: 1/16 of the level, on a bias of 2048. */
function adcSignal(keys: string): { samples: Int16Array; tones: { key: string; start: number; end: number }[] } {
  const signal = renderDtmf(keys, { toneMs: 80, gapMs: 120, levelDbm0: -6 });
  const samples = Int16Array.from(signal.samples, (v) => 2048 + Math.round(v / 16));
  return { samples, tones: signal.tones };
}

t.test('keys from ADC blocks, at their Clock times (within 5 ms)', async (t) => {
  const clock = new VirtualClock();
  const { samples, tones } = adcSignal('42#');
  const { io, opened } = fakeAudioIn(clock, samples);
  const rx = new AudioInDtmfReceiver({ clock, io, gain: 16 });
  const events: DtmfEvent[] = [];
  rx.onKey = (e) => events.push(e);
  while (clock.step()) {}
  t.same(
    opened.map((o) => [o.started, o.rate]),
    [[true, 8000]],
  );
  t.same(
    events.map((e) => `${e.key}${e.down ? 'v' : '^'}`),
    ['4v', '4^', '2v', '2^', '#v', '#^'],
  );
  // Sample n arrives in the block that ends at 32 ms * ceil((n + 1) / 256); its time is n / 8 ms.
  events.forEach((e, i) => {
    const tone = tones[i >> 1]!;
    const want = (e.down ? tone.start : tone.end) / 8;
    t.ok(Math.abs(e.atMs - want) <= 5, `${e.key} ${e.down ? 'down' : 'up'} at ${e.atMs} ms, tone at ${want} ms`);
  });
  rx.close();
  t.ok(opened[0]!.closed);
});

t.test('disabled: no key down; a key down before disabling still goes up (as the MT8870 driver)', async (t) => {
  const clock = new VirtualClock();
  const { samples } = adcSignal('12');
  const { io } = fakeAudioIn(clock, samples);
  const rx = new AudioInDtmfReceiver({ clock, io, gain: 16 });
  const events: string[] = [];
  rx.onKey = (e) => events.push(`${e.key}${e.down ? 'v' : '^'}`);
  // Key 1 sounds 120-200 ms and is reported down once the 160 ms block is in; disable at 200 ms,
  // while it is still down (its key up comes with the 256 ms block). Key 2 sounds 320-400 ms.
  clock.schedule(200, () => rx.setEnabled(false));
  while (clock.step()) {}
  t.same(events, ['1v', '1^'], 'key 2 (while disabled) never reported');
});

t.test('only 8 kHz', async (t) => {
  const clock = new VirtualClock();
  const { io } = fakeAudioIn(clock, new Int16Array(0));
  t.throws(() => new AudioInDtmfReceiver({ clock, io, sampleRate: 16000 }), /16000 Hz; it needs 8000 Hz/);
});

t.test('the same port is the audio input for Record: conditioned blocks, timed, from start to stop', async (t) => {
  const clock = new VirtualClock();
  // 1 s of a ramp on the ADC's bias: the frames carry it without the bias, times 16.
  const source = Int16Array.from({ length: 8000 }, (_, i) => 2048 + (i % 256) - 128);
  const { io } = fakeAudioIn(clock, source);
  const rx = new AudioInDtmfReceiver({ clock, io, gain: 16 });
  const frames: { atMs: number; first: number; length: number }[] = [];
  clock.schedule(100, () =>
    rx.input.start((f) => frames.push({ atMs: f.atMs, first: f.samples[0]!, length: f.samples.length })),
  );
  clock.schedule(200, () => rx.input.stop());
  while (clock.step()) {}
  // Blocks end every 32 ms; those arriving from 100 ms to 200 ms: at 128, 160 and 192 ms.
  t.same(frames, [
    { atMs: 96, first: -128 * 16 + 8, length: 256 },
    { atMs: 128, first: -128 * 16 + 8, length: 256 },
    { atMs: 160, first: -128 * 16 + 8, length: 256 },
  ]);
});
