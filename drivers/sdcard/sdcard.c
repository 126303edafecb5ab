/*
 * Mounts an SD card's FAT file system over SPI (ESP-IDF's esp_vfs_fat_sdspi_mount), so Moddable's
 * `file` module reaches it by path (`/sd/guest-1.wav`): the SDK's own `file` module mounts only a
 * flash partition (SPIFFS, or FAT with MODDEF_FILE_FAT32). `mount(path, sck, miso, mosi, cs)`;
 * throws with ESP-IDF's error name when the bus or the card fails. Mounting a mounted card does
 * nothing. The card must already be FAT-formatted (it is never formatted here).
 *
 * `freeBytes()` is the mounted card's free space (FatFs f_getfree: free clusters × sectors per
 * cluster × sector size), so the recordings store can tell a Record how much room is left instead
 * of a full card failing the write. A file takes whole clusters, and f_getfree counts whole free
 * clusters, so a file of that many bytes fits. The first call after mounting may scan the whole
 * FAT (FAT32 without a valid FSInfo sector: about a second per few GB); FatFs keeps the count
 * up to date after that.
 */
#include "xsmc.h"
#include "xsHost.h"
#include "esp_err.h"
#include "esp_vfs_fat.h"
#include "sdmmc_cmd.h"
#include "driver/sdspi_host.h"
#include "driver/spi_common.h"
#include "ff.h"
#include "diskio_impl.h"
#include "diskio_sdmmc.h"

static sdmmc_card_t *gCard = NULL;

void xs_ringdown_sdcard_mount(xsMachine *the)
{
	char path[16];
	esp_err_t err;

	if (gCard != NULL)
		return;
	xsmcToStringBuffer(xsArg(0), path, sizeof(path));

	sdmmc_host_t host = SDSPI_HOST_DEFAULT();
	spi_bus_config_t bus = {
		.sclk_io_num = xsmcToInteger(xsArg(1)),
		.miso_io_num = xsmcToInteger(xsArg(2)),
		.mosi_io_num = xsmcToInteger(xsArg(3)),
		.quadwp_io_num = -1,
		.quadhd_io_num = -1,
		.max_transfer_sz = 4096,
	};
	// The DMA channel is the driver's choice: ESP-IDF's SDSPI_DEFAULT_DMA names the SPI host, not a
	// channel, and GCC rightly warns about passing one for the other.
	err = spi_bus_initialize(host.slot, &bus, SPI_DMA_CH_AUTO);
	if (err != ESP_OK)
		xsUnknownError("SD card SPI bus: %s", esp_err_to_name(err));

	sdspi_device_config_t slot = SDSPI_DEVICE_CONFIG_DEFAULT();
	slot.gpio_cs = xsmcToInteger(xsArg(4));
	slot.host_id = host.slot;
	esp_vfs_fat_sdmmc_mount_config_t mount = {
		.format_if_mount_failed = false,
		.max_files = 4,
		.allocation_unit_size = 16 * 1024,
	};
	err = esp_vfs_fat_sdspi_mount(path, &host, &slot, &mount, &gCard);
	if (err != ESP_OK) {
		gCard = NULL;
		spi_bus_free(host.slot);
		xsUnknownError("SD card: %s", esp_err_to_name(err));
	}
}

void xs_ringdown_sdcard_free_bytes(xsMachine *the)
{
	char drive[3] = { '0', ':', 0 };
	DWORD clusters;
	FATFS *fs;
	FRESULT result;
	WORD sectorSize = FF_MIN_SS;

	if (gCard == NULL)
		xsUnknownError("SD card: not mounted");
	drive[0] = (char)('0' + ff_diskio_get_pdrv_card(gCard));
	result = f_getfree(drive, &clusters, &fs);
	if (result != FR_OK)
		xsUnknownError("SD card: f_getfree failed (%d)", (int)result);
#if FF_MAX_SS != FF_MIN_SS
	sectorSize = fs->ssize;
#endif
	xsmcSetNumber(xsResult, (double)clusters * (double)fs->csize * (double)sectorSize);
}
