/**
 * Raspberry Pi Pico + Ag1171 SLIC + MT8870 DTMF receiver + I2S DAC: the same drivers as the ESP32
 * boards (boards/slic/slic-board.ts), the trace on UART0 (drivers/serial-log/serial-log.ts) and, once the
 * menu has loaded, one `ready` line with the XS heap in use and the clock's origin. Clip ends come
 * from the clips' lengths: the RP2040's AudioOut calls back at 220 ms buffer steps. Device-only (Moddable modules).
 */
import Serial from 'embedded:io/serial';
import Instrumentation from 'instrumentation';
import type { Board } from '../../hal/board.js';
import type { SerialClass } from '../../drivers/serial-log/serial-log.js';
import { ModdableClock } from '../../drivers/moddable-clock/moddable-clock.js';
import { SerialLog } from '../../drivers/serial-log/serial-log.js';
import { openMt8870Board } from '../esp32-ag1171-mt8870/board.js';
import { MENU_LIMITS } from './menu-limits.js';
import { OUTPUTS, PINS } from './pins.js';

/** The XS heap figures Moddable's instrumentation keeps (bytes), as one trace note. */
function memoryNote(): string {
  const read = (name: Parameters<typeof Instrumentation.map>[0]): number | undefined =>
    Instrumentation.get(Instrumentation.map(name));
  const figures = [
    ['slot heap', read('XS Slot Heap Used')],
    ['chunk heap', read('XS Chunk Heap Used')],
    ['system free', read('System Free Memory')],
  ] as const;
  return `ringdown: memory after load: ${figures.map(([n, v]) => `${n} ${v ?? 'n/a'}`).join(', ')}`;
}

export function createBoard(): Board {
  // The ESP32 map's `dac` is the audio output's pin: here the I2S data line (AudioOut takes its
  // pins from the manifest's defines, not from this map).
  const clock = new ModdableClock();
  const board = openMt8870Board({ ...PINS, dac: PINS.i2sData }, OUTPUTS, { clipEnds: 'length', clock });
  const uart = new SerialLog({
    io: Serial as unknown as SerialClass,
    clock: board.clock,
    transmit: PINS.tx,
    receive: PINS.rx,
    port: 0,
  });
  // The first timer turn runs once the entry has loaded the menu and started the phone.
  // Its line also gives the board clock's time 0 on the tick counter (ms since reset), so a harness
  // can place the trace's times on the chip's own time line.
  board.clock.schedule(0, () => uart.write(`${memoryNote()}; ready, clock 0 ms at ticks ${clock.origin} ms\n`));
  return { ...board, log: (text) => uart.write(text), menuLimits: MENU_LIMITS };
}
