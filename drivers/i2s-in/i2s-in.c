/*
 * An I2S audio input for ADCs that need 64 bit clocks a frame (the PCM1808: 64 or 48 BCK per
 * LRCK). Moddable's ESP32 audio input fixes its slots at 16 bits (32 bit clocks a frame), which
 * such an ADC cannot follow; here the ESP32 is the I2S master with 32-bit data in 32-bit slots,
 * Philips format, both slots received, MCLK at 256 fs. Each frame's chosen slot (left unless
 * MODDEF_I2SIN_SLOT is 1) gives one sample, its top 16 bits (the ADC's 24-bit word sits
 * MSB-first at the top of the slot).
 *
 * A task reads the DMA buffers and puts the samples in a ring (../audio-ring/audio-ring.h: the
 * JavaScript side, `onReadable(bytes)` and `read(view)`, is the ring's).
 *
 * Configured from the manifest's `defines.i2sIn`: num, bck_pin, lr_pin, mck_pin, datain, slot.
 */
#include "mc.defines.h"
#include "driver/i2s_std.h"
#include "../audio-ring/audio-ring.h"

#ifndef MODDEF_I2SIN_NUM
	#define MODDEF_I2SIN_NUM (0)
#endif
#ifndef MODDEF_I2SIN_MCK_PIN
	#define MODDEF_I2SIN_MCK_PIN (0)
#endif
#ifndef MODDEF_I2SIN_SLOT
	#define MODDEF_I2SIN_SLOT (0)
#endif
#if !defined(MODDEF_I2SIN_BCK_PIN) || !defined(MODDEF_I2SIN_LR_PIN) || !defined(MODDEF_I2SIN_DATAIN)
	#error "defines.i2sIn needs bck_pin, lr_pin and datain"
#endif

/** Frames read from the DMA at a time (each two 32-bit slots). */
#define READ_FRAMES (128)
#define READ_TIMEOUT_MS (100)

typedef struct {
	AudioRing ring;	// first: the ring's address is the record's
	i2s_chan_handle_t handle;
	int32_t frames[READ_FRAMES * 2];
	int16_t samples[READ_FRAMES];
} I2sInRecord, *I2sIn;

static void i2sInLoop(void *parameter);

void xs_ringdown_i2sin_destructor(void *data)
{
	I2sIn in = data;
	if (in == NULL)
		return;
	audioRingEndTask(&in->ring);
	if (in->handle != NULL) {
		i2s_channel_disable(in->handle);
		i2s_del_channel(in->handle);
	}
	audioRingFree(&in->ring);
}

void xs_ringdown_i2sin_open(xsMachine *the)
{
	uint32_t sampleRate = xsmcToInteger(xsArg(0));
	if (sampleRate < 8000 || sampleRate > 48000)
		xsRangeError("invalid sample rate");
	if (xsmcGetHostData(xsThis) != NULL)
		xsUnknownError("already open");

	I2sIn in = c_calloc(1, sizeof(I2sInRecord));
	if (in == NULL)
		xsUnknownError("no memory");

	i2s_chan_config_t chan = I2S_CHANNEL_DEFAULT_CONFIG(MODDEF_I2SIN_NUM, I2S_ROLE_MASTER);
	esp_err_t err = i2s_new_channel(&chan, NULL, &in->handle);
	if (err == ESP_OK) {
		i2s_std_config_t std = {
			.clk_cfg = I2S_STD_CLK_DEFAULT_CONFIG(sampleRate),
			.slot_cfg = I2S_STD_PHILIPS_SLOT_DEFAULT_CONFIG(I2S_DATA_BIT_WIDTH_32BIT, I2S_SLOT_MODE_STEREO),
			.gpio_cfg = {
				.mclk = MODDEF_I2SIN_MCK_PIN,
				.bclk = MODDEF_I2SIN_BCK_PIN,
				.ws = MODDEF_I2SIN_LR_PIN,
				.dout = I2S_GPIO_UNUSED,
				.din = MODDEF_I2SIN_DATAIN,
				.invert_flags = { .mclk_inv = false, .bclk_inv = false, .ws_inv = false },
			},
		};
		// 32-bit slots, both received: 64 bit clocks a frame whatever the chip's mono quirks.
		std.slot_cfg.slot_bit_width = I2S_SLOT_BIT_WIDTH_32BIT;
		std.clk_cfg.mclk_multiple = I2S_MCLK_MULTIPLE_256;
		err = i2s_channel_init_std_mode(in->handle, &std);
		if (err != ESP_OK) {
			i2s_del_channel(in->handle);
			in->handle = NULL;
		}
	}
	if (err != ESP_OK) {
		c_free(in);
		xsUnknownError("I2S input: %s", esp_err_to_name(err));
	}
	audioRingInit(&in->ring, the);
	audioRingStart(&in->ring, the, i2sInLoop, "i2sIn");
}

void xs_ringdown_i2sin_close(xsMachine *the)
{
	audioRingClose(the, xs_ringdown_i2sin_destructor);
}

void xs_ringdown_i2sin_start(xsMachine *the)
{
	I2sIn in = (I2sIn)audioRingOf(the);
	if (in->ring.state != kAudioRingIdle)
		return;
	i2s_channel_enable(in->handle);
	audioRingStartRecording(&in->ring);
}

void xs_ringdown_i2sin_stop(xsMachine *the)
{
	I2sIn in = (I2sIn)audioRingOf(the);
	if (audioRingStopRecording(&in->ring))
		i2s_channel_disable(in->handle);
}

void xs_ringdown_i2sin_read(xsMachine *the)
{
	audioRingRead(the, audioRingOf(the));
}

static void i2sInLoop(void *parameter)
{
	I2sIn in = parameter;
	const int slot = MODDEF_I2SIN_SLOT ? 1 : 0;

	while (in->ring.state != kAudioRingClosing) {
		if (in->ring.state != kAudioRingRecording) {
			ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
			continue;
		}
		size_t got = 0;
		if (i2s_channel_read(in->handle, in->frames, sizeof(in->frames), &got, READ_TIMEOUT_MS) != ESP_OK || got == 0)
			continue;
		uint32_t n = got / (2 * sizeof(int32_t));
		for (uint32_t i = 0; i < n; i++)
			in->samples[i] = (int16_t)(in->frames[2 * i + slot] >> 16);
		audioRingPush(&in->ring, in->samples, n);
	}
	audioRingTaskEnded(&in->ring);
}
