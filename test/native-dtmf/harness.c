/*
 * The native DTMF filters (drivers/dtmf-native/dtmf-native.c) without XS, for test/dtmf-native.test.ts:
 * the same C file, compiled by the host's gcc, replays a log of every call the TypeScript receiver
 * made to its filters (`TS_DTMF_FILTERS`) with the arguments and the results it got, and checks
 * that the C gives the same results bit for bit. Little-endian, as the host writes it:
 *   header: int32 bins, int32 taps; float32 coef[bins], cos[bins], sin[bins], tapRe[bins*taps],
 *           tapIm[bins*taps], rotRe[bins], rotIm[bins]
 *   'E' int32 count, int16 samples[count], float64 energy
 *   'G' int32 count, int16 samples[count], float32 re[bins], im[bins]
 *   'W' int32 first, int32 advanced, float64 scale, float32 re[bins*taps], im[bins*taps],
 *       lastRe[bins], lastIm[bins] (before), power[bins], lastRe[bins], lastIm[bins] (after),
 *       float64 advRe[advanced], advIm[advanced]
 * Prints `calls E G W, mismatches N` and the first mismatch; exits 1 on any mismatch, 2 on a bad log.
 */
#define RINGDOWN_DTMF_NO_XS
#include "../../drivers/dtmf-native/dtmf-native.c"
#include <stdio.h>
#include <string.h>

#define MAX_BINS 16
#define MAX_TAPS 8
#define MAX_COUNT 4096

static int get(void *p, size_t size, size_t n)
{
	return fread(p, size, n, stdin) == n;
}

int main(void)
{
	int32_t bins, taps;
	if (!get(&bins, 4, 1) || !get(&taps, 4, 1) || bins < 1 || bins > MAX_BINS || taps < 1 || taps > MAX_TAPS)
		return 2;
	float coef[MAX_BINS], cosw[MAX_BINS], sinw[MAX_BINS], tapRe[MAX_BINS * MAX_TAPS], tapIm[MAX_BINS * MAX_TAPS], rotRe[MAX_BINS], rotIm[MAX_BINS];
	if (!get(coef, 4, bins) || !get(cosw, 4, bins) || !get(sinw, 4, bins) || !get(tapRe, 4, bins * taps) || !get(tapIm, 4, bins * taps) || !get(rotRe, 4, bins) || !get(rotIm, 4, bins))
		return 2;
	long calls[3] = { 0, 0, 0 }, mismatches = 0;
	int tag;
	static int16_t samples[MAX_COUNT];
	while ((tag = getchar()) != EOF) {
		int bad = 0;
		if (tag == 'E' || tag == 'G') {
			int32_t count;
			if (!get(&count, 4, 1) || count < 0 || count > MAX_COUNT || !get(samples, 2, count))
				return 2;
			if (tag == 'E') {
				double want, got = ringdown_dtmf_energy(samples, count);
				if (!get(&want, 8, 1))
					return 2;
				bad = memcmp(&want, &got, 8) != 0;
				calls[0]++;
			}
			else {
				float want[2 * MAX_BINS], got[2 * MAX_BINS];
				if (!get(want, 4, 2 * bins))
					return 2;
				ringdown_dtmf_goertzel(samples, count, coef, cosw, sinw, bins, got, got + bins, 1, 0);
				bad = memcmp(want, got, 4 * 2 * bins) != 0;
				calls[1]++;
			}
		}
		else if (tag == 'W') {
			int32_t first, advanced;
			double scale;
			float re[MAX_BINS * MAX_TAPS], im[MAX_BINS * MAX_TAPS], lastRe[MAX_BINS], lastIm[MAX_BINS];
			float power[MAX_BINS], wantPower[MAX_BINS], wantRe[MAX_BINS], wantIm[MAX_BINS];
			double advRe[MAX_BINS], advIm[MAX_BINS], wantAdvRe[MAX_BINS], wantAdvIm[MAX_BINS];
			if (!get(&first, 4, 1) || !get(&advanced, 4, 1) || !get(&scale, 8, 1) || first < 0 || first >= taps || advanced < 0 || advanced > bins)
				return 2;
			if (!get(re, 4, bins * taps) || !get(im, 4, bins * taps) || !get(lastRe, 4, bins) || !get(lastIm, 4, bins))
				return 2;
			if (!get(wantPower, 4, bins) || !get(wantRe, 4, bins) || !get(wantIm, 4, bins) || !get(wantAdvRe, 8, advanced) || !get(wantAdvIm, 8, advanced))
				return 2;
			ringdown_dtmf_taper(re, im, tapRe, tapIm, taps, first, scale, power, bins, lastRe, lastIm, rotRe, rotIm, advRe, advIm, advanced);
			bad = memcmp(power, wantPower, 4 * bins) || memcmp(lastRe, wantRe, 4 * bins) || memcmp(lastIm, wantIm, 4 * bins) || memcmp(advRe, wantAdvRe, 8 * advanced) || memcmp(advIm, wantAdvIm, 8 * advanced);
			calls[2]++;
		}
		else
			return 2;
		if (bad && mismatches++ == 0)
			printf("first mismatch: call %ld (%c)\n", calls[0] + calls[1] + calls[2], tag);
	}
	printf("calls %ld %ld %ld, mismatches %ld\n", calls[0], calls[1], calls[2], mismatches);
	return mismatches == 0 ? 0 : 1;
}
