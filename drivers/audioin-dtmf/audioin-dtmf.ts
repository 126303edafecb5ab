/**
 * A DtmfReceiver on an audio input: blocks of 8 kHz 16-bit samples from an ECMA-419 AudioIn
 * (`embedded:io/audio/in`) go through the software receiver (src/dsp/dtmf-detector.ts); its key
 * events, timed to the sample, become Clock times. Takes the AudioIn class in its options, so a
 * test drives it with a fake in virtual time; drivers/adc-dtmf/adc-dtmf.ts binds Moddable's class.
 *
 * Enabling follows the MT8870 driver exactly (menus cannot tell them apart): while disabled no key
 * goes down; a key that went down while enabled still reports its key up.
 *
 * The same samples are the board's audio input for `<Record>` (`input`, hal/audio-in.ts): one
 * I2S/ADC port feeds both, since the chip has one audio input on VOUT. Each block goes to the
 * recording first (bias removed and gain applied, as the receiver sees it), then to the receiver,
 * so a finish key found in a block ends the recording after that block (the recorder drops the
 * key's first 100 ms). A frame's time is its last sample's arrival less its length. `stop()` ends
 * at the last whole block: DMA gives no part block, so up to one block (32 ms) before the stop is
 * not recorded.
 */
import type { AudioFrame, AudioInput } from '../../hal/audio-in.js';
import type { Clock } from '../../hal/clock.js';
import type { DtmfEvent, DtmfReceiver } from '../../hal/dtmf.js';
import { DtmfDetector, type DtmfFilters, type DtmfKeyEvent } from '../../src/dsp/dtmf-detector.js';

/** The part of an ECMA-419 AudioIn instance the receiver uses. */
export interface AudioInPort {
  /**
   * Fills the view with samples and returns the bytes read (at most what `onReadable` offered).
   * Moddable's takes a view of bytes only (xsmcGetBuffer: an Int16Array throws "invalid buffer").
   */
  read(buffer: ArrayBufferView): number;
  start(): void;
  stop(): void;
  close(): void;
}

/** The ECMA-419 AudioIn class (`embedded:io/audio/in`). */
export interface AudioInClass {
  new (options: {
    sampleRate: number;
    bitsPerSample: 16;
    channels: 1;
    onReadable: (this: AudioInPort, byteLength: number) => void;
  }): AudioInPort;
}

export interface AudioInDtmfOptions {
  clock: Clock;
  io: AudioInClass;
  /** Must be 8000: the receiver's filters are tuned for it. */
  sampleRate?: number;
  /**
   * Multiplies each sample before the receiver (default 1). The receiver's levels are dBm0 with
   * 0 dBm0 at 3.14 dB below 16-bit full scale; an ADC giving 12-bit values needs 16.
   */
  gain?: number;
  /** Subtracts each block's mean first: the ADC sees VOUT on a mid-rail bias (default true). */
  removeDc?: boolean;
  /** Samples per read and per receiver block (default 256: 32 ms). */
  blockSamples?: number;
  /** The receiver's per-sample arithmetic (default its TypeScript; drivers/dtmf-native/dtmf-native: C). */
  filters?: DtmfFilters;
}

export class AudioInDtmfReceiver implements DtmfReceiver {
  onKey: ((event: DtmfEvent) => void) | undefined;
  private readonly clock: Clock;
  private readonly port: AudioInPort;
  private readonly detector: DtmfDetector;
  private readonly block: Int16Array;
  /** The block's bytes, what the port reads into (see AudioInPort.read). */
  private readonly bytes: Uint8Array;
  private readonly gain: number;
  private readonly removeDc: boolean;
  private readonly msPerSample: number;
  private enabled = true;
  /** Where frames go while the audio input is started. */
  private onFrame: ((frame: AudioFrame) => void) | undefined;
  /** The line's audio for `<Record>`, from the receiver's port (see above). */
  readonly input: AudioInput = {
    start: (onFrame) => {
      this.onFrame = onFrame;
    },
    stop: () => {
      this.onFrame = undefined;
    },
  };
  /** The key down, and whether its key down was reported. */
  private held: { key: string; reported: boolean } | undefined;
  /** Clock time and sample count at the end of the block being analysed. */
  private blockEndMs = 0;
  private blockEndSample = 0;

  constructor(options: AudioInDtmfOptions) {
    const rate = options.sampleRate ?? 8000;
    if (rate !== 8000) throw new Error(`DTMF receiver: sample rate ${rate} Hz; it needs 8000 Hz`);
    this.clock = options.clock;
    this.gain = options.gain ?? 1;
    this.removeDc = options.removeDc ?? true;
    this.msPerSample = 1000 / rate;
    this.block = new Int16Array(options.blockSamples ?? 256);
    this.bytes = new Uint8Array(this.block.buffer);
    this.detector = new DtmfDetector({
      onKey: (e) => this.key(e),
      ...(options.filters !== undefined ? { filters: options.filters } : {}),
    });
    const self = this;
    this.port = new options.io({
      sampleRate: rate,
      bitsPerSample: 16,
      channels: 1,
      onReadable(byteLength: number) {
        self.readable(byteLength);
      },
    });
    this.port.start();
  }

  /** While false no key goes down (a key already down still reports its key up). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  close(): void {
    this.port.stop();
    this.port.close();
  }

  private readable(byteLength: number): void {
    let bytes = byteLength;
    while (bytes >= 2) {
      const count = Math.min(this.block.length, bytes >> 1);
      const view = count === this.block.length ? this.bytes : this.bytes.subarray(0, count * 2);
      const got = this.port.read(view) >> 1;
      if (got <= 0) return;
      bytes -= got * 2;
      this.condition(got);
      this.blockEndMs = this.clock.now();
      this.blockEndSample = this.detector.sample + got;
      this.onFrame?.({ samples: this.block.subarray(0, got), atMs: this.blockEndMs - got * this.msPerSample });
      this.detector.push(this.block, 0, got);
    }
  }

  /** Removes the bias and applies the gain, in place, saturating at 16 bits. */
  private condition(count: number): void {
    const b = this.block;
    let mean = 0;
    if (this.removeDc) {
      let sum = 0;
      for (let i = 0; i < count; i++) sum += b[i]!;
      mean = sum / count;
    }
    if (mean === 0 && this.gain === 1) return;
    for (let i = 0; i < count; i++) {
      const v = (b[i]! - mean) * this.gain;
      b[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  }

  private key(e: DtmfKeyEvent): void {
    // The block being analysed ended (its last sample arrived) at blockEndMs.
    const atMs = this.blockEndMs - (this.blockEndSample - e.sample) * this.msPerSample;
    if (e.down) {
      this.held = { key: e.key, reported: this.enabled };
      if (this.enabled) this.onKey?.({ key: e.key, down: true, atMs });
    } else if (this.held !== undefined) {
      const { key, reported } = this.held;
      this.held = undefined;
      if (reported) this.onKey?.({ key, down: false, atMs });
    }
  }
}
