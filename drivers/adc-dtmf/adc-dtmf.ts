/**
 * The software DTMF receiver on the SLIC's receive audio (VOUT), for boards without an MT8870:
 * the ESP32's built-in ADC samples it through drivers/adc-in (8 kHz, 16-bit, bias removed) and
 * AudioInDtmfReceiver finds the keys. Device-only (ESP32).
 *
 * Why a DMA-fed input and not a timer-driven analog read: the receiver needs 8000 samples a
 * second at an even spacing (its frequency check reads the tones' phase between windows 8 ms
 * apart; jitter is phase noise). A JavaScript timer cannot run every 125 µs (Moddable timers tick
 * in ms, and an XS callback costs tens of µs), and reading `embedded:io/analog` from one would
 * jitter by the callback latency. drivers/adc-in runs the ADC in continuous mode, clocked by the
 * hardware and filled by DMA: exact spacing, no CPU per conversion, and blocks of samples to
 * JavaScript every 32 ms.
 *
 * drivers/adc-in hands over 16-bit samples with each 32 ms block's bias already removed, so the
 * receiver takes them as they are (gain 1, no bias removal of its own). Its channel is the
 * manifest's `defines.adcIn.pin`; `pin` here names the same GPIO for the board's pin map
 * (test/board-pins.test.ts checks they agree).
 */
import AdcIn from '../adc-in/adc-in.js';
import type { Clock } from '../../hal/clock.js';
import type { DtmfFilters } from '../../src/dsp/dtmf-detector.js';
import { AudioInDtmfReceiver, type AudioInClass } from '../audioin-dtmf/audioin-dtmf.js';

export interface AdcDtmfOptions {
  clock: Clock;
  /** The GPIO VOUT is wired to (ESP32 ADC1: 32-39), as the manifest's `defines.adcIn.pin`. */
  pin: number;
  /** Must be 8000. */
  sampleRate?: number;
  blockSamples?: number;
  /** The receiver's per-sample arithmetic (default its TypeScript; drivers/dtmf-native/dtmf-native: C). */
  filters?: DtmfFilters;
}

export class AdcDtmfReceiver extends AudioInDtmfReceiver {
  readonly pin: number;

  constructor(options: AdcDtmfOptions) {
    super({
      clock: options.clock,
      io: AdcIn as unknown as AudioInClass,
      gain: 1,
      removeDc: false,
      ...(options.sampleRate !== undefined ? { sampleRate: options.sampleRate } : {}),
      ...(options.blockSamples !== undefined ? { blockSamples: options.blockSamples } : {}),
      ...(options.filters !== undefined ? { filters: options.filters } : {}),
    });
    this.pin = options.pin;
  }
}
