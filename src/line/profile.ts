import type { RingCadence } from '../../hal/ringer.js';
import type { ToneSpec } from '../tones/tone.js';

/**
 * How raw hook levels become call events (src/line/hook-decoder.ts). All in ms. Break and make
 * lengths are measured between settled edges (the last raw change before a level held).
 */
export interface LineTiming {
  /**
   * A level counts once it has held this long. Must stay well under the shortest make of a
   * rotary dial (about 25 ms at 12 pps with a 70 % break; 33–40 ms at 10 pps) or pulses are
   * swallowed; above the SHK bounce of an Ag1171 (a few ms, worse at 3.3 V than at 5 V).
   */
  debounceMs: number;
  /** A break shorter than this is noise: no digit, no hang-up, nothing traced (DAHDI: 15 ms). */
  pulseBreakMinMs: number;
  /** The longest break that is a dial pulse (DAHDI: 200 ms); longer ones are a flash or a hang-up. */
  pulseBreakMaxMs: number;
  /** A make this long after the last pulse ends the digit (DAHDI: 250 ms). */
  interDigitMs: number;
  /**
   * The flash window: a break up to this long is a hook flash, longer is a hang-up, decided when
   * the window closes (DAHDI's rxflashtime 1250 ms; Telcordia GR-506 phones flash 400–800 ms).
   */
  flashMaxMs: number;
  /**
   * While ringing, an off-hook level must hold this long before it trips the ring: ringing
   * current makes the SHK output chatter at the ring frequency (half a 20 Hz cycle is 25 ms).
   */
  ringTripMs: number;
}

/**
 * What differs from country to country: the call-progress tones, the ring and the hook timing.
 * Tone sources: ITU-T E.180 Supplement 2 (tones in use by country) and, for North America, the
 * Precise Tone Plan. Ring cadences: Telcordia GR-506 (North America, 20 Hz, 2 s on 4 s off),
 * BT SIN 351 (UK, 25 Hz, 0.4 on 0.2 off 0.4 on 2.0 off), ETSI TR 101 183 / CEPT (25 Hz, 1 s on
 * 4 s off, as in Germany).
 */
export interface LineProfile {
  name: string;
  timing: LineTiming;
  /** The ring for an incoming call (a ring trigger may bring its own cadence). */
  ring: RingCadence;
  /** Ringing stops unanswered after this long. Ours, not a standard: five North American cycles. */
  ringBoundMs: number;
  tones: {
    dial: ToneSpec;
    busy: ToneSpec;
    /** Played after the menu hangs up, until the handset goes on-hook. */
    reorder: ToneSpec;
    ringback: ToneSpec;
  };
}

function tone(name: string, frequencies: number[], cadenceMs: number[], levelDbm0 = -13): ToneSpec {
  return { name, frequencies, cadenceMs, levelDbm0 };
}

/**
 * Hook timing from Asterisk's DAHDI (dahdi-base.c: pulse breaks 15–200 ms, digit end 250 ms after
 * the last pulse, rxflashtime 1250 ms). The same in every profile: a UK timed-break recall
 * (about 100 ms, BT SIN 351) is shorter than the longest dial pulse, so on this device a UK phone
 * flashes with its R button only if it sends a break longer than 200 ms.
 */
export const DAHDI_TIMING: Readonly<LineTiming> = {
  debounceMs: 10,
  pulseBreakMinMs: 15,
  pulseBreakMaxMs: 200,
  interDigitMs: 250,
  flashMaxMs: 1250,
  ringTripMs: 50,
};

const RING_BOUND_MS = 30_000;

export const NORTH_AMERICA: LineProfile = {
  name: 'us',
  timing: DAHDI_TIMING,
  ring: { frequencyHz: 20, cadenceMs: [2000, 4000] },
  ringBoundMs: RING_BOUND_MS,
  tones: {
    dial: tone('dial', [350, 440], []),
    busy: tone('busy', [480, 620], [500, 500]),
    reorder: tone('reorder', [480, 620], [250, 250]),
    ringback: tone('ringback', [440, 480], [2000, 4000], -19),
  },
};

export const UNITED_KINGDOM: LineProfile = {
  name: 'uk',
  timing: DAHDI_TIMING,
  ring: { frequencyHz: 25, cadenceMs: [400, 200, 400, 2000] },
  ringBoundMs: RING_BOUND_MS,
  tones: {
    dial: tone('dial', [350, 450], []),
    busy: tone('busy', [400], [375, 375]),
    reorder: tone('reorder', [400], [400, 350, 225, 525]),
    ringback: tone('ringback', [400, 450], [400, 200, 400, 2000], -19),
  },
};

/** CEPT recommendation T/CS 20-15, used across most of Europe. */
export const CEPT: LineProfile = {
  name: 'cept',
  timing: DAHDI_TIMING,
  ring: { frequencyHz: 25, cadenceMs: [1000, 4000] },
  ringBoundMs: RING_BOUND_MS,
  tones: {
    dial: tone('dial', [425], []),
    busy: tone('busy', [425], [500, 500]),
    reorder: tone('reorder', [425], [250, 250]),
    ringback: tone('ringback', [425], [1000, 4000], -19),
  },
};

export const PROFILES: Readonly<Record<string, LineProfile>> = {
  us: NORTH_AMERICA,
  uk: UNITED_KINGDOM,
  cept: CEPT,
};

/** The profile of that name, or undefined: an own property only (`constructor` is no profile). */
export function profileNamed(name: string): LineProfile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
}
