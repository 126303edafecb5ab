/**
 * The lin board's device-link port: the serial log with the board's options over a stand-in for
 * Moddable's lin Serial (a write goes to the tty at once, what the tty does not take waits in a
 * 1024-byte buffer, and a longer write or one while that buffer is not empty throws), as the
 * link's answers use it: a READ answer is a frame line of about 2.8 KB.
 */
import t from 'tap';
import { LIN_LINK_PORT, LIN_SERIAL_WRITE_BYTES } from '../boards/lin/link-port.js';
import { SerialLog, type SerialPortOptions } from '../drivers/serial-log/serial-log.js';
import { encodeFrame } from '../src/link/frame.js';
import { VirtualClock } from '../sim/virtual-clock.js';

/** A tty that holds `room` bytes and whose reader takes `perMs` a ms, behind Moddable's lin Serial. */
function linSerial(clock: VirtualClock, room: number, perMs: number) {
  const state = { received: [] as number[], tty: 0, at: 0, pending: [] as number[] };
  /** The reader empties the tty; the Serial's buffer refills it as the tty drains. */
  const drain = (): void => {
    const gone = Math.min(state.tty, (clock.now() - state.at) * perMs);
    state.tty -= gone;
    state.at = clock.now();
    const n = Math.min(state.pending.length, room - state.tty);
    state.received.push(...state.pending.splice(0, n));
    state.tty += n;
  };
  class Serial {
    constructor(readonly options: SerialPortOptions) {}
    write(buffer: ArrayBuffer): void {
      drain();
      const bytes = [...new Uint8Array(buffer)];
      if (bytes.length > LIN_SERIAL_WRITE_BYTES || state.pending.length > 0) throw new Error('would overflow');
      const n = Math.min(bytes.length, room - state.tty);
      state.received.push(...bytes.slice(0, n));
      state.tty += n;
      state.pending = bytes.slice(n);
    }
    read(): ArrayBuffer | undefined {
      return undefined;
    }
    close(): void {}
  }
  return { Serial, state, drain };
}

t.test('lin link port: an answer frame longer than one write of the lin Serial gets through whole', (t) => {
  const clock = new VirtualClock();
  const { Serial, state, drain } = linSerial(clock, 4096, 64);
  const log = new SerialLog({ io: Serial, clock, device: '/dev/pts/9', ...LIN_LINK_PORT });
  const payload = Uint8Array.from({ length: 2048 }, (_, i) => (i * 13) & 255);
  const frames = [1, 2, 3].map((tag) => encodeFrame({ kind: 0x81, tag, payload }));
  for (const frame of frames) log.write(new TextDecoder().decode(frame));
  log.write('next line\n');
  for (let ms = 0; ms <= 1000; ms++) {
    while (clock.step(ms));
    clock.advanceTo(ms);
    drain();
  }
  const expected = Buffer.concat([...frames, Buffer.from('next line\n')]);
  t.ok(frames[0]!.length > LIN_SERIAL_WRITE_BYTES, `a frame of ${frames[0]!.length} bytes`);
  t.equal(state.received.length, expected.length, 'every byte left');
  t.ok(Buffer.from(state.received).equals(expected), 'in order');
  t.end();
});
