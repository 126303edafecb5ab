/**
 * A line log on a UART through ECMA-419 Serial (`embedded:io/serial`): what a board without a
 * debug console (the Pico's USB serial needs a host) writes its trace to. Lines are queued and
 * written as the UART's transmit FIFO has room (`onWritable` says how much); when more than
 * `limit` bytes wait, whole lines are dropped and a note before the next line that fits says how many, so a
 * stalled receiver never blocks the phone or grows the heap.
 *
 * Moddable's RP2040 Serial keeps a 128-byte software FIFO and throws when a write does not fit
 * (modules/io/serial/pico/serial.c), so writes never exceed what `onWritable` last reported.
 */
import { encodeUtf8 } from '../../src/calllog/utf8-bytes.js';

/** An open serial port (ECMA-419 Serial instance), as far as this driver uses it. */
export interface SerialPort {
  write(bytes: ArrayBuffer): void;
  close(): void;
}

export interface SerialPortOptions {
  transmit: number;
  receive?: number;
  baud: number;
  port?: number;
  format?: 'buffer';
  onWritable?: (this: SerialPort, count: number) => void;
}

/** The ECMA-419 Serial class. */
export type SerialClass = new (options: SerialPortOptions) => SerialPort;

export interface SerialLogOptions {
  io: SerialClass;
  /** The UART's TX GPIO (and its port, where the pin alone does not say). */
  transmit: number;
  port?: number;
  /** Default 115200. */
  baud?: number;
  /** Most bytes kept waiting (default 4096). */
  limit?: number;
}

export class SerialLog {
  readonly #serial: SerialPort;
  readonly #limit: number;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #room = 0;
  #dropped = 0;

  constructor(options: SerialLogOptions) {
    this.#limit = options.limit ?? 4096;
    const log = this;
    this.#serial = new options.io({
      transmit: options.transmit,
      ...(options.port !== undefined ? { port: options.port } : {}),
      baud: options.baud ?? 115200,
      format: 'buffer',
      onWritable(count: number) {
        log.#room = count;
        log.#drain();
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
    this.#drain();
  }

  close(): void {
    this.#serial.close();
    this.#queue = [];
    this.#queued = 0;
  }

  #push(text: string): void {
    const bytes = encodeUtf8(text);
    this.#queue.push(bytes);
    this.#queued += bytes.byteLength;
  }

  #drain(): void {
    // One byte short of the reported room: the SDK's FIFO refuses its last slot.
    while (this.#queue.length > 0 && this.#room > 1) {
      const head = this.#queue[0]!;
      const n = Math.min(head.byteLength, this.#room - 1);
      const chunk = head.slice(0, n);
      this.#serial.write(chunk.buffer);
      this.#room -= n;
      this.#queued -= n;
      if (n === head.byteLength) this.#queue.shift();
      else this.#queue[0] = head.subarray(n);
    }
  }
}
