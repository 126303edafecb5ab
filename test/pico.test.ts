/**
 * The Pico board and its emulator harness, the parts that run without the toolchains: the pin
 * map, the pins a script drives (exact times), the UART log's queue, and the harness's refusals.
 */
import t from 'tap';
import { parseEvents } from '../boards/sim/events.js';
import { PINS } from '../boards/pico-ag1171-mt8870/pins.js';
import { SerialLog, type SerialPortOptions } from '../hal/drivers/serial-log.js';
import { pinChanges } from '../tools/device/pico-run.js';
import { loadBootrom } from '../tools/device/rp2040.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

t.test('pico pins: each GPIO once, none of the Pico\'s own but its LED, UART0 and I2S where the SDK needs them', (t) => {
  const seen = new Map<number, string>();
  for (const [name, pin] of Object.entries(PINS)) {
    t.ok(Number.isInteger(pin) && pin >= 0 && pin <= 28, `${name} on GP${pin} exists on a Pico header`);
    t.notOk(seen.has(pin), `${name} on GP${pin} is not also ${seen.get(pin) ?? ''}`);
    if (name !== 'led') t.notOk([23, 24, 25, 29].includes(pin), `${name} is not on GP23-25/29 (the Pico's own)`);
    seen.set(pin, name);
  }
  t.equal(PINS.led, 25, 'led is the Pico\'s own LED');
  t.same([PINS.tx, PINS.rx], [0, 1], 'the trace on UART0 (GP0 TX, GP1 RX)');
  t.equal(PINS.i2sLrck, PINS.i2sBck + 1, 'pico_audio_i2s drives LRCK on the pin after BCK');
  t.end();
});

t.test('a script becomes pin changes at exact times', (t) => {
  const events = parseEvents('offhook@0 2@1.5 flash@3 dial:2@5 ring@9 onhook@12');
  if (typeof events === 'string') throw new Error(events);
  const changes = pinChanges(events, PINS);
  if (typeof changes === 'string') throw new Error(changes);
  const named = (pin: number): string => Object.entries(PINS).find(([, p]) => p === pin)![0];
  t.same(
    changes.map((c) => `${c.atMs} ${named(c.pin)}=${c.high ? 1 : 0}`),
    [
      '0 shk=1',
      // key 2 is MT8870 code 2 (Q2), StD a moment later, for 40 ms
      '1500 q1=0', '1500 q2=1', '1500 q3=0', '1500 q4=0', '1500.01 std=1', '1540 std=0',
      '3000 shk=0', '3300 shk=1',
      // two 10 pps pulses: 60 ms break, 40 ms make
      '5000 shk=0', '5060 shk=1', '5100 shk=0', '5160 shk=1',
      // the doorbell button held from its 20 ms debounce before the ring
      '8980 bell=0', '9100 bell=1',
      '12000 shk=0',
    ],
  );
  t.end();
});

t.test('the harness refuses what the Pico board cannot do, saying why', (t) => {
  const say = parseEvents('offhook@0 say:caller.wav@2');
  const other = parseEvents('ring:gate@1');
  if (typeof say === 'string' || typeof other === 'string') throw new Error('events');
  t.match(pinChanges(say, PINS), /no audio input/);
  t.match(pinChanges(other, PINS), /one ring input/);
  t.end();
});

t.test('the bootrom: a missing file and a file without 16 KB of words are named', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-bootrom-'));
  t.match(loadBootrom({ RP2040_BOOTROM: join(dir, 'none.ts') }), /no RP2040 bootrom .*none\.ts/);
  writeFileSync(join(dir, 'short.ts'), 'export const bootromB1 = new Uint32Array([0x1, 0x2]);');
  t.match(loadBootrom({ RP2040_BOOTROM: join(dir, 'short.ts') }), /does not hold a 16 KB bootrom \(2 words\)/);
  writeFileSync(join(dir, 'rom.bin'), new Uint8Array(16384).fill(7));
  const rom = loadBootrom({ RP2040_BOOTROM: join(dir, 'rom.bin') });
  t.equal(typeof rom === 'string' ? rom : rom.length, 4096, 'a .bin is read as 4096 words');
  t.end();
});

/** A fake ECMA-419 Serial: a transmit FIFO of `size` bytes that throws on overflow, as Moddable's RP2040 one does. */
function fakeSerial(size: number) {
  const state = { written: [] as number[], fifo: 0, onWritable: undefined as ((count: number) => void) | undefined };
  class Serial {
    constructor(options: SerialPortOptions) {
      state.onWritable = (count) => options.onWritable?.call(this, count);
    }
    write(bytes: ArrayBuffer): void {
      if (state.fifo + bytes.byteLength > size - 1) throw new Error('tx full');
      state.fifo += bytes.byteLength;
      state.written.push(...new Uint8Array(bytes));
    }
    close(): void {}
  }
  /** The UART sent everything: the FIFO is empty again. */
  const drain = (): void => {
    state.fifo = 0;
    state.onWritable?.(size);
  };
  return { Serial, state, drain };
}

t.test('serial log: writes only what the FIFO has room for, in order, and keeps the rest', (t) => {
  const { Serial, state, drain } = fakeSerial(16);
  const log = new SerialLog({ io: Serial, transmit: 0, limit: 64 });
  log.write('before the port is writable\n');
  t.equal(state.written.length, 0, 'nothing written until onWritable says there is room');
  drain();
  t.equal(state.written.length, 15, 'one byte short of the 16-byte FIFO');
  drain();
  drain();
  t.equal(Buffer.from(state.written).toString(), 'before the port is writable\n');
  t.end();
});

t.test('serial log: over its limit it drops whole lines and says how many', (t) => {
  const { Serial, state, drain } = fakeSerial(1024);
  const log = new SerialLog({ io: Serial, transmit: 0, limit: 10 });
  log.write('12345678\n');
  log.write('dropped\n');
  log.write('dropped\n');
  drain();
  log.write('é\n');
  drain();
  t.equal(Buffer.from(state.written).toString(), '12345678\nringdown: log overflow, 2 lines dropped\né\n');
  t.end();
});
