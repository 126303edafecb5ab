/**
 * An RP2040 running a firmware image in rp2040js (npm; Wokwi's emulator of the chip in Node), with
 * what the device harness needs around it: the B1 bootrom, the UF2 in flash, the UART's lines, the
 * GPIO inputs set and outputs read at exact emulated times, the PIO stepped at its clock divider
 * (rp2040js leaves PIO timing to host timers) so the I2S audio leaves at the real rate, and the
 * I2S data line decoded to samples.
 *
 * Time is the chip's: cycles at 125 MHz (8 ns each) through rp2040js's simulation clock. Moddable's
 * RP2040 main loop never sleeps (xs/platforms/pico/xsHost.c modMessageService: its wait loop
 * breaks before its WFE), so an idle firmware spins; emulating that spin cycle by cycle is 2-3x
 * slower than the chip. When the loop is entered with an empty message queue, the harness
 * advances the clock over the wait instead (no instruction runs) and shortens the wait argument by
 * the same amount, stopping early for any hardware alarm, scripted pin change or pending
 * interrupt, so what the firmware sees is what the spin would have seen. `skipIdle: false` turns
 * this off (the boot-time figure is measured that way).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger, LogLevel, Simulator, type RP2040 } from 'rp2040js';
import { FlashChip } from './rp2040-flash.js';

export const CPU_HZ = 125_000_000;
const NS_PER_CYCLE = 1e9 / CPU_HZ;
const FLASH_BASE = 0x10000000;

/** The B1 bootrom words, from `RP2040_BOOTROM` (a 16 KB .bin, or rp2040js's demo/bootrom.ts), else ~/pico/rp2040js/demo/bootrom.ts. */
export function loadBootrom(env: NodeJS.ProcessEnv = process.env): Uint32Array | string {
  const path = env.RP2040_BOOTROM ?? join(env.PICO_ROOT ?? join(homedir(), 'pico'), 'rp2040js', 'demo', 'bootrom.ts');
  if (!existsSync(path))
    return `no RP2040 bootrom (${path}): clone github.com/wokwi/rp2040js into ~/pico/rp2040js, or set RP2040_BOOTROM`;
  const bytes = readFileSync(path);
  if (path.endsWith('.bin'))
    return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength & ~3)));
  const text = bytes.toString('utf8');
  const words = [...text.slice(text.indexOf('[')).matchAll(/0x[0-9a-f]+/gi)].map((m) => Number(m[0]));
  if (words.length < 4096) return `${path} does not hold a 16 KB bootrom (${words.length} words)`;
  return Uint32Array.from(words);
}

export interface ElfSymbol {
  address: number;
  size: number;
}

/** Function and object addresses and sizes of an ELF (arm-none-eabi-nm -S). */
export function elfSymbols(elf: string, nm = 'arm-none-eabi-nm'): Map<string, ElfSymbol> {
  const r = spawnSync(nm, ['-S', elf], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const symbols = new Map<string, ElfSymbol>();
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = /^([0-9a-f]{8}) ([0-9a-f]{8}) \w (\S+)$/.exec(line);
    if (m !== null) symbols.set(m[3]!, { address: parseInt(m[1]!, 16), size: parseInt(m[2]!, 16) });
  }
  return symbols;
}

export interface I2sPins {
  data: number;
  bck: number;
  lrck: number;
}

export interface PicoMachineOptions {
  uf2: Uint8Array;
  bootrom: Uint32Array;
  symbols: Map<string, ElfSymbol>;
  /** Which UART carries the firmware's lines (default 0). */
  uart?: number;
  i2s?: I2sPins;
  /** Advance the clock over the idle spin (default true). */
  skipIdle?: boolean;
  /** The flash's contents before the UF2 goes in (a power cut's survivor), else erased (0xFF). */
  flash?: Uint8Array;
}

/** 115200 baud, 8N1: ten bits a byte. */
const UART_BYTE_NS = 1e9 / 11520;

/** A UF2 file's blocks written into the emulated flash. */
function loadUf2(mcu: RP2040, uf2: Uint8Array): void {
  const view = new DataView(uf2.buffer, uf2.byteOffset, uf2.byteLength);
  for (let o = 0; o + 512 <= uf2.byteLength; o += 512) {
    if (view.getUint32(o, true) !== 0x0a324655 || view.getUint32(o + 4, true) !== 0x9e5d5157) continue;
    const address = view.getUint32(o + 12, true);
    const size = view.getUint32(o + 16, true);
    if (address >= FLASH_BASE && address + size <= FLASH_BASE + mcu.flash.length)
      mcu.flash.set(uf2.subarray(o + 32, o + 32 + size), address - FLASH_BASE);
  }
}

export class PicoMachine {
  readonly #sim = new Simulator();
  readonly #mcu: RP2040;
  /** modMessageService's code (the main loop's wait), and the message queue's head pointer. */
  readonly #idleStart: number;
  readonly #idleEnd: number;
  readonly #queue: number;
  /** When the wait that modMessageService was last entered with ends (ns). */
  #idleUntil = 0;
  readonly #i2s: I2sPins | undefined;
  /** Functions by address, to name where a fault happened. */
  readonly #functions: [number, string][];
  #line = '';
  /** PIO steps owed to each state machine (fractions of a step carried). */
  readonly #pioDebt = [new Float64Array(4), new Float64Array(4)];
  #bck = false;
  #lrck = false;
  #bits = 0;
  #bitCount = 0;
  readonly flashChip: FlashChip;
  readonly #uart: number;
  /** Bytes a host sends the firmware's UART, fed at the line's rate, and when the next may go. */
  readonly #input: number[] = [];
  #nextInputNs = 0;
  /** Bytes that arrived while the UART's 32-byte receive FIFO was full (lost, as on the chip). */
  uartOverruns = 0;
  /** Emulated ns skipped over idle spins, and how often. */
  skippedNs = 0;
  skips = 0;
  /** Each line the firmware writes on its UART, with the emulated time of its newline. */
  onLine: ((text: string, atNs: number) => void) | undefined;
  /** Each left-channel sample on the I2S data line, with the emulated time of its word clock edge. */
  onSample: ((sample: number, atNs: number) => void) | undefined;

  constructor(options: PicoMachineOptions) {
    this.#mcu = this.#sim.rp2040;
    this.#mcu.logger = new ConsoleLogger(LogLevel.Error);
    this.#mcu.loadBootrom(options.bootrom);
    if (options.flash !== undefined) this.#mcu.flash.set(options.flash.subarray(0, this.#mcu.flash.length));
    loadUf2(this.#mcu, options.uf2);
    // The flash chip behind the SSI, so the firmware's own flash erases and programs take effect.
    this.flashChip = new FlashChip(this.#mcu.flash);
    this.flashChip.install(this.#mcu);
    this.#i2s = options.i2s;
    this.#functions = [...options.symbols]
      .map(([name, s]): [number, string] => [s.address, name])
      .sort((a, b) => a[0] - b[0]);
    const wait = options.skipIdle === false ? undefined : options.symbols.get('modMessageService');
    const queue = options.symbols.get('gMessageQueue');
    this.#idleStart = wait !== undefined && queue !== undefined ? wait.address : -1;
    this.#idleEnd = wait !== undefined && queue !== undefined ? wait.address + wait.size : -1;
    this.#queue = queue?.address ?? 0;
    // PIO runs from this loop at its clock divider, not from rp2040js's host timers.
    for (const pio of this.#mcu.pio) pio.run = () => undefined;
    this.#uart = options.uart ?? 0;
    this.#mcu.uart[this.#uart]!.onByte = (byte: number) => {
      if (byte === 10) {
        this.onLine?.(this.#line.replace(/\r$/, ''), this.nanos);
        this.#line = '';
      } else this.#line += String.fromCharCode(byte);
    };
    this.#mcu.core.PC = FLASH_BASE;
  }

  /** The flash chip's whole contents (the firmware image and whatever the firmware stored). */
  get flash(): Uint8Array {
    return this.#mcu.flash;
  }

  /** Queues bytes a host sends on the firmware's UART: they arrive one every 86.8 us (115200 baud). */
  sendUart(bytes: Uint8Array): void {
    for (const b of bytes) this.#input.push(b);
  }

  /** Emulated time since reset, ns. */
  get nanos(): number {
    return this.#sim.clock.nanos;
  }

  /** Emulated cycles since reset at 125 MHz. */
  get cycles(): number {
    return Math.round(this.nanos / NS_PER_CYCLE);
  }

  /** Drives an input pin (an external module's output). */
  setInput(pin: number, high: boolean): void {
    this.#mcu.gpio[pin]!.setInputValue(high);
  }

  /** The level the firmware drives on a pin (false when it is not an output). */
  output(pin: number): boolean {
    const gpio = this.#mcu.gpio[pin]!;
    return gpio.outputEnable && gpio.outputValue;
  }

  /** Where the core is now (the function, with `functionAt`): a sampling profiler's reading. */
  get pc(): number {
    return this.#mcu.core.PC;
  }

  /** The function holding an address (the nearest symbol at or below it). */
  functionAt(address: number): string {
    if (address < 0x4000) return 'the bootrom (a ROM routine)';
    let lo = 0;
    let hi = this.#functions.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#functions[mid]![0] <= address) lo = mid;
      else hi = mid - 1;
    }
    return this.#functions[lo]?.[1] ?? '?';
  }

  /**
   * Runs until the emulated time reaches `untilNs`. A bus fault the emulator refuses (rp2040js
   * throws on an unaligned or unmapped access, where the chip would take a HardFault) is
   * rethrown naming the function and the emulated time.
   */
  run(untilNs: number): void {
    try {
      while (this.#input.length > 0 && this.nanos < untilNs) {
        if (this.nanos >= this.#nextInputNs) this.#feed();
        this.#run(Math.min(untilNs, Math.max(this.#nextInputNs, this.nanos + NS_PER_CYCLE)));
      }
      this.#run(untilNs);
    } catch (e) {
      const pc = this.#mcu.core.PC;
      const lr = this.#mcu.core.registers[14]! >>> 0;
      throw new Error(
        `the firmware faulted at ${(this.nanos / 1e6).toFixed(3)} ms in ${this.functionAt(pc)} (pc 0x${pc.toString(16)}, called from ${this.functionAt(lr & ~1)}; return addresses on the stack: ${this.#stackCallers().join(' < ')}): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** One byte into the UART's receive FIFO, or an overrun when it is full. */
  #feed(): void {
    const uart = this.#mcu.uart[this.#uart]!;
    const byte = this.#input.shift()!;
    // rp2040js keeps the FIFO private; its `full` is what the flag register's RXFF reports.
    if ((uart as unknown as { rxFIFO: { full: boolean } }).rxFIFO.full) this.uartOverruns++;
    else uart.feedByte(byte);
    this.#nextInputNs = this.nanos + UART_BYTE_NS;
  }

  /** Functions named by the Thumb return addresses found in the top 64 words of the stack (a heuristic backtrace). */
  #stackCallers(): string[] {
    const sp = this.#mcu.core.registers[13]! >>> 0;
    const names: string[] = [];
    for (let i = 0; i < 64 && names.length < 8; i++) {
      const address = sp + i * 4;
      if (address >= 0x20042000) break;
      const word = this.#mcu.readUint32(address) >>> 0;
      if ((word & 1) === 1 && word >= 0x10000100 && word < 0x10200000) {
        const name = this.functionAt(word & ~1);
        if (names[names.length - 1] !== name) names.push(name);
      }
    }
    return names;
  }

  #run(untilNs: number): void {
    const mcu = this.#mcu;
    const core = mcu.core;
    const clock = this.#sim.clock;
    while (clock.nanos < untilNs) {
      if (core.waiting) {
        const step = Math.min(this.#toNextAlarm(), untilNs - clock.nanos);
        this.#stepPio(Math.max(step, NS_PER_CYCLE) / NS_PER_CYCLE);
        clock.tick(Math.max(step, NS_PER_CYCLE));
        continue;
      }
      const pc = core.PC;
      if (pc >= this.#idleStart && pc < this.#idleEnd) {
        // modMessageService(the, maxDelayMS): its wait ends maxDelayMS from its entry.
        if (pc === this.#idleStart) this.#idleUntil = clock.nanos + (core.registers[1]! | 0) * 1e6;
        else if (this.#skipIdle(untilNs)) continue;
      }
      const cycles = core.executeInstruction();
      this.#stepPio(cycles);
      clock.tick(cycles * NS_PER_CYCLE);
    }
  }

  /**
   * In modMessageService's wait with no message queued and no interrupt pending: advance to 1 ms
   * before the wait ends (the loop's own margin), the next hardware alarm (the USB task's 1 ms
   * tick among them), `untilNs` or an interrupt raised by the PIO or DMA on the way, whichever
   * comes first. Returns whether time moved.
   */
  #skipIdle(untilNs: number): boolean {
    const mcu = this.#mcu;
    const clock = this.#sim.clock;
    const start = clock.nanos;
    const limit = Math.min(this.#idleUntil - 1e6, untilNs, start + this.#toNextAlarm());
    if (limit - start < 2 * NS_PER_CYCLE || mcu.core.pendingInterrupts !== 0 || mcu.readUint32(this.#queue) !== 0)
      return false;
    const pioActive = mcu.pio.some((pio) => pio.machines.some((m) => m.enabled));
    let now = start;
    while (now < limit) {
      const slice = pioActive ? Math.min(limit - now, 10_000) : limit - now;
      this.#stepPio(slice / NS_PER_CYCLE);
      clock.tick(slice);
      now += slice;
      if (mcu.core.pendingInterrupts !== 0) break;
    }
    this.skippedNs += now - start;
    this.skips++;
    return true;
  }

  /** ns to the clock's next alarm (rp2040js says 0 when there is none). */
  #toNextAlarm(): number {
    const clock = this.#sim.clock;
    // rp2040js keeps its alarm list private; an empty list reads as 0 ns to the next alarm.
    return (clock as unknown as { nextAlarm: unknown }).nextAlarm !== null ? clock.nanosToNextAlarm : Infinity;
  }

  /** Steps each enabled PIO state machine for `cycles` system clock cycles at its divider. */
  #stepPio(cycles: number): void {
    const pios = this.#mcu.pio;
    for (let p = 0; p < pios.length; p++) {
      const pio = pios[p]!;
      const debt = this.#pioDebt[p]!;
      let stepped = false;
      for (let s = 0; s < 4; s++) {
        const machine = pio.machines[s]!;
        if (!machine.enabled) continue;
        const divider = machine.clockDivInt + machine.clockDivFrac / 256 || 65536;
        debt[s]! += cycles / divider;
        while (debt[s]! >= 1) {
          debt[s]! -= 1;
          machine.step();
          stepped = true;
          if (p === 0 && this.#i2s !== undefined) this.#sampleI2s(pio.pinValues);
        }
      }
      if (stepped) pio.checkChangedPins();
    }
  }

  /** I2S: data is read on BCK's rising edge; a word clock edge ends the previous word. */
  #sampleI2s(pins: number): void {
    const i2s = this.#i2s!;
    const bck = ((pins >>> i2s.bck) & 1) === 1;
    if (bck && !this.#bck) {
      const lrck = ((pins >>> i2s.lrck) & 1) === 1;
      if (lrck !== this.#lrck) {
        // The word that just ended; its left-justified 16 bits are the sample (the left word
        // ends when the word clock rises).
        if (lrck && this.#bitCount >= 16) {
          this.onSample?.(((this.#bits & 0xffff) << 16) >> 16, this.nanos);
        }
        this.#lrck = lrck;
        this.#bits = 0;
        this.#bitCount = 0;
      }
      // I2S puts the MSB one BCK after the word clock edge; counting from the edge keeps the
      // first 17 bits, the low 16 of which are the sample.
      if (this.#bitCount < 17) {
        this.#bits = ((this.#bits << 1) | ((pins >>> i2s.data) & 1)) >>> 0;
        this.#bitCount++;
      }
    }
    this.#bck = bck;
  }
}
