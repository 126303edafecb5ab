/*
 * The native DTMF filters (hal/drivers/dtmf-native.c) without XS, for test/dtmf-native.test.ts:
 * the same C file, compiled by the host's gcc. Reads from stdin the number of filters (int32), their
 * constants (float32 coef[], cos[], sin[]) and then 16-bit samples; writes for every whole block of
 * 32 samples its energy (double) and each filter's value (float32 re[], then im[]), all in the
 * host's byte order.
 */
#define RINGDOWN_DTMF_NO_XS
#include "../../hal/drivers/dtmf-native.c"
#include <stdio.h>
#include <stdlib.h>

#define BLOCK 32

int main(void)
{
	int32_t bins;
	if (fread(&bins, sizeof bins, 1, stdin) != 1 || bins < 1 || bins > 64)
		return 2;
	float coef[64], cosw[64], sinw[64], re[64], im[64];
	if (fread(coef, sizeof(float), bins, stdin) != (size_t)bins || fread(cosw, sizeof(float), bins, stdin) != (size_t)bins || fread(sinw, sizeof(float), bins, stdin) != (size_t)bins)
		return 2;
	int16_t block[BLOCK];
	while (fread(block, sizeof(int16_t), BLOCK, stdin) == BLOCK) {
		double energy = ringdown_dtmf_energy(block, BLOCK);
		ringdown_dtmf_goertzel(block, BLOCK, coef, cosw, sinw, bins, re, im, 1, 0);
		fwrite(&energy, sizeof energy, 1, stdout);
		fwrite(re, sizeof(float), bins, stdout);
		fwrite(im, sizeof(float), bins, stdout);
	}
	return ferror(stdout) ? 1 : 0;
}
