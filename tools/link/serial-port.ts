/**
 * A serial port (a USB serial device, or a pseudo-terminal such as the lin firmware's) opened with
 * node:fs as a LinkPort. A terminal is put in raw mode at 115200 baud (`stty -F`, where there is
 * one; else Node's own raw mode): no echo, no line editing, no translation of bytes.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';
import type { LinkPort } from './client.js';

export function openSerialPort(path: string): LinkPort | string {
  try {
    const stats = statSync(path);
    if (!stats.isCharacterDevice())
      return `${path}: not a serial port (a character device such as /dev/ttyACM0 or /dev/pts/N)`;
  } catch (e) {
    return `${path}: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    execFileSync('stty', ['-F', path, 'raw', '-echo', '115200'], { stdio: 'ignore' });
  } catch {
    // No stty (or not allowed): Node's raw mode below still turns off echo and line editing.
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (e) {
    return `${path}: cannot open: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!isatty(fd)) {
    closeSync(fd);
    return `${path}: not a terminal`;
  }
  const stream = new ReadStream(fd);
  stream.setRawMode(true);
  let receive: ((bytes: Uint8Array) => void) | undefined;
  stream.on('data', (chunk: Buffer) => receive?.(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  stream.on('error', () => undefined);
  return {
    write(bytes) {
      for (let at = 0; at < bytes.length; ) {
        try {
          at += writeSync(fd, bytes, at, bytes.length - at);
        } catch (e) {
          // A full output queue on a non-blocking descriptor: try again.
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        }
      }
    },
    onData(r) {
      receive = r;
    },
    close() {
      stream.destroy();
    },
  };
}
