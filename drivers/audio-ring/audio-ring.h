/*
 * What the ESP32 audio inputs (drivers/i2s-in, drivers/adc-in) share: a ring of 16-bit samples
 * filled by the driver's task and read by JavaScript, with the read interface of Moddable's
 * `embedded:io/audio/in`. The object's `onReadable(bytes)` is called (once per batch, never
 * stacked) when samples are waiting, and `read(view)` copies up to the view's length of them.
 * When the ring is full, newer samples are dropped (JavaScript fell behind by more than the
 * ring's half second).
 *
 * A driver's record starts with an AudioRing, so a ring's address is its record's: a callback
 * still pending when the object is closed frees the whole record. Included by the drivers'
 * C files (static functions: each driver gets its own copy).
 */
#ifndef RINGDOWN_AUDIO_RING_H
#define RINGDOWN_AUDIO_RING_H

#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h"
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/semphr.h"

/** Samples the ring holds: 512 ms at 8 kHz. */
#define AUDIO_RING_SAMPLES (4096)

enum {
	kAudioRingIdle = 0,
	kAudioRingRecording = 1,
	kAudioRingClosing = 2,
	kAudioRingClosed = 3
};

typedef struct {
	xsMachine *the;
	xsSlot object;
	/** The driver's task: it reads the hardware and calls audioRingPush. */
	TaskHandle_t task;
	SemaphoreHandle_t mutex;
	volatile uint8_t state;
	/** A callback is posted to the machine and has not run yet. */
	volatile uint8_t pending;
	/** The object was closed while a callback was pending: the callback frees the record. */
	volatile uint8_t orphaned;
	uint32_t head;	// next sample written
	uint32_t count;	// samples waiting
	int16_t samples[AUDIO_RING_SAMPLES];
} AudioRing;

/** Binds a freshly allocated (zeroed) ring to the machine and the object being opened. */
static void audioRingInit(AudioRing *r, xsMachine *the)
{
	r->the = the;
	r->object = xsThis;
	r->mutex = xSemaphoreCreateMutex();
}

/** Keeps the object alive while open and starts the driver's task on the record; throws when it cannot. */
static void audioRingStart(AudioRing *r, xsMachine *the, TaskFunction_t loop, const char *name)
{
	xsmcSetHostData(xsThis, r);
	xsRemember(r->object);
	if (xTaskCreate(loop, name, 3072, r, 10, &r->task) != pdPASS) {
		r->task = NULL;
		xsUnknownError("%s: no task", name);
	}
}

/** Asks the task to end and waits until it has (the first half of closing). */
static void audioRingEndTask(AudioRing *r)
{
	if (r->task == NULL)
		return;
	r->state = kAudioRingClosing;
	xTaskNotifyGive(r->task);
	while (r->state != kAudioRingClosed)
		vTaskDelay(1);
}

/** Frees the record, or leaves that to a callback still pending (the second half of closing). */
static void audioRingFree(AudioRing *r)
{
	if (r->mutex != NULL)
		vSemaphoreDelete(r->mutex);
	if (r->pending)
		r->orphaned = 1;
	else
		c_free(r);
}

/** Called by the task as it ends. */
static void audioRingTaskEnded(AudioRing *r)
{
	r->task = NULL;
	r->state = kAudioRingClosed;
	vTaskDelete(NULL);
}

/** The open record behind `this`; throws once closed. */
static AudioRing *audioRingOf(xsMachine *the)
{
	AudioRing *r = xsmcGetHostData(xsThis);
	if (r == NULL)
		xsUnknownError("closed");
	return r;
}

/** `close()`: lets the object go and hands the record to the driver's destructor. */
static void audioRingClose(xsMachine *the, void (*destructor)(void *))
{
	AudioRing *r = xsmcGetHostData(xsThis);
	if (r == NULL)
		return;
	xsForget(r->object);
	xsmcSetHostData(xsThis, NULL);
	destructor(r);
}

/** `start()`: recording, and the task woken. Returns 0 when it was recording already. */
static int audioRingStartRecording(AudioRing *r)
{
	if (r->state != kAudioRingIdle)
		return 0;
	r->state = kAudioRingRecording;
	xTaskNotifyGive(r->task);
	return 1;
}

/** `stop()`: idle, and the samples waiting dropped. Returns 0 when it was not recording. */
static int audioRingStopRecording(AudioRing *r)
{
	if (r->state != kAudioRingRecording)
		return 0;
	xSemaphoreTake(r->mutex, portMAX_DELAY);
	r->state = kAudioRingIdle;
	r->count = 0;
	xSemaphoreGive(r->mutex);
	return 1;
}

/** `read(view)`: copies the oldest waiting samples into the view (little-endian); the bytes copied. */
static void audioRingRead(xsMachine *the, AudioRing *r)
{
	void *data;
	xsUnsignedValue bytes;
	xsmcGetBufferWritable(xsArg(0), &data, &bytes);
	uint8_t *out = data;
	uint32_t wanted = bytes / 2, n;

	xSemaphoreTake(r->mutex, portMAX_DELAY);
	n = wanted < r->count ? wanted : r->count;
	uint32_t tail = (r->head + AUDIO_RING_SAMPLES - r->count) % AUDIO_RING_SAMPLES;
	for (uint32_t i = 0; i < n; i++) {
		int16_t sample = r->samples[(tail + i) % AUDIO_RING_SAMPLES];
		out[2 * i] = (uint8_t)(sample & 0xff);
		out[2 * i + 1] = (uint8_t)((uint16_t)sample >> 8);
	}
	r->count -= n;
	xSemaphoreGive(r->mutex);
	xsmcSetInteger(xsResult, n * 2);
}

/** Runs on the machine's thread: tells JavaScript how many bytes wait. */
static void audioRingDeliver(void *the_, void *refcon, uint8_t *message, uint16_t length)
{
	(void)the_, (void)message, (void)length;	// the ring, in refcon, says it all
	AudioRing *r = refcon;
	r->pending = 0;
	if (r->orphaned) {
		c_free(r);
		return;
	}
	uint32_t waiting;
	xSemaphoreTake(r->mutex, portMAX_DELAY);
	waiting = r->count;
	xSemaphoreGive(r->mutex);
	if (waiting == 0 || r->state != kAudioRingRecording)
		return;
	xsMachine *the = r->the;
	xsBeginHost(the);
	xsCall1(r->object, xsID_onReadable, xsInteger(waiting * 2));
	xsEndHost(the);
}

/** From the task: appends samples while recording, then has JavaScript called unless a call is pending. */
static void audioRingPush(AudioRing *r, const int16_t *samples, uint32_t n)
{
	xSemaphoreTake(r->mutex, portMAX_DELAY);
	if (r->state == kAudioRingRecording) {
		for (uint32_t i = 0; i < n && r->count < AUDIO_RING_SAMPLES; i++) {
			r->samples[r->head] = samples[i];
			r->head = (r->head + 1) % AUDIO_RING_SAMPLES;
			r->count++;
		}
	}
	xSemaphoreGive(r->mutex);
	if (!r->pending && r->count > 0) {
		r->pending = 1;
		modMessagePostToMachine(r->the, NULL, 0, audioRingDeliver, r);
	}
}

#endif
