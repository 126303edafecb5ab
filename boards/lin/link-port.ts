/**
 * The serial options of the lin board's device-link port (a pseudo-terminal, RINGDOWN_LINK),
 * for drivers/serial-log/serial-log.ts.
 *
 * Moddable's lin Serial (modules/io/serial/lin/serial.c, SDK 8.2.3) writes to the tty at once
 * and copies what the tty does not take into a buffer of 1024 bytes, sent when the tty drains;
 * a write of more than those 1024 bytes, or any write while that buffer is not empty, throws
 * ("would overflow"). The serial log tries a chunk that throws again on its next tick, so a chunk
 * larger than 1024 bytes would never leave and every line behind it would wait for ever: the
 * chunk is that buffer's size. A pseudo-terminal has no line rate; the baud only sets the tick
 * (1024 bytes every 12 ms at 921600).
 */
import type { SerialLogOptions } from '../../drivers/serial-log/serial-log.js';

/** The most bytes Moddable's lin Serial takes in one write. */
export const LIN_SERIAL_WRITE_BYTES = 1024;

export const LIN_LINK_PORT: Pick<SerialLogOptions, 'baud' | 'chunk' | 'limit'> = {
  baud: 921600,
  chunk: LIN_SERIAL_WRITE_BYTES,
  limit: 64 * 1024,
};
