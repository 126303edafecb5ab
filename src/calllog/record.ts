/**
 * What the call log holds, and its compact binary form (the payload of one ring-log frame).
 *
 * Call:  0 type 1 | 1 flags (bit 0: answered by ring; bits 4-7: end reason) | 2 start ms float64
 *        | 10 duration ms uint32 | 14 keys length, keys ASCII | path length, path ASCII
 * Fault: 0 type 2 | 1 time ms float64 | 9 message length uint16 | message UTF-8
 * Numbers are little-endian. Decoding checks every length, so a frame from a newer firmware or a
 * corrupt one gives undefined rather than a wrong record.
 */
import { decodeUtf8, encodeUtf8 } from './utf8-bytes.js';

/** How a call ended: the caller hung up first, or the menu hung up (Hangup, its end, an error). */
export type CallEnd = 'caller' | 'hangup' | 'menu-end' | 'error' | 'open';
const ENDS: readonly CallEnd[] = ['caller', 'hangup', 'menu-end', 'error', 'open'];

export interface CallRecord {
  kind: 'call';
  /** When the handset was lifted, in ms of the device clock. */
  startMs: number;
  /** Lifted to call out, or to answer the phone ringing. */
  answer: 'offhook' | 'ring';
  /** Keys pressed in order (a hook flash is F), the first MAX_KEYS. */
  keys: string;
  /** The Inputs the menu took, e.g. `2>1` (a multi-digit entry as its digits), the first MAX_PATH chars. */
  path: string;
  end: CallEnd;
  durationMs: number;
}

/** A fault worth keeping: a menu that did not load, a stuck input. */
export interface FaultRecord {
  kind: 'fault';
  atMs: number;
  message: string;
}

export type LogEntry = CallRecord | FaultRecord;

export const MAX_KEYS = 64;
export const MAX_PATH = 64;
/** Bytes of a fault message kept (UTF-8, cut at a character boundary). */
export const MAX_MESSAGE_BYTES = 240;

const CALL = 1;
const FAULT = 2;

function ascii(text: string, max: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length && out.length < max; i++) {
    const c = text.charCodeAt(i);
    out.push(c >= 0x20 && c < 0x7f ? c : 0x3f);
  }
  return out;
}

export function encodeEntry(entry: LogEntry): Uint8Array {
  if (entry.kind === 'fault') {
    const message = encodeUtf8(entry.message, MAX_MESSAGE_BYTES);
    const out = new Uint8Array(11 + message.length);
    const view = new DataView(out.buffer);
    out[0] = FAULT;
    view.setFloat64(1, entry.atMs, true);
    view.setUint16(9, message.length, true);
    out.set(message, 11);
    return out;
  }
  const keys = ascii(entry.keys, MAX_KEYS);
  const path = ascii(entry.path, MAX_PATH);
  const out = new Uint8Array(16 + keys.length + path.length);
  const view = new DataView(out.buffer);
  out[0] = CALL;
  out[1] = (entry.answer === 'ring' ? 1 : 0) | (ENDS.indexOf(entry.end) << 4);
  view.setFloat64(2, entry.startMs, true);
  view.setUint32(10, Math.min(0xffffffff, Math.max(0, Math.round(entry.durationMs))), true);
  out[14] = keys.length;
  out.set(keys, 15);
  out[15 + keys.length] = path.length;
  out.set(path, 16 + keys.length);
  return out;
}

function text(bytes: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(from, from + length));
}

export function decodeEntry(bytes: Uint8Array): LogEntry | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === FAULT && bytes.length >= 11) {
    const length = view.getUint16(9, true);
    if (11 + length !== bytes.length) return undefined;
    const message = decodeUtf8(bytes.subarray(11));
    return message === undefined ? undefined : { kind: 'fault', atMs: view.getFloat64(1, true), message };
  }
  if (bytes[0] !== CALL || bytes.length < 16) return undefined;
  const flags = bytes[1]!;
  const end = ENDS[flags >> 4];
  const keys = bytes[14]!;
  const path = bytes[15 + keys];
  if (end === undefined || (flags & 0x0e) !== 0 || path === undefined || 16 + keys + path !== bytes.length)
    return undefined;
  return {
    kind: 'call',
    startMs: view.getFloat64(2, true),
    answer: flags & 1 ? 'ring' : 'offhook',
    keys: text(bytes, 15, keys),
    path: text(bytes, 16 + keys, path),
    end,
    durationMs: view.getUint32(10, true),
  };
}
