/*
 * An SD card's FAT file system mounted over SPI (sdcard.c), for Moddable's `file` module:
 * `mount(path, sck, miso, mosi, cs)`, and `freeBytes()` of the mounted card. ESP32 only.
 */
function mount(path, sck, miso, mosi, cs) @ "xs_ringdown_sdcard_mount";
function freeBytes() @ "xs_ringdown_sdcard_free_bytes";

export { freeBytes, mount };
