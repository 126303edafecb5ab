/*
 * A digital input whose edges are stamped in the interrupt handler, where they happen: an XS
 * garbage collection or a long turn delays a pin's JavaScript callback by tens of ms, which would
 * mis-time a hook edge (a rotary pulse's make, a flash's end) if it were stamped there.
 *
 * Each edge's time on the tick counter `Time.ticks` reads (modMilliseconds: ms since reset, 32
 * bits) and its level go into a ring; the handler posts one message to the XS machine while the
 * ring has edges nobody was told of, and `onReadable` (called from that message) drains it with
 * `take()`. On the RP2040 the stamp is that counter itself (time_us_64 / 1000); on the ESP32 the
 * ISR keeps esp_timer's microseconds and `take()` moves them onto FreeRTOS's tick counter.
 *
 * One PinEdges is open at a time (the board's hook input): the RP2040 takes one raw handler per
 * pin, and one record needs no allocation. When the ring is full, later edges are dropped and
 * the next `take()` after the ring empties gives the level read then, at the time of reading:
 * the reader resynchronises with the line instead of keeping a level that is no longer true.
 */
#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h" /* xsID_pin, xsID_onReadable */

#if PICO_BUILD
#include "hardware/gpio.h"
#include "hardware/irq.h"
#include "hardware/sync.h"
#include "pico/time.h"
#elif ESP32
#include "driver/gpio.h"
#include "esp_attr.h"
#include "esp_timer.h"
#include "freertos/FreeRTOS.h"
#else
#error "pin-edges: RP2040 (pico) and ESP32 only"
#endif

#define RINGDOWN_EDGES_SIZE 64 /* a power of two: ten rotary pulses are 20 edges */

typedef struct {
#if ESP32
	int64_t us;
#else
	uint32_t ms;
#endif
	uint8_t level;
} RingdownEdge;

typedef struct {
	xsMachine *the;
	xsSlot callback;
	int pin;
	uint8_t open;
	volatile uint8_t posted; /* a message is on its way to the machine */
	volatile uint8_t lost;   /* edges were dropped: the ring was full */
	volatile uint32_t head;  /* written by the interrupt handler */
	volatile uint32_t tail;  /* written by take() */
	RingdownEdge ring[RINGDOWN_EDGES_SIZE];
} RingdownEdges;

static RingdownEdges gEdges;

#if ESP32
static portMUX_TYPE gEdgesMux = portMUX_INITIALIZER_UNLOCKED;
#define RINGDOWN_EDGES_LOCK_DECLARE
#define RINGDOWN_EDGES_LOCK() portENTER_CRITICAL(&gEdgesMux)
#define RINGDOWN_EDGES_UNLOCK() portEXIT_CRITICAL(&gEdgesMux)
#define RINGDOWN_EDGES_ISR_ATTR IRAM_ATTR
#else
#define RINGDOWN_EDGES_LOCK_DECLARE uint32_t saved
#define RINGDOWN_EDGES_LOCK() saved = save_and_disable_interrupts()
#define RINGDOWN_EDGES_UNLOCK() restore_interrupts(saved)
#define RINGDOWN_EDGES_ISR_ATTR
#endif

static void ringdown_edges_deliver(void *the, void *refcon, uint8_t *message, uint16_t messageLength)
{
	RingdownEdges *edges = refcon;
	edges->posted = 0;
	if (!edges->open)
		return;
	xsBeginHost(edges->the);
	xsCallFunction0(edges->callback, xsUndefined);
	xsEndHost(edges->the);
}

/* In the interrupt handler: queues one edge and makes sure a message will drain it. */
static void RINGDOWN_EDGES_ISR_ATTR ringdown_edges_push(RingdownEdges *edges, uint8_t level)
{
	uint32_t head = edges->head;
	if ((uint32_t)(head - edges->tail) >= RINGDOWN_EDGES_SIZE)
		edges->lost = 1;
	else {
		RingdownEdge *slot = &edges->ring[head & (RINGDOWN_EDGES_SIZE - 1)];
#if ESP32
		slot->us = esp_timer_get_time();
#else
		slot->ms = (uint32_t)(time_us_64() / 1000);
#endif
		slot->level = level;
		edges->head = head + 1;
	}
	if (!edges->posted) {
		edges->posted = 1;
		/* The pool may be full: the next edge, or the reader's own polling, tries again. */
		if (0 != modMessagePostToMachineFromISR(edges->the, ringdown_edges_deliver, edges))
			edges->posted = 0;
	}
}

#if ESP32
static void RINGDOWN_EDGES_ISR_ATTR ringdown_edges_isr(void *refcon)
{
	RingdownEdges *edges = refcon;
	portENTER_CRITICAL_ISR(&gEdgesMux);
	ringdown_edges_push(edges, (uint8_t)gpio_get_level((gpio_num_t)edges->pin));
	portEXIT_CRITICAL_ISR(&gEdgesMux);
}
#else
/* A raw handler on IO_IRQ_BANK0, shared with the SDK's default GPIO callback (which skips this pin). */
static void ringdown_edges_irq(void)
{
	RingdownEdges *edges = &gEdges;
	if (!edges->open)
		return;
	uint32_t events = gpio_get_irq_event_mask(edges->pin) & (GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL);
	if (!events)
		return;
	gpio_acknowledge_irq(edges->pin, events);
	/* Both edges latched since the last entry: the level now tells where the pin ended. */
	uint8_t level = (events == GPIO_IRQ_EDGE_RISE) ? 1 : (events == GPIO_IRQ_EDGE_FALL) ? 0 : (uint8_t)gpio_get(edges->pin);
	ringdown_edges_push(edges, level);
}
#endif

static int ringdown_edges_level(RingdownEdges *edges)
{
#if ESP32
	return gpio_get_level((gpio_num_t)edges->pin);
#else
	return gpio_get(edges->pin) ? 1 : 0;
#endif
}

static RingdownEdges *ringdown_edges_this(xsMachine *the)
{
	RingdownEdges *edges = xsmcGetHostData(xsThis);
	if (edges == NULL || !edges->open)
		xsUnknownError("PinEdges: closed");
	return edges;
}

/* new PinEdges({ pin, onReadable }): arms the pin's interrupt on both edges. */
void xs_ringdown_edges_constructor(xsMachine *the)
{
	RingdownEdges *edges = &gEdges;
	if (edges->open)
		xsUnknownError("PinEdges: one at a time (pin %d is open)", edges->pin);
	xsmcVars(1);
	xsmcGet(xsVar(0), xsArg(0), xsID_pin);
	int pin = xsmcToInteger(xsVar(0));
#if ESP32
	if (!GPIO_IS_VALID_GPIO(pin))
		xsRangeError("PinEdges: no GPIO %d", pin);
#else
	if (pin < 0 || pin >= NUM_BANK0_GPIOS)
		xsRangeError("PinEdges: no GPIO %d", pin);
#endif
	xsmcGet(xsVar(0), xsArg(0), xsID_onReadable);
	if (!xsmcIsInstanceOf(xsVar(0), xsFunctionPrototype))
		xsTypeError("PinEdges: onReadable is not a function");

	edges->the = the;
	edges->pin = pin;
	edges->head = edges->tail = 0;
	edges->lost = 0;
	edges->posted = 0;
	edges->callback = xsVar(0);
	xsRemember(edges->callback);
	xsmcSetHostData(xsThis, edges);

#if ESP32
	gpio_config_t config = {
		.pin_bit_mask = 1ULL << pin,
		.mode = GPIO_MODE_INPUT,
		.pull_up_en = GPIO_PULLUP_DISABLE,
		.pull_down_en = GPIO_PULLDOWN_DISABLE,
		.intr_type = GPIO_INTR_ANYEDGE,
	};
	esp_err_t err = gpio_config(&config);
	if (ESP_OK == err) {
		/* The service is shared with Moddable's Digital: already installed is fine. */
		err = gpio_install_isr_service(0);
		if (ESP_ERR_INVALID_STATE == err)
			err = ESP_OK;
	}
	edges->open = 1;
	if (ESP_OK == err)
		err = gpio_isr_handler_add((gpio_num_t)pin, ringdown_edges_isr, edges);
	if (ESP_OK != err) {
		edges->open = 0;
		xsForget(edges->callback);
		xsmcSetHostData(xsThis, NULL);
		xsUnknownError("PinEdges: GPIO %d interrupt (error %d)", pin, (int)err);
	}
#else
	gpio_init(pin);
	gpio_set_dir(pin, false);
	gpio_disable_pulls(pin);
	edges->open = 1;
	gpio_add_raw_irq_handler(pin, ringdown_edges_irq);
	gpio_set_irq_enabled(pin, GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL, true);
	irq_set_enabled(IO_IRQ_BANK0, true);
#endif
}

void xs_ringdown_edges_destructor(void *data)
{
	/* close() undoes everything; a PinEdges collected while open keeps its pin armed (remembered callback). */
}

/* read(): the pin's level now, 0 or 1. */
void xs_ringdown_edges_read(xsMachine *the)
{
	xsmcSetInteger(xsResult, ringdown_edges_level(ringdown_edges_this(the)));
}

/*
 * take(): the oldest edge not yet taken, as ticks * 2 + level (ticks: the tick counter at the
 * edge, 0 to 2^32 - 1), or undefined when there is none.
 */
void xs_ringdown_edges_take(xsMachine *the)
{
	RingdownEdges *edges = ringdown_edges_this(the);
	RINGDOWN_EDGES_LOCK_DECLARE;
	uint32_t ticks;
	uint8_t level;
	RINGDOWN_EDGES_LOCK();
	uint32_t tail = edges->tail;
	if (tail == edges->head) {
		uint8_t lost = edges->lost;
		edges->lost = 0;
		RINGDOWN_EDGES_UNLOCK();
		if (!lost)
			return;
		/* Edges were dropped: the level now, stamped now, so the reader ends where the pin is. */
		ticks = modMilliseconds();
		level = (uint8_t)ringdown_edges_level(edges);
	}
	else {
		RingdownEdge edge = edges->ring[tail & (RINGDOWN_EDGES_SIZE - 1)];
		edges->tail = tail + 1;
		RINGDOWN_EDGES_UNLOCK();
#if ESP32
		/* esp_timer and the FreeRTOS tick count run from one crystal: the offset read now holds. */
		ticks = modMilliseconds() - (uint32_t)((esp_timer_get_time() - edge.us) / 1000);
#else
		ticks = edge.ms;
#endif
		level = edge.level;
	}
	xsmcSetNumber(xsResult, (double)ticks * 2 + level);
}

/* close(): disarms the interrupt and forgets the callback; edges not taken are dropped. */
void xs_ringdown_edges_close(xsMachine *the)
{
	RingdownEdges *edges = xsmcGetHostData(xsThis);
	if (edges == NULL || !edges->open)
		return;
#if ESP32
	gpio_isr_handler_remove((gpio_num_t)edges->pin);
	gpio_set_intr_type((gpio_num_t)edges->pin, GPIO_INTR_DISABLE);
#else
	gpio_set_irq_enabled(edges->pin, GPIO_IRQ_EDGE_RISE | GPIO_IRQ_EDGE_FALL, false);
	gpio_remove_raw_irq_handler(edges->pin, ringdown_edges_irq);
#endif
	edges->open = 0;
	xsForget(edges->callback);
	xsmcSetHostData(xsThis, NULL);
}
