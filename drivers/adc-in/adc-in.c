/*
 * An audio input on the ESP32's built-in ADC (ADC1), on ESP-IDF's continuous-mode driver
 * (esp_adc/adc_continuous.h): 8 kHz of 16-bit signed samples for the software DTMF receiver and
 * for `<Record>`.
 *
 * Rate: the ESP32's continuous mode samples at 20 kHz at the least (SOC_ADC_SAMPLE_FREQ_THRES_LOW),
 * so the ADC runs at 24 kHz, three times 8 kHz, and a low-pass FIR keeps every third output. The
 * filter is a 31-tap Hamming-windowed sinc cut at 3.8 kHz: within 0.05 dB from 697 to 1633 Hz
 * (the DTMF tones), -2.5 dB at 3.4 kHz (the top of telephone speech), and at least 59 dB down
 * over 6.3-9.7 kHz, the bands that fold onto the DTMF tones at 8 kHz; it also keeps the ADC's
 * noise above 4 kHz from folding into the band. 31 multiply-adds an output sample, in integers.
 *
 * Scale: the ADC's 12-bit values (0-4095, attenuation ADC_ATTEN_DB_12) become 16-bit signed by
 * 16 times (the filter keeps the fractional bits). Bias: VOUT reaches the ADC on a mid-rail bias,
 * so each block of 256 output samples (32 ms) has its own mean subtracted, then saturates at
 * 16 bits: what the receiver's per-block bias removal did to the 12-bit values times 16.
 *
 * A task reads the conversion frames and puts the samples in a ring (../audio-ring/audio-ring.h:
 * the JavaScript side, `onReadable(bytes)` and `read(view)`, is the ring's). The task alone
 * starts and stops the ADC, so no driver call races its read.
 *
 * On the ESP32 the ADC's DMA is I2S0's, as the built-in DAC's is: the two cannot run at once, and
 * opening this input while something holds I2S0 throws a named error.
 *
 * Configured from the manifest's `defines.adcIn.pin`: the GPIO VOUT is wired to (ADC1: 32-39).
 * The conditioning (filterReset, filterPush) is plain C: with RINGDOWN_ADCIN_NO_ESP defined the
 * file is that alone, which the host's gcc compiles for test/adc-in.test.ts (test/adc-in/harness.c).
 */
#include <math.h>
#include <stdint.h>

/** The output rate, and the ADC's: the lowest multiple of it continuous mode allows. */
#define OUTPUT_RATE (8000)
#define DECIMATION (3)
#define ADC_RATE (OUTPUT_RATE * DECIMATION)
/** Taps of the low-pass FIR (odd: symmetric, a whole-sample delay). */
#define TAPS (31)
#define CUTOFF_HZ (3800.0f)
/** Output samples a block: the bias is each block's mean. */
#define BLOCK_SAMPLES (256)

/** The conditioning: decimating filter, scale and per-block bias removal (no ESP-IDF, no XS). */
typedef struct {
	/** The FIR's last TAPS inputs, written twice (at i and i + TAPS) so a window never wraps. */
	int32_t history[2 * TAPS];
	uint32_t historyAt;
	/** Inputs since the last output (0 to DECIMATION - 1). */
	uint32_t phase;
	/** The block being filled, in 16-bit scale before the bias is removed. */
	int32_t block[BLOCK_SAMPLES];
	uint32_t blockCount;
} AdcInFilter;

/** The FIR's taps in Q15, summing to 32768 (unity gain at DC). */
static int32_t gTaps[TAPS];

/** Windowed sinc: h[n] = sinc(2 fc (n - c) / fs) (0.54 - 0.46 cos(2 pi n / (TAPS - 1))), normalised. */
static void designTaps(void)
{
	if (gTaps[TAPS / 2] != 0)
		return;
	float h[TAPS], sum = 0;
	const float pi = 3.14159265f, w = 2.0f * CUTOFF_HZ / ADC_RATE;
	for (int n = 0; n < TAPS; n++) {
		float x = (float)(n - TAPS / 2) * w;
		float sinc = (x == 0) ? 1.0f : sinf(pi * x) / (pi * x);
		h[n] = sinc * (0.54f - 0.46f * cosf(2.0f * pi * n / (TAPS - 1)));
		sum += h[n];
	}
	int32_t total = 0;
	for (int n = 0; n < TAPS; n++) {
		gTaps[n] = (int32_t)lroundf(h[n] * 32768.0f / sum);
		total += gTaps[n];
	}
	gTaps[TAPS / 2] += 32768 - total;	// rounding's remainder on the centre tap: exact unity at DC
}

/** Clears the filter and the part block: a restart begins afresh. */
static void filterReset(AdcInFilter *f)
{
	designTaps();
	for (int i = 0; i < 2 * TAPS; i++)
		f->history[i] = 0;
	f->historyAt = 0;
	f->phase = 0;
	f->blockCount = 0;
}

/**
 * Takes one 12-bit conversion; every DECIMATION-th one gives an output sample. When that sample
 * ends a block, writes the block to `out` (its mean removed, saturated at 16 bits) and returns 1.
 */
static int filterPush(AdcInFilter *f, int32_t raw, int16_t out[BLOCK_SAMPLES])
{
	f->history[f->historyAt] = raw;
	f->history[f->historyAt + TAPS] = raw;
	f->historyAt = (f->historyAt + 1) % TAPS;
	if (++f->phase < DECIMATION)
		return 0;
	f->phase = 0;
	const int32_t *x = &f->history[f->historyAt];	// the last TAPS inputs, oldest first
	int32_t acc = 0;	// |acc| <= 4095 * (sum of |taps|), about 1.2 * 32768 * 4095: inside 32 bits
	for (int k = 0; k < TAPS; k++)
		acc += gTaps[k] * x[k];
	// Q15 to 12 bits is >> 15; 12 bits to 16 bits is * 16: >> 11 in all, rounded.
	f->block[f->blockCount++] = (acc + (1 << 10)) >> 11;
	if (f->blockCount < BLOCK_SAMPLES)
		return 0;
	f->blockCount = 0;
	int64_t sum = 0;
	for (int i = 0; i < BLOCK_SAMPLES; i++)
		sum += f->block[i];
	int32_t mean = (int32_t)(sum / BLOCK_SAMPLES);
	for (int i = 0; i < BLOCK_SAMPLES; i++) {
		int32_t v = f->block[i] - mean;
		out[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
	return 1;
}

#ifndef RINGDOWN_ADCIN_NO_ESP
#include "mc.defines.h"
#include "esp_adc/adc_continuous.h"
#include "../audio-ring/audio-ring.h"

#ifndef MODDEF_ADCIN_PIN
	#error "defines.adcIn needs pin (the GPIO on ADC1 the audio comes in on)"
#endif
#if ADC_RATE < SOC_ADC_SAMPLE_FREQ_THRES_LOW
	#error "the ADC rate is below what continuous mode allows"
#endif

/** ADC conversions a frame read from the driver: one output block's worth (32 ms). */
#define FRAME_CONVERSIONS (BLOCK_SAMPLES * DECIMATION)
#define FRAME_BYTES (FRAME_CONVERSIONS * SOC_ADC_DIGI_RESULT_BYTES)
#define READ_TIMEOUT_MS (100)

typedef struct {
	AudioRing ring;	// first: the ring's address is the record's
	adc_continuous_handle_t handle;
	adc_channel_t channel;
	AdcInFilter filter;
	int16_t out[BLOCK_SAMPLES];
	uint8_t frame[FRAME_BYTES];
} AdcInRecord, *AdcIn;

static void adcInLoop(void *parameter);

void xs_ringdown_adcin_destructor(void *data)
{
	AdcIn in = data;
	if (in == NULL)
		return;
	audioRingEndTask(&in->ring);
	if (in->handle != NULL)
		adc_continuous_deinit(in->handle);
	audioRingFree(&in->ring);
}

void xs_ringdown_adcin_open(xsMachine *the)
{
	uint32_t sampleRate = xsmcToInteger(xsArg(0));
	if (sampleRate != OUTPUT_RATE)
		xsRangeError("ADC input: %d Hz; it gives 8000 Hz only", (int)sampleRate);
	if (xsmcGetHostData(xsThis) != NULL)
		xsUnknownError("already open");

	adc_unit_t unit;
	adc_channel_t channel;
	if (adc_continuous_io_to_channel(MODDEF_ADCIN_PIN, &unit, &channel) != ESP_OK || unit != ADC_UNIT_1)
		xsRangeError("ADC input: GPIO %d is not on ADC1 (GPIO 32-39)", MODDEF_ADCIN_PIN);

	AdcIn in = c_calloc(1, sizeof(AdcInRecord));
	if (in == NULL)
		xsUnknownError("no memory");
	in->channel = channel;

	adc_continuous_handle_cfg_t handleConfig = {
		.max_store_buf_size = 4 * FRAME_BYTES,
		.conv_frame_size = FRAME_BYTES,
		.flags = { .flush_pool = 1 },	// a late reader loses the oldest audio, never stalls the DMA
	};
	esp_err_t err = adc_continuous_new_handle(&handleConfig, &in->handle);
	if (err == ESP_OK) {
		adc_digi_pattern_config_t pattern = {
			.atten = ADC_ATTEN_DB_12,
			.channel = channel,
			.unit = ADC_UNIT_1,
			.bit_width = SOC_ADC_DIGI_MAX_BITWIDTH,
		};
		adc_continuous_config_t config = {
			.pattern_num = 1,
			.adc_pattern = &pattern,
			.sample_freq_hz = ADC_RATE,
			.conv_mode = ADC_CONV_SINGLE_UNIT_1,
		};
		err = adc_continuous_config(in->handle, &config);
		if (err != ESP_OK) {
			adc_continuous_deinit(in->handle);
			in->handle = NULL;
		}
	}
	if (err != ESP_OK) {
		c_free(in);
		if (err == ESP_ERR_NOT_FOUND)
			xsUnknownError("ADC input: I2S0 is taken (the ESP32's ADC and DAC DMA both need it) or no interrupt is free");
		xsUnknownError("ADC input: %s", esp_err_to_name(err));
	}
	audioRingInit(&in->ring, the);
	audioRingStart(&in->ring, the, adcInLoop, "adcIn");
}

void xs_ringdown_adcin_close(xsMachine *the)
{
	audioRingClose(the, xs_ringdown_adcin_destructor);
}

void xs_ringdown_adcin_start(xsMachine *the)
{
	audioRingStartRecording(audioRingOf(the));
}

void xs_ringdown_adcin_stop(xsMachine *the)
{
	audioRingStopRecording(audioRingOf(the));
}

void xs_ringdown_adcin_read(xsMachine *the)
{
	audioRingRead(the, audioRingOf(the));
}

static void adcInLoop(void *parameter)
{
	AdcIn in = parameter;
	uint8_t running = 0;

	while (in->ring.state != kAudioRingClosing) {
		if (in->ring.state != kAudioRingRecording) {
			if (running) {
				adc_continuous_stop(in->handle);
				running = 0;
			}
			ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
			continue;
		}
		if (!running) {
			filterReset(&in->filter);
			if (adc_continuous_start(in->handle) != ESP_OK) {
				ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(READ_TIMEOUT_MS));
				continue;
			}
			running = 1;
		}
		uint32_t got = 0;
		if (adc_continuous_read(in->handle, in->frame, FRAME_BYTES, &got, READ_TIMEOUT_MS) != ESP_OK || got == 0)
			continue;
		const adc_digi_output_data_t *result = (const adc_digi_output_data_t *)in->frame;
		for (uint32_t i = 0; i < got / SOC_ADC_DIGI_RESULT_BYTES; i++) {
			if (result[i].type1.channel == in->channel && filterPush(&in->filter, result[i].type1.data, in->out))
				audioRingPush(&in->ring, in->out, BLOCK_SAMPLES);
		}
	}
	if (running)
		adc_continuous_stop(in->handle);
	audioRingTaskEnded(&in->ring);
}
#endif /* RINGDOWN_ADCIN_NO_ESP */
