/**
 * The Pico board and its emulator harness, the parts that run without the toolchains: the pin
 * map, the pins a script drives (exact times), the UART log's queue, and the harness's refusals.
 */
import { spawnSync } from 'node:child_process';
import t from 'tap';
import { parseEvents } from '../sim/events.js';
import { PINS } from '../boards/pico-ag1171-mt8870/pins.js';
import { SerialLog } from '../drivers/serial-log/serial-log.js';
import { pinChanges } from '../tools/device/pico-run.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { loadBootrom } from '../tools/device/rp2040.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

t.test("pico pins: each GPIO once, none of the Pico's own but its LED, UART0 and I2S where the SDK needs them", (t) => {
  const seen = new Map<number, string>();
  for (const [name, pin] of Object.entries(PINS)) {
    t.ok(Number.isInteger(pin) && pin >= 0 && pin <= 28, `${name} on GP${pin} exists on a Pico header`);
    t.notOk(seen.has(pin), `${name} on GP${pin} is not also ${seen.get(pin) ?? ''}`);
    if (name !== 'led') t.notOk([23, 24, 25, 29].includes(pin), `${name} is not on GP23-25/29 (the Pico's own)`);
    seen.set(pin, name);
  }
  t.equal(PINS.led, 25, "led is the Pico's own LED");
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
      '1500 q1=0',
      '1500 q2=1',
      '1500 q3=0',
      '1500 q4=0',
      '1500.01 std=1',
      '1540 std=0',
      '3000 shk=0',
      '3300 shk=1',
      // two 10 pps pulses: 60 ms break, 40 ms make
      '5000 shk=0',
      '5060 shk=1',
      '5100 shk=0',
      '5160 shk=1',
      // the doorbell button held from its 20 ms debounce before the ring
      '8980 bell=0',
      '9100 bell=1',
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

/** A fake ECMA-419 Serial whose software FIFO holds `size` bytes and throws when a write does not fit, as Moddable's RP2040 one does; `sent` bytes leave it per ms. */
/** Runs every timer due by `t`, then moves the clock there. */
function runTo(clock: VirtualClock, t: number): void {
  while (clock.step(t));
  clock.advanceTo(t);
}

function fakeSerial(clock: VirtualClock, size: number, perMs: number) {
  const state = { written: [] as { t: number; text: string }[], fifo: 0, at: 0 };
  const leave = (): void => {
    state.fifo = Math.max(0, state.fifo - (clock.now() - state.at) * perMs);
    state.at = clock.now();
  };
  class Serial {
    write(bytes: ArrayBuffer): void {
      leave();
      if (state.fifo + bytes.byteLength > size) throw new Error('output full');
      state.fifo += bytes.byteLength;
      state.written.push({ t: clock.now(), text: Buffer.from(bytes).toString() });
    }
    read(): ArrayBuffer | undefined {
      return undefined;
    }
    close(): void {}
  }
  return { Serial, state };
}

t.test('serial log: a chunk a tick, at the line rate, in order', (t) => {
  const clock = new VirtualClock();
  const { Serial, state } = fakeSerial(clock, 128, 11.52);
  const log = new SerialLog({ io: Serial, clock, transmit: 0, receive: 1, chunk: 32 });
  log.write(`${'a'.repeat(40)}\n`);
  log.write('second line\n');
  runTo(clock, 100);
  // 32 bytes at 115200 baud take 2.8 ms on the line: a tick every 3 ms.
  t.same(
    state.written.map((w) => `${w.t}:${w.text.length}`),
    ['0:32', '3:9', '6:12'],
  );
  t.equal(state.written.map((w) => w.text).join(''), `${'a'.repeat(40)}\nsecond line\n`);
  t.end();
});

t.test('serial log: a full port is retried on the next tick, nothing lost', (t) => {
  const clock = new VirtualClock();
  const { Serial, state } = fakeSerial(clock, 40, 1);
  const log = new SerialLog({ io: Serial, clock, transmit: 0, receive: 1, chunk: 32 });
  log.write('x'.repeat(64));
  runTo(clock, 40);
  t.same(
    state.written.map((w) => `${w.t}:${w.text.length}`),
    ['0:32', '24:32'],
    'the second chunk waits until 32 bytes have left',
  );
  t.end();
});

t.test('serial log: over its limit it drops whole lines and says how many', (t) => {
  const clock = new VirtualClock();
  const { Serial, state } = fakeSerial(clock, 1024, 100);
  const log = new SerialLog({ io: Serial, clock, transmit: 0, receive: 1, limit: 10, chunk: 4 });
  log.write('12345678\n');
  log.write('dropped\n');
  log.write('dropped\n');
  runTo(clock, 10);
  log.write('é\n');
  runTo(clock, 20);
  t.equal(state.written.map((w) => w.text).join(''), '12345678\nringdown: log overflow, 2 lines dropped\né\n');
  t.end();
});

t.test(
  'ringdown device and build: a board the emulator cannot play, and --clip-ms on the Pico, are usage errors',
  (t) => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/ringdown.js', ...args], {
        encoding: 'utf8',
        env: { ...process.env, MODDABLE: '/nonexistent' },
      });
    const other = run('device', '--board', 'esp32-toaster', 'examples/door-phone.xml');
    t.equal(other.status, 2);
    t.match(
      other.stderr,
      /--board: 'esp32-toaster' cannot be run here \(lin, pico-ag1171-mt8870, esp32-ag1171-mt8870,/,
    );
    const clipMs = run('device', '--board', 'pico-ag1171-mt8870', '--clip-ms', '500', 'examples/door-phone.xml');
    t.equal(clipMs.status, 2);
    t.match(
      clipMs.stderr,
      /plays the build's real clips and has no recording store: --clip-ms, --mod and --recordings are for the lin board/,
    );
    const build = run('build', '--board', 'pico-nope');
    t.equal(build.status, 2);
    t.match(build.stderr, /--board/);
    t.end();
  },
);
