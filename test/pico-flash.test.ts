/**
 * The flash chip model on the emulated RP2040's SSI, driven by the B1 bootrom's own flash
 * functions (the ones the pico-sdk's flash_range_erase / flash_range_program call), without a
 * firmware: each function is called with its arguments in r0-r3 and returns to a spin in RAM.
 */
import t from 'tap';
import { Simulator, type RP2040 } from 'rp2040js';
import { loadBootrom } from '../tools/device/rp2040.js';
import { FlashChip } from '../tools/device/rp2040-flash.js';

const STOP = 0x20040000;
const REGION = 0x1f0000;

/** The bootrom function with a two-letter code, from its public function table. */
function romFunction(mcu: RP2040, code: string): number {
  const half = (address: number): number => mcu.readUint16(address);
  const want = code.charCodeAt(0) | (code.charCodeAt(1) << 8);
  for (let entry = half(0x14); half(entry) !== 0; entry += 4) if (half(entry) === want) return half(entry + 2);
  throw new Error(`no bootrom function ${code}`);
}

/** Calls a bootrom function and runs it to its return. */
function call(mcu: RP2040, code: string, ...args: number[]): void {
  const core = mcu.core;
  args.forEach((value, i) => {
    core.registers[i] = value;
  });
  core.registers[13] = 0x20041f00;
  core.registers[14] = STOP | 1;
  core.PC = romFunction(mcu, code) & ~1;
  for (let steps = 0; core.PC !== STOP; steps++) {
    if (steps > 5_000_000) throw new Error(`bootrom ${code} did not return`);
    core.executeInstruction();
  }
}

/** What the pico-sdk's flash_range_erase or flash_range_program does around the operation. */
function withFlash(mcu: RP2040, operation: () => void): void {
  call(mcu, 'IF');
  call(mcu, 'EX');
  operation();
  call(mcu, 'FC');
  call(mcu, 'CX');
}

function machine(): { mcu: RP2040; chip: FlashChip } | string {
  const bootrom = loadBootrom();
  if (typeof bootrom === 'string') return bootrom;
  const mcu = new Simulator().rp2040;
  mcu.loadBootrom(bootrom);
  // A `b .` where each call returns.
  mcu.writeUint16(STOP, 0xe7fe);
  const chip = new FlashChip(mcu.flash);
  chip.install(mcu);
  return { mcu, chip };
}

const m = machine();
t.test(
  'the bootrom erases a 4 KB sector and programs pages through the SSI',
  { skip: typeof m === 'string' ? m : false },
  (t) => {
    const { mcu, chip } = m as Exclude<typeof m, string>;
    mcu.flash.fill(0x5a, REGION - 16, REGION + 8192);
    withFlash(mcu, () => call(mcu, 'RE', REGION, 4096, 1 << 16, 0xd8));
    t.equal(chip.erases, 1, 'one erase command');
    t.ok(
      mcu.flash.subarray(REGION, REGION + 4096).every((b) => b === 0xff),
      'the sector reads 0xFF',
    );
    t.equal(mcu.flash[REGION - 1], 0x5a, 'the byte before the sector is kept');
    t.equal(mcu.flash[REGION + 4096], 0x5a, 'the next sector is kept');

    const data = Uint8Array.from({ length: 512 }, (_, i) => (i * 7 + 3) & 0xff);
    mcu.sram.set(data, 0x30000);
    withFlash(mcu, () => call(mcu, 'RP', REGION, 0x20030000, 512));
    t.equal(chip.programs, 2, 'two 256-byte page programs');
    t.same([...mcu.flash.subarray(REGION, REGION + 512)], [...data], 'the pages hold the data');
    t.equal(
      mcu.readUint32(0x10000000 + REGION) >>> 0,
      new DataView(data.buffer).getUint32(0, true),
      'the XIP window reads it',
    );

    // Programming only clears bits: 0x0F over 0x56 is 0x06.
    mcu.sram.fill(0x0f, 0x30000, 0x30100);
    withFlash(mcu, () => call(mcu, 'RP', REGION, 0x20030000, 256));
    t.equal(mcu.flash[REGION + 1], data[1]! & 0x0f, 'a program ANDs into what is there');
    t.end();
  },
);

t.test(
  'without WRITE ENABLE the chip neither erases nor programs',
  { skip: typeof m === 'string' ? m : false },
  (t) => {
    const { mcu } = m as Exclude<typeof m, string>;
    const ssi = 0x18000060;
    const cs = (low: boolean): void => mcu.writeUint32(0x4001800c, (low ? 2 : 3) << 8);
    mcu.flash.fill(0x00, REGION, REGION + 4096);
    for (const bytes of [
      [0x20, 0x1f, 0x00, 0x00],
      [0x02, 0x1f, 0x00, 0x00, 0x00],
    ]) {
      cs(true);
      for (const b of bytes) mcu.writeUint32(ssi, b);
      cs(false);
    }
    t.equal(mcu.flash[REGION], 0x00, 'the sector is not erased');
    cs(true);
    for (const b of [0x03, 0x1f, 0x00, 0x00, 0, 0]) mcu.writeUint32(ssi, b);
    const rx = [0, 1, 2, 3, 4, 5].map(() => mcu.readUint32(ssi));
    cs(false);
    t.same(rx.slice(4), [0, 0], 'READ DATA clocks out the array');
    t.end();
  },
);
