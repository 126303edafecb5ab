/*
 * An SD card's FAT file system mounted over SPI (sdcard.c), for Moddable's `file` module:
 * `mount(path, sck, miso, mosi, cs)`. ESP32 only.
 */
function mount(path, sck, miso, mosi, cs) @ "xs_ringdown_sdcard_mount";

export { mount };
