/**
 * Frames of the device link, as they travel on a serial port shared with the firmware's trace
 * lines. A frame is one line of its own:
 *
 *   0x01  base64(body)  0x0A
 *
 * and its body is
 *
 *   offset 0  kind, uint8 (src/link/protocol.ts)
 *          1  tag, uint8: a request's number, which its answer repeats
 *          2  payload length L, uint32 little-endian
 *          6  payload, L bytes
 *        6+L  CRC-32 of bytes 0 .. 6+L-1, uint32 little-endian
 *
 * Base64 keeps every byte of a frame printable, so neither a terminal's line discipline nor a
 * reader of the trace ever sees a control byte in one; the 0x01 at the start is what no trace line
 * begins with (they are JSON objects or `ringdown:` notes). A reader resynchronises at every line
 * end: a frame cut short, run into by other text, or altered is one bad line, and the next line is
 * read afresh. The length is checked against the body's size and MAX_PAYLOAD, the CRC over
 * everything before it.
 */
import { crc32 } from '../checksum/crc32.js';

/** First byte of a frame line. */
export const FRAME_START = 0x01;
const NEWLINE = 0x0a;
/** Body bytes besides the payload. */
const HEAD = 6;
const TRAILER = 4;
/** The largest payload a frame may carry. */
export const MAX_PAYLOAD = 4096;
/** The longest line a reader keeps (a frame of MAX_PAYLOAD in base64 fits). */
export const MAX_LINE = 4 + Math.ceil(((MAX_PAYLOAD + HEAD + TRAILER) * 4) / 3) + 8;

export interface Frame {
  kind: number;
  tag: number;
  payload: Uint8Array;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = new Uint8Array(ALPHABET.length);
for (let i = 0; i < ALPHABET.length; i++) CODES[i] = ALPHABET.charCodeAt(i);
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d;

/** Base64 (RFC 4648, padded) of `bytes`, as ASCII bytes written into `out` at `at`; returns the end. */
function base64Into(bytes: Uint8Array, out: Uint8Array, at: number): number {
  let o = at;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = CODES[(n >> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? CODES[(n >> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return o;
}

/** The bytes of base64 text `line[from, to)`, or undefined when it is not base64. */
function unbase64(line: Uint8Array, from: number, to: number): Uint8Array | undefined {
  const length = to - from;
  if (length % 4 !== 0) return undefined;
  let pad = 0;
  if (length > 0 && line[to - 1] === PAD) pad = line[to - 2] === PAD ? 2 : 1;
  const out = new Uint8Array((length / 4) * 3 - pad);
  let o = 0;
  for (let i = from; i < to; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = line[i + k]!;
      let v: number;
      if (c === PAD && i + 4 === to && k >= 4 - pad) v = 0;
      else v = c < 128 ? VALUES[c]! : -1;
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** A frame as the line that carries it (start byte, base64, newline). */
export function encodeFrame(frame: Frame): Uint8Array {
  if (frame.payload.length > MAX_PAYLOAD)
    throw new RangeError(`a payload of ${frame.payload.length} bytes exceeds the limit of ${MAX_PAYLOAD}`);
  const body = new Uint8Array(HEAD + frame.payload.length + TRAILER);
  const view = new DataView(body.buffer);
  body[0] = frame.kind & 255;
  body[1] = frame.tag & 255;
  view.setUint32(2, frame.payload.length, true);
  body.set(frame.payload, HEAD);
  view.setUint32(HEAD + frame.payload.length, crc32(body, 0, HEAD + frame.payload.length), true);
  const line = new Uint8Array(2 + Math.ceil(body.length / 3) * 4);
  line[0] = FRAME_START;
  const end = base64Into(body, line, 1);
  line[end] = NEWLINE;
  return line;
}

/** ASCII bytes (a frame line) as text: what a board writes through its line log. */
export function asciiText(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 1024)
    text += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 1024)));
  return text;
}

/** Decodes the line `line[from, to)` (without its newline) that starts with FRAME_START: the frame, or why it is refused. */
export function decodeFrameLine(line: Uint8Array, from = 0, to = line.length): Frame | string {
  // A line from a terminal may end in CR LF.
  const end = to > from && line[to - 1] === 0x0d ? to - 1 : to;
  const body = unbase64(line, from + 1, end);
  if (body === undefined) return 'not base64';
  if (body.length < HEAD + TRAILER) return `a body of ${body.length} bytes is shorter than a frame's ${HEAD + TRAILER}`;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const length = view.getUint32(2, true);
  if (length > MAX_PAYLOAD) return `a payload length of ${length} bytes exceeds the limit of ${MAX_PAYLOAD}`;
  if (HEAD + length + TRAILER !== body.length)
    return `the length says ${length} payload bytes, the frame holds ${body.length - HEAD - TRAILER}`;
  if (view.getUint32(HEAD + length, true) !== crc32(body, 0, HEAD + length)) return 'the CRC-32 does not match';
  return { kind: body[0]!, tag: body[1]!, payload: body.slice(HEAD, HEAD + length) };
}

export interface FrameReaderEvents {
  /** A good frame. */
  frame(frame: Frame): void;
  /** A line that started as a frame and is not one, and why. */
  bad(reason: string): void;
  /** A line of other text (a trace line), without its newline. */
  text?(line: Uint8Array): void;
}

/**
 * Splits a byte stream into lines and sorts them into frames, bad frames and text. A line longer
 * than MAX_LINE is dropped up to its end (a frame that long cannot be good), so a stream without
 * newlines never grows the reader's memory past that.
 */
export class FrameReader {
  #line = new Uint8Array(256);
  #length = 0;
  #overlong = false;

  constructor(private readonly events: FrameReaderEvents) {}

  /** Drops a line begun and not ended (a transfer cancelled, a port reopened). */
  reset(): void {
    this.#length = 0;
    this.#overlong = false;
  }

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === NEWLINE) {
        this.#end();
        continue;
      }
      if (this.#overlong) continue;
      if (this.#length === MAX_LINE) {
        this.#overlong = true;
        continue;
      }
      if (this.#length === this.#line.length) {
        const grown = new Uint8Array(Math.min(MAX_LINE, this.#line.length * 2));
        grown.set(this.#line);
        this.#line = grown;
      }
      this.#line[this.#length++] = b;
    }
  }

  #end(): void {
    const length = this.#length;
    const overlong = this.#overlong;
    this.reset();
    const isFrame = length > 0 && this.#line[0] === FRAME_START;
    if (overlong) {
      if (isFrame) this.events.bad(`a frame line longer than ${MAX_LINE} bytes`);
      return;
    }
    if (!isFrame) {
      this.events.text?.(this.#line.slice(0, length));
      return;
    }
    const frame = decodeFrameLine(this.#line, 0, length);
    if (typeof frame === 'string') this.events.bad(frame);
    else this.events.frame(frame);
  }
}
