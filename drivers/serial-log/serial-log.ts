/**
 * A line log on a UART through ECMA-419 Serial (`embedded:io/serial`): what a board without a
 * debug console (the Pico's USB serial needs a host) writes its trace to. Lines are queued and fed
 * to the UART a few bytes at a time from the board clock, no faster than the line sends them; when
 * more than `limit` bytes wait, whole lines are dropped and a note before the next line that fits
 * says how many, so a stalled port never blocks the phone or grows the heap.
 *
 * Two faults of Moddable's RP2040 Serial (modules/io/serial/pico/serial.c, SDK 8.2.3) decide the
 * shape, both seen in the emulator as HardFaults: (1) with `onWritable` its transmit routine runs
 * from the UART interrupt and from `write()`, both post the writable message and count references
 * to the port, and under a burst of trace lines the port's memory is freed while in use (a fault
 * in `free`, called from the serial delivery, at the first barge-in); (2) with neither callback it
 * allocates a record cut short before the FIFO fields and then writes them, corrupting the heap (a
 * fault in `malloc` during boot). So the port is opened with an `onReadable` that discards what
 * arrives, and no `onWritable`. Its transmit routine moves bytes into the 32-byte hardware FIFO
 * only when `write()` runs, so each tick writes at most that much: `chunk` bytes every `tickMs`.
 *
 * What arrives goes to `onReceive` (the device link's requests from a host, src/link); the link's
 * answers are lines like any other, so they never split a trace line nor are split by one.
 */
import type { Clock, TimerHandle } from '../../hal/clock.js';
import { encodeUtf8 } from '../../src/calllog/utf8-bytes.js';

/** An open serial port (ECMA-419 Serial instance), as far as this driver uses it. */
export interface SerialPort {
  write(bytes: ArrayBuffer): void;
  read(): ArrayBuffer | undefined;
  close(): void;
}

export interface SerialPortOptions {
  transmit?: number;
  receive?: number;
  /** The port's device file, where the platform opens one by name (Moddable's lin Serial). */
  device?: string;
  baud: number;
  port?: number;
  format?: 'buffer';
  onReadable?: (this: SerialPort, count: number) => void;
}

/** The ECMA-419 Serial class. */
export type SerialClass = new (options: SerialPortOptions) => SerialPort;

export interface SerialLogOptions {
  io: SerialClass;
  clock: Clock;
  /** The UART's TX and RX GPIOs (and its port, where the pins alone do not say). */
  transmit?: number;
  receive?: number;
  port?: number;
  /** Or the port's device file (a tty on the desktop). */
  device?: string;
  /** Default 115200. */
  baud?: number;
  /** Most bytes kept waiting (default 4096). */
  limit?: number;
  /** Bytes handed to the port per tick (default 32, the RP2040 UART's hardware FIFO). */
  chunk?: number;
}

export class SerialLog {
  readonly #serial: SerialPort;
  readonly #clock: Clock;
  readonly #limit: number;
  readonly #chunk: number;
  readonly #tickMs: number;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #dropped = 0;
  #timer: TimerHandle | undefined;
  /** Bytes that came in (the device link's requests); without it they are dropped. */
  onReceive: ((bytes: Uint8Array) => void) | undefined;

  constructor(options: SerialLogOptions) {
    this.#clock = options.clock;
    this.#limit = options.limit ?? 4096;
    this.#chunk = options.chunk ?? 32;
    const baud = options.baud ?? 115200;
    // 10 bits a byte on the line (start, 8 data, stop): the tick that sends one chunk.
    this.#tickMs = Math.max(1, Math.ceil((this.#chunk * 10 * 1000) / baud));
    const log = this;
    this.#serial = new options.io({
      ...(options.transmit !== undefined ? { transmit: options.transmit } : {}),
      ...(options.receive !== undefined ? { receive: options.receive } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.device !== undefined ? { device: options.device } : {}),
      baud,
      format: 'buffer',
      onReadable() {
        const bytes = this.read();
        if (bytes !== undefined && bytes.byteLength > 0) log.onReceive?.(new Uint8Array(bytes));
      },
    });
  }

  /** Queues `text` (one or more whole lines) for the UART. */
  write(text: string): void {
    if (this.#queued + text.length > this.#limit) {
      this.#dropped++;
      return;
    }
    if (this.#dropped > 0) {
      this.#push(`ringdown: log overflow, ${this.#dropped} lines dropped\n`);
      this.#dropped = 0;
    }
    this.#push(text);
    if (this.#timer === undefined) this.#send();
  }

  close(): void {
    if (this.#timer !== undefined) this.#clock.cancel(this.#timer);
    this.#timer = undefined;
    this.#serial.close();
    this.#queue = [];
    this.#queued = 0;
  }

  #push(text: string): void {
    const bytes = encodeUtf8(text);
    this.#queue.push(bytes);
    this.#queued += bytes.byteLength;
  }

  /** Hands the port one chunk, then comes back a tick later while anything waits. */
  #send(): void {
    this.#timer = undefined;
    const head = this.#queue[0];
    if (head === undefined) return;
    const n = Math.min(head.byteLength, this.#chunk);
    try {
      this.#serial.write(head.slice(0, n).buffer);
      this.#queued -= n;
      if (n === head.byteLength) this.#queue.shift();
      else this.#queue[0] = head.subarray(n);
    } catch {
      // The port's software FIFO is full (it throws rather than blocks): try again next tick.
    }
    this.#timer = this.#clock.schedule(this.#tickMs, () => this.#send());
  }
}
