/**
 * The software DTMF receiver on the SLIC's receive audio (VOUT), for boards without an MT8870:
 * Moddable's ECMA-419 audio input (`embedded:io/audio/in`) samples it at 8 kHz and
 * AudioInDtmfReceiver finds the keys. Device-only (Moddable modules).
 *
 * Why audio-in and not a timer-driven analog read: the receiver needs 8000 samples a second at an
 * even spacing (its frequency check reads the tones' phase between windows 8 ms apart; jitter is
 * phase noise). A JavaScript timer cannot run every 125 µs (Moddable timers tick in ms, and an XS
 * callback costs tens of µs), and reading `embedded:io/analog` from one would jitter by the
 * callback latency. The audio input is clocked by the I2S peripheral and filled by DMA: exact
 * spacing, no CPU per sample, and blocks of samples to JavaScript every few tens of ms.
 *
 * On the ESP32 that input is either
 * - the built-in ADC through I2S (manifest `"audioIn": { "i2s": { "adc": 1 } }`): no extra part,
 *   but check the SDK first. In Moddable's ESP-IDF 5 implementation
 *   (modules/io/audioin/esp32/audioin.c) that path is marked `#error untested` and samples ADC1
 *   channel 6 (GPIO34) whatever the board's pin; 12-bit values, so pass `gain: 16`; or
 * - an I2S ADC or codec (e.g. PCM1808, WM8960) on VOUT: the tested path, 16-bit samples.
 * `pin` names the GPIO the board wires VOUT to, for its pin map and the ADC path's channel.
 */
import AudioIn from 'embedded:io/audio/in';
import type { Clock } from '../../hal/clock.js';
import type { DtmfFilters } from '../../src/dsp/dtmf-detector.js';
import { AudioInDtmfReceiver, type AudioInClass } from '../audioin-dtmf/audioin-dtmf.js';

export interface AdcDtmfOptions {
  clock: Clock;
  /** The GPIO VOUT is wired to (ESP32 ADC1: 32-39). */
  pin: number;
  /** Must be 8000. */
  sampleRate?: number;
  /** Default 16 (12-bit ADC values to 16-bit scale); 1 for a 16-bit I2S ADC. */
  gain?: number;
  blockSamples?: number;
  /** The receiver's per-sample arithmetic (default its TypeScript; drivers/dtmf-native/dtmf-native: C). */
  filters?: DtmfFilters;
}

export class AdcDtmfReceiver extends AudioInDtmfReceiver {
  readonly pin: number;

  constructor(options: AdcDtmfOptions) {
    super({
      clock: options.clock,
      io: AudioIn as unknown as AudioInClass,
      gain: options.gain ?? 16,
      ...(options.sampleRate !== undefined ? { sampleRate: options.sampleRate } : {}),
      ...(options.blockSamples !== undefined ? { blockSamples: options.blockSamples } : {}),
      ...(options.filters !== undefined ? { filters: options.filters } : {}),
    });
    this.pin = options.pin;
  }
}
