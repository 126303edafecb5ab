/*
 * Raw access to a region of the RP2040's 2 MB QSPI flash for drivers/pico-flash/pico-flash.js:
 * read through the XIP window, program and erase through the pico-sdk's flash_range_program and
 * flash_range_erase. Those run from RAM and take the chip out of XIP mode, so nothing may run
 * from flash meanwhile: interrupts are off around each call. The second core would have to be
 * parked too (the pico-sdk's multicore lockout), but Moddable's pico platform runs on core 0
 * alone, so it is not used.
 *
 * Every offset is checked against the region [RINGDOWN_FLASH_START, RINGDOWN_FLASH_END): below
 * it is the firmware image, above it Moddable's preferences (0x1F8000, its linker script).
 */
#include "xsmc.h"
#include "hardware/regs/addressmap.h"
#include "hardware/flash.h"
#include "hardware/sync.h"
#include <string.h>

#define RINGDOWN_FLASH_START 0x1EC000u
#define RINGDOWN_FLASH_END 0x1F8000u

/* Throws unless [offset, offset + length) lies inside the region. */
static void ringdown_flash_check(xsMachine *the, uint32_t offset, uint32_t length)
{
	if (offset < RINGDOWN_FLASH_START || offset > RINGDOWN_FLASH_END || length > RINGDOWN_FLASH_END - offset)
		xsRangeError("flash 0x%x+%u is outside the data region", (unsigned)offset, (unsigned)length);
}

/* read(offset, buffer): fills the ArrayBuffer from flash. */
void xs_ringdown_pico_flash_read(xsMachine *the)
{
	uint32_t offset = (uint32_t)xsmcToInteger(xsArg(0));
	void *data;
	xsUnsignedValue length;
	xsmcGetBufferWritable(xsArg(1), &data, &length);
	ringdown_flash_check(the, offset, length);
	memcpy(data, (const void *)(XIP_BASE + offset), length);
}

/*
 * write(offset, buffer): programs the bytes, a 256-byte page at a time. Each page is sent whole,
 * 0xFF where the buffer has no byte: programming only clears bits, so those bytes keep theirs.
 */
void xs_ringdown_pico_flash_write(xsMachine *the)
{
	uint32_t offset = (uint32_t)xsmcToInteger(xsArg(0));
	void *data;
	xsUnsignedValue length;
	xsmcGetBufferReadable(xsArg(1), &data, &length);
	ringdown_flash_check(the, offset, length);
	uint8_t page[FLASH_PAGE_SIZE] __attribute__((aligned(4)));
	uint32_t done = 0;
	while (done < length) {
		uint32_t at = offset + done;
		uint32_t start = at & ~(uint32_t)(FLASH_PAGE_SIZE - 1);
		uint32_t skip = at - start;
		uint32_t count = FLASH_PAGE_SIZE - skip;
		if (count > length - done)
			count = length - done;
		memset(page, 0xFF, sizeof(page));
		/* The buffer is re-read each page: nothing here calls XS, so it does not move. */
		memcpy(page + skip, (const uint8_t *)data + done, count);
		uint32_t status = save_and_disable_interrupts();
		flash_range_program(start, page, FLASH_PAGE_SIZE);
		restore_interrupts(status);
		done += count;
	}
}

/* erase(offset): sets the 4 KB sector at `offset` to 0xFF. */
void xs_ringdown_pico_flash_erase(xsMachine *the)
{
	uint32_t offset = (uint32_t)xsmcToInteger(xsArg(0));
	if (offset % FLASH_SECTOR_SIZE != 0)
		xsRangeError("flash erase at 0x%x is not on a sector", (unsigned)offset);
	ringdown_flash_check(the, offset, FLASH_SECTOR_SIZE);
	uint32_t status = save_and_disable_interrupts();
	flash_range_erase(offset, FLASH_SECTOR_SIZE);
	restore_interrupts(status);
}
