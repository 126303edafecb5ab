import type { DtmfFilters } from '../../src/dsp/dtmf-detector.js';

/** The DTMF receiver's arithmetic in C (dtmf-native.c), equal bit for bit to `TS_DTMF_FILTERS`. */
export const nativeDtmfFilters: DtmfFilters;
