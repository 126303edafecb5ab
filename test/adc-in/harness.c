/*
 * The ADC input's conditioning (drivers/adc-in/adc-in.c: the decimating low-pass, the scale to
 * 16 bits and the per-block bias removal) without ESP-IDF or XS, for test/adc-in.test.ts: reads
 * 12-bit conversions at 24 kHz from stdin (uint16 little-endian, as the ADC's DMA gives them) and
 * writes each finished block of 8 kHz samples to stdout (int16 little-endian). Exits 2 on a
 * conversion above 4095.
 */
#define RINGDOWN_ADCIN_NO_ESP
#include "../../drivers/adc-in/adc-in.c"
#include <stdio.h>

int main(void)
{
	static AdcInFilter filter;
	static int16_t out[BLOCK_SAMPLES];
	uint8_t raw[2];
	filterReset(&filter);
	while (fread(raw, 1, 2, stdin) == 2) {
		int32_t value = raw[0] | (raw[1] << 8);
		if (value > 4095)
			return 2;
		if (filterPush(&filter, value, out))
			fwrite(out, sizeof(out[0]), BLOCK_SAMPLES, stdout);
	}
	return 0;
}
