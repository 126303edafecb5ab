/** Mounts the SD card on SPI at `path` (e.g. `/sd`) for the `file` module; throws when the bus or card fails. */
export function mount(path: string, sck: number, miso: number, mosi: number, cs: number): void;
/** The mounted card's free space in bytes (FatFs f_getfree: whole free clusters); throws when no card is mounted. */
export function freeBytes(): number;
