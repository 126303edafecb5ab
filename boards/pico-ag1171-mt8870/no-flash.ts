/**
 * The Moddable SDK has no `flash` module for the RP2040 (modules/files/flash: esp, esp32, nrf52),
 * so this board has no call-log partition. This stands in for the module, with its shape: opening
 * a partition throws, and the firmware runs without a call log and says so at boot
 * (boards/slic/slic-board.ts).
 */
export default class Flash {
  declare readonly blockSize: number;
  declare readonly byteLength: number;

  constructor(partition: string) {
    throw new Error(`no flash partition '${partition}' on the RP2040 (the Moddable SDK has no flash module for it)`);
  }

  read(_offset: number, _length: number): ArrayBuffer {
    throw new Error('no flash');
  }

  write(_offset: number, _length: number, _bytes: Uint8Array): void {
    throw new Error('no flash');
  }

  erase(_sector: number): void {
    throw new Error('no flash');
  }
}
