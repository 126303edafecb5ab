import type { ToneSpec } from '../tones/tone.js';

/**
 * What differs from country to country: the call-progress tones. Sources: ITU-T E.180 Supplement
 * 2 (tones in use by country) and, for North America, the Precise Tone Plan.
 */
export interface LineProfile {
  name: string;
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

export const NORTH_AMERICA: LineProfile = {
  name: 'us',
  tones: {
    dial: tone('dial', [350, 440], []),
    busy: tone('busy', [480, 620], [500, 500]),
    reorder: tone('reorder', [480, 620], [250, 250]),
    ringback: tone('ringback', [440, 480], [2000, 4000], -19),
  },
};

export const UNITED_KINGDOM: LineProfile = {
  name: 'uk',
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
