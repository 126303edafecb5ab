import type { ToneSpec } from '../../hal/audio.js';

export type { ToneSpec };
