/*
 * Moddable's `flash` module for the RP2040, which the SDK does not have (modules/files/flash:
 * esp, esp32, nrf52): `new Flash(partition)`, `read`, `write`, `erase` by sector, `blockSize`,
 * `byteLength`, over fixed regions at the end of the 2 MB flash (pico-flash.c does the flash
 * operations and checks every offset). The firmware image ends far below (about 0x0C1000 for a
 * release build); Moddable's preferences take the last 32 KB (from 0x1F8000).
 *   calllog 0x1EC000, 16 KB: the call log (src/calllog; a few hundred calls). Smaller than the
 *           ESP32's 64 KB: the log is read through in JavaScript at boot, which at 64 KB kept
 *           the emulated RP2040 busy for seconds (tools/device/rp2040.ts profile).
 *   menus   0x1F0000, 32 KB: a menu uploaded over the device link (src/link/menu-slots.ts), two
 *           16 KB slots, above the Pico's largest menu (6,554 characters, menu-limits.ts)
 */
function readFlash(offset, buffer) @ "xs_ringdown_pico_flash_read";
function writeFlash(offset, buffer) @ "xs_ringdown_pico_flash_write";
function eraseFlash(offset) @ "xs_ringdown_pico_flash_erase";

const SECTOR = 4096;
const PARTITIONS = Object.freeze({
	calllog: { start: 0x1ec000, size: 0x4000 },
	menus: { start: 0x1f0000, size: 0x8000 },
});

class PicoFlash {
	#start;
	#size;

	constructor(partition) {
		const region = PARTITIONS[partition];
		if (region === undefined) throw new Error(`no flash partition '${partition}' on the RP2040 (calllog, menus)`);
		this.#start = region.start;
		this.#size = region.size;
	}

	get blockSize() {
		return SECTOR;
	}

	get byteLength() {
		return this.#size;
	}

	read(offset, length) {
		this.#check(offset, length);
		const buffer = new ArrayBuffer(length);
		readFlash(this.#start + offset, buffer);
		return buffer;
	}

	write(offset, length, bytes) {
		this.#check(offset, length);
		const view = ArrayBuffer.isView(bytes) ? bytes : new Uint8Array(bytes);
		if (view.byteLength < length) throw new RangeError('flash write: fewer bytes than the length');
		writeFlash(this.#start + offset, view.buffer.slice(view.byteOffset, view.byteOffset + length));
	}

	erase(sector) {
		if (!Number.isInteger(sector) || sector < 0 || sector >= this.#size / SECTOR)
			throw new RangeError(`flash erase: no sector ${sector}`);
		eraseFlash(this.#start + sector * SECTOR);
	}

	#check(offset, length) {
		if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.#size)
			throw new RangeError(`flash ${offset}+${length} is outside the partition (${this.#size} bytes)`);
	}
}

export default PicoFlash;
export { PicoFlash };
