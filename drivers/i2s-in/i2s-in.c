/*
 * An I2S audio input for ADCs that need 64 bit clocks a frame (the PCM1808: 64 or 48 BCK per
 * LRCK). Moddable's ESP32 audio input fixes its slots at 16 bits (32 bit clocks a frame), which
 * such an ADC cannot follow; here the ESP32 is the I2S master with 32-bit data in 32-bit slots,
 * Philips format, both slots received, MCLK at 256 fs. Each frame's chosen slot (left unless
 * MODDEF_I2SIN_SLOT is 1) gives one sample, its top 16 bits (the ADC's 24-bit word sits
 * MSB-first at the top of the slot).
 *
 * A task reads the DMA buffers and puts the samples in a ring; the JavaScript object's
 * `onReadable(bytes)` is called (once per batch, never stacked) when samples are waiting, and
 * `read(view)` copies up to the view's length of them. When the ring is full, newer samples are
 * dropped (JavaScript fell behind by more than the ring's half second).
 *
 * Configured from the manifest's `defines.i2sIn`: num, bck_pin, lr_pin, mck_pin, datain, slot.
 */
#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h"
#include "mc.defines.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/semphr.h"
#include "driver/i2s_std.h"

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

/** Samples the ring holds: 512 ms at 8 kHz. */
#define RING_SAMPLES (4096)
/** Frames read from the DMA at a time (each two 32-bit slots). */
#define READ_FRAMES (128)
#define READ_TIMEOUT_MS (100)

enum {
	kStateIdle = 0,
	kStateRecording = 1,
	kStateClosing = 2,
	kStateClosed = 3
};

typedef struct {
	xsMachine *the;
	xsSlot object;
	i2s_chan_handle_t handle;
	TaskHandle_t task;
	SemaphoreHandle_t mutex;
	volatile uint8_t state;
	/** A callback is posted to the machine and has not run yet. */
	volatile uint8_t pending;
	/** The object was closed while a callback was pending: the callback frees the record. */
	volatile uint8_t orphaned;
	uint32_t head;	// next sample written
	uint32_t count;	// samples waiting
	int16_t ring[RING_SAMPLES];
} I2sInRecord, *I2sIn;

static void i2sInLoop(void *parameter);

void xs_ringdown_i2sin_destructor(void *data)
{
	I2sIn in = data;
	if (in == NULL)
		return;
	if (in->task != NULL) {
		in->state = kStateClosing;
		xTaskNotifyGive(in->task);
		while (in->state != kStateClosed)
			vTaskDelay(1);
	}
	if (in->handle != NULL) {
		i2s_channel_disable(in->handle);
		i2s_del_channel(in->handle);
	}
	if (in->mutex != NULL)
		vSemaphoreDelete(in->mutex);
	if (in->pending)
		in->orphaned = 1;
	else
		c_free(in);
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
	in->the = the;
	in->object = xsThis;

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
	in->mutex = xSemaphoreCreateMutex();
	xsmcSetHostData(xsThis, in);
	xsRemember(in->object);
	if (xTaskCreate(i2sInLoop, "i2sIn", 3072, in, 10, &in->task) != pdPASS) {
		in->task = NULL;
		xsUnknownError("I2S input: no task");
	}
}

void xs_ringdown_i2sin_close(xsMachine *the)
{
	I2sIn in = xsmcGetHostData(xsThis);
	if (in == NULL)
		return;
	xsForget(in->object);
	xsmcSetHostData(xsThis, NULL);
	xs_ringdown_i2sin_destructor(in);
}

static I2sIn openInput(xsMachine *the)
{
	I2sIn in = xsmcGetHostData(xsThis);
	if (in == NULL)
		xsUnknownError("closed");
	return in;
}

void xs_ringdown_i2sin_start(xsMachine *the)
{
	I2sIn in = openInput(the);
	if (in->state != kStateIdle)
		return;
	i2s_channel_enable(in->handle);
	in->state = kStateRecording;
	xTaskNotifyGive(in->task);
}

void xs_ringdown_i2sin_stop(xsMachine *the)
{
	I2sIn in = openInput(the);
	if (in->state != kStateRecording)
		return;
	in->state = kStateIdle;
	xSemaphoreTake(in->mutex, portMAX_DELAY);
	i2s_channel_disable(in->handle);
	in->count = 0;
	xSemaphoreGive(in->mutex);
}

void xs_ringdown_i2sin_read(xsMachine *the)
{
	I2sIn in = openInput(the);
	void *data;
	xsUnsignedValue bytes;
	xsmcGetBufferWritable(xsArg(0), &data, &bytes);
	uint8_t *out = data;
	uint32_t wanted = bytes / 2, n;

	xSemaphoreTake(in->mutex, portMAX_DELAY);
	n = wanted < in->count ? wanted : in->count;
	uint32_t tail = (in->head + RING_SAMPLES - in->count) % RING_SAMPLES;
	for (uint32_t i = 0; i < n; i++) {
		int16_t sample = in->ring[(tail + i) % RING_SAMPLES];
		out[2 * i] = (uint8_t)(sample & 0xff);
		out[2 * i + 1] = (uint8_t)((uint16_t)sample >> 8);
	}
	in->count -= n;
	xSemaphoreGive(in->mutex);
	xsmcSetInteger(xsResult, n * 2);
}

/** Runs on the machine's thread: tells JavaScript how many bytes wait. */
static void deliver(void *the_, void *refcon, uint8_t *message, uint16_t length)
{
	I2sIn in = refcon;
	in->pending = 0;
	if (in->orphaned) {
		c_free(in);
		return;
	}
	uint32_t waiting;
	xSemaphoreTake(in->mutex, portMAX_DELAY);
	waiting = in->count;
	xSemaphoreGive(in->mutex);
	if (waiting == 0 || in->state != kStateRecording)
		return;
	xsMachine *the = in->the;
	xsBeginHost(the);
	xsCall1(in->object, xsID_onReadable, xsInteger(waiting * 2));
	xsEndHost(the);
}

static void i2sInLoop(void *parameter)
{
	I2sIn in = parameter;
	static int32_t frames[READ_FRAMES * 2];
	const int slot = MODDEF_I2SIN_SLOT ? 1 : 0;

	while (in->state != kStateClosing) {
		if (in->state != kStateRecording) {
			ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
			continue;
		}
		size_t got = 0;
		if (i2s_channel_read(in->handle, frames, sizeof(frames), &got, READ_TIMEOUT_MS) != ESP_OK || got == 0)
			continue;
		uint32_t n = got / (2 * sizeof(int32_t));
		xSemaphoreTake(in->mutex, portMAX_DELAY);
		for (uint32_t i = 0; i < n && in->count < RING_SAMPLES; i++) {
			in->ring[in->head] = (int16_t)(frames[2 * i + slot] >> 16);
			in->head = (in->head + 1) % RING_SAMPLES;
			in->count++;
		}
		xSemaphoreGive(in->mutex);
		if (!in->pending) {
			in->pending = 1;
			modMessagePostToMachine(in->the, NULL, 0, deliver, in);
		}
	}
	in->task = NULL;
	in->state = kStateClosed;
	vTaskDelete(NULL);
}
