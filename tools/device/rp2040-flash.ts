/**
 * A serial NOR flash chip (a W25Q16-like 2 MB part) on the RP2040's SSI, over rp2040js's flash
 * array. rp2040js reads the XIP window straight from that array but its SSI answers only the
 * READ STATUS boot stage 2 sends, so the pico-sdk's flash_range_erase / flash_range_program
 * (through the bootrom's flash functions) would change nothing. This model takes their place.
 *
 * The bootrom frames each command by forcing the chip select low and high through IO_QSPI's
 * GPIO_QSPI_SS_CTRL OUTOVER field, and moves bytes through the SSI's data register: every byte
 * written to DR0 is clocked out at once and the byte clocked in lands in the receive FIFO. While
 * the chip select is not forced (boot stage 2's SSI-driven commands, XIP), bytes read back as 0:
 * the status register's busy bit clear, which is all stage 2 waits for.
 *
 * Commands: WRITE ENABLE / DISABLE, READ STATUS (busy clear, WEL as set), SECTOR (4 KB), 32 KB and
 * 64 KB BLOCK ERASE (to 0xFF, only after WRITE ENABLE), PAGE PROGRAM (bits ANDed into the array,
 * wrapping inside the 256-byte page, only after WRITE ENABLE), READ DATA and FAST READ, and
 * READ JEDEC ID. Anything else is clocked through and answered with 0.
 */
import type { RP2040 } from 'rp2040js';

const SSI_CTRLR0 = 0x00;
const SSI_SSIENR = 0x08;
const SSI_TXFLR = 0x20;
const SSI_RXFLR = 0x24;
const SSI_SR = 0x28;
const SSI_IDR = 0x58;
const SSI_VERSION_ID = 0x5c;
const SSI_DR0 = 0x60;
const SR_TFNF = 0x02;
const SR_TFE = 0x04;
const SR_RFNE = 0x08;
const FIFO_DEPTH = 16;

const SS_CTRL = 0x0c;
const OUTOVER_LOW = 2;

const WRITE_ENABLE = 0x06;
const WRITE_DISABLE = 0x04;
const READ_STATUS = 0x05;
const READ_DATA = 0x03;
const FAST_READ = 0x0b;
const PAGE_PROGRAM = 0x02;
const SECTOR_ERASE = 0x20;
const BLOCK_ERASE_32K = 0x52;
const BLOCK_ERASE_64K = 0xd8;
const JEDEC_ID = 0x9f;
const JEDEC = [0xef, 0x40, 0x15];

/** A register file the bus reads and writes through rp2040js's peripheral interface (atomic aliases included). */
interface Peripheral {
  readUint32(offset: number): number;
  writeUint32(offset: number, value: number): void;
  writeUint32Atomic(offset: number, value: number, atomicType: number): void;
}

function atomic(current: number, value: number, type: number): number {
  if (type === 1) return current ^ value;
  if (type === 2) return current | value;
  if (type === 3) return current & ~value;
  return value;
}

export class FlashChip {
  readonly #flash: Uint8Array;
  /** Chip size in bytes (addresses wrap at it, as a real part's do). */
  readonly size: number;
  #selected = false;
  #writeEnabled = false;
  /** Bytes of the current command clocked in so far (opcode and address). */
  #command: number[] = [];
  #address = 0;
  readonly #rx: number[] = [];
  #ssi = { ctrlr0: 0, ssienr: 0, other: new Map<number, number>() };
  readonly #qspi = new Map<number, number>();
  /** Erases and page programs done (for tests and the harness's counters). */
  erases = 0;
  programs = 0;

  constructor(flash: Uint8Array, size = 2 * 1024 * 1024) {
    this.#flash = flash;
    this.size = size;
  }

  /** Replaces rp2040js's SSI and IO_QSPI with this chip's. */
  install(mcu: RP2040): void {
    const peripherals = mcu.peripherals as Record<number, Peripheral>;
    peripherals[0x18000] = this.#ssiPeripheral();
    peripherals[0x40018] = this.#qspiPeripheral();
  }

  #ssiPeripheral(): Peripheral {
    const read = (offset: number): number => {
      switch (offset) {
        case SSI_CTRLR0:
          return this.#ssi.ctrlr0;
        case SSI_SSIENR:
          return this.#ssi.ssienr;
        case SSI_TXFLR:
          return 0;
        case SSI_RXFLR:
          return this.#rx.length;
        case SSI_SR:
          return SR_TFE | SR_TFNF | (this.#rx.length > 0 ? SR_RFNE : 0);
        case SSI_IDR:
          return 0x51535049;
        case SSI_VERSION_ID:
          return 0x3430312a;
        case SSI_DR0:
          return this.#rx.shift() ?? 0;
        default:
          return this.#ssi.other.get(offset) ?? 0;
      }
    };
    const write = (offset: number, value: number): void => {
      switch (offset) {
        case SSI_CTRLR0:
          this.#ssi.ctrlr0 = value >>> 0;
          return;
        case SSI_SSIENR:
          this.#ssi.ssienr = value & 1;
          // Disabling the SSI empties its FIFOs.
          if ((value & 1) === 0) this.#rx.length = 0;
          return;
        case SSI_DR0:
          this.#clock(value & 0xff);
          return;
        default:
          this.#ssi.other.set(offset, value >>> 0);
      }
    };
    return {
      readUint32: read,
      writeUint32: write,
      writeUint32Atomic: (offset, value, type) => write(offset, type === 0 ? value : atomic(read(offset), value, type)),
    };
  }

  #qspiPeripheral(): Peripheral {
    const read = (offset: number): number => this.#qspi.get(offset) ?? 0;
    const write = (offset: number, value: number): void => {
      this.#qspi.set(offset, value >>> 0);
      if (offset === SS_CTRL) this.#select(((value >>> 8) & 3) === OUTOVER_LOW);
    };
    return {
      readUint32: read,
      writeUint32: write,
      writeUint32Atomic: (offset, value, type) => write(offset, type === 0 ? value : atomic(read(offset), value, type)),
    };
  }

  /** The chip select forced low (a command starts) or released (it ends). */
  #select(low: boolean): void {
    if (low === this.#selected) return;
    if (!low) this.#finish();
    this.#selected = low;
    this.#command = [];
  }

  /** One byte out to the chip; the byte it sends back goes to the receive FIFO. */
  #clock(byte: number): void {
    const answer = this.#selected ? this.#exchange(byte) : 0;
    if (this.#rx.length < FIFO_DEPTH) this.#rx.push(answer);
  }

  #exchange(byte: number): number {
    const command = this.#command;
    if (command.length === 0) {
      command.push(byte);
      if (byte === WRITE_ENABLE) this.#writeEnabled = true;
      else if (byte === WRITE_DISABLE) this.#writeEnabled = false;
      return 0;
    }
    const opcode = command[0]!;
    const n = command.length;
    if (n < 4 && this.#hasAddress(opcode)) {
      command.push(byte);
      if (n === 3) this.#address = ((command[1]! << 16) | (command[2]! << 8) | command[3]!) % this.size;
      return 0;
    }
    command.push(byte);
    switch (opcode) {
      case READ_STATUS:
        return this.#writeEnabled ? 0x02 : 0;
      case JEDEC_ID:
        return JEDEC[n - 1] ?? 0;
      case READ_DATA:
        return this.#readNext();
      case FAST_READ:
        return n === 4 ? 0 : this.#readNext();
      case PAGE_PROGRAM:
        if (this.#writeEnabled) {
          const page = this.#address & ~0xff;
          const offset = (this.#address + n - 4) & 0xff;
          this.#flash[page + offset]! &= byte;
        }
        return 0;
      default:
        return 0;
    }
  }

  #hasAddress(opcode: number): boolean {
    return [READ_DATA, FAST_READ, PAGE_PROGRAM, SECTOR_ERASE, BLOCK_ERASE_32K, BLOCK_ERASE_64K].includes(opcode);
  }

  #readNext(): number {
    const byte = this.#flash[this.#address]!;
    this.#address = (this.#address + 1) % this.size;
    return byte;
  }

  /** At the chip select's rising edge: erases happen, and a write clears the write-enable latch. */
  #finish(): void {
    const command = this.#command;
    const opcode = command[0];
    if (opcode === undefined) return;
    const addressed = command.length >= 4;
    const erase = { [SECTOR_ERASE]: 4096, [BLOCK_ERASE_32K]: 32768, [BLOCK_ERASE_64K]: 65536 }[opcode];
    if (erase !== undefined && addressed && this.#writeEnabled) {
      const start = this.#address & ~(erase - 1);
      this.#flash.fill(0xff, start, start + erase);
      this.erases++;
    }
    if (opcode === PAGE_PROGRAM && addressed && this.#writeEnabled) this.programs++;
    if (erase !== undefined || opcode === PAGE_PROGRAM) this.#writeEnabled = false;
  }
}
