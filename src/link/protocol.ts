/**
 * The messages of the device link (frames: src/link/frame.ts). The host asks, the device answers
 * each request with one frame carrying the request's tag; only one request is outstanding at a
 * time, so the device never sends faster than the host reads. Requests that change something are
 * idempotent under a resend (data carries its offset), so the host may resend on a timeout or a
 * bad-frame answer.
 *
 * JSON payloads are UTF-8; binary ones little-endian.
 */
import { decodeUtf8, encodeUtf8 } from '../calllog/utf8-bytes.js';

export const Kind = {
  /** → OK {status}: firmware, menu running, limits, outputs, recordings room, busy. */
  STATUS: 0x10,
  /** → OK {recordings: [{name, id, samples, complete}]}. */
  LIST: 0x11,
  /** id u32, from u32, count u32 (samples) → DATA: the samples, 16-bit LE (fewer at the end). */
  READ: 0x12,
  /** {name} → OK {removed}. */
  DELETE: 0x13,
  /** from u32 (sequence number) → DATA: records (seq u32, length u16, payload) with seq >= from, as many as fit. */
  LOG: 0x14,
  /** {name, samples, crc} (crc: CRC-32 of the samples' bytes) → OK {}. */
  CLIP_BEGIN: 0x15,
  /** offset u32 (samples), samples 16-bit LE → OK {received}. */
  CLIP_DATA: 0x16,
  /** {} → OK {name, samples}: the clip is kept under its name. */
  CLIP_END: 0x17,
  /** {bytes, crc} (of the package: src/link/menu-slots.ts) → OK {}. */
  MENU_BEGIN: 0x18,
  /** offset u32 (bytes), bytes → OK {received}. */
  MENU_DATA: 0x19,
  /** {} → OK {crc}: checked and switched; it runs from the next call on. */
  MENU_END: 0x1a,
  /** {} → OK {}: the built menu runs again from the next call on (the upload stays on flash until replaced). */
  MENU_BUILTIN: 0x1b,
  /** {} → OK {}: drops an upload in progress. */
  CANCEL: 0x1c,
  /** Device → host: the answer, JSON. */
  OK: 0x80,
  /** Device → host: the answer, binary. */
  DATA: 0x81,
  /** Device → host: {code, message}; tag 0 and code `bad-frame` for a frame it could not read. */
  ERROR: 0x82,
  /** Device → host, tag 0, unasked: {code, message}, e.g. a transfer cancelled by a call. */
  NOTICE: 0x83,
} as const;

export type ErrorCode = 'bad-frame' | 'busy' | 'refused' | 'state' | 'unknown' | 'unsupported' | 'cancelled' | 'failed';

/** Samples a READ or CLIP_DATA carries at most (fits MAX_PAYLOAD with its offset). */
export const CHUNK_SAMPLES = 1024;
/** Bytes a MENU_DATA carries at most. */
export const CHUNK_BYTES = 2048;

export function jsonPayload(value: unknown): Uint8Array {
  return encodeUtf8(JSON.stringify(value));
}

/** A JSON payload's object, or undefined when it is not JSON of an object. */
export function readJson(payload: Uint8Array): Record<string, unknown> | undefined {
  const text = payload.length === 0 ? '{}' : decodeUtf8(payload);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** uint32 LE values, then `tail`. */
export function u32s(values: readonly number[], tail?: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 * values.length + (tail?.length ?? 0));
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint32(4 * i, values[i]! >>> 0, true);
  if (tail !== undefined) out.set(tail, 4 * values.length);
  return out;
}

/** Samples as 16-bit LE bytes. */
export function sampleBytes(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(2 * i, samples[i]!, true);
  return out;
}

/** 16-bit LE bytes as samples (an odd last byte is dropped). */
export function bytesSamples(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(2 * i, true);
  return out;
}

export interface LinkRecord {
  seq: number;
  payload: Uint8Array;
}

/** Call log records as a LOG answer: as many from the first as fit `max` bytes. */
export function encodeRecords(records: readonly LinkRecord[], max: number): Uint8Array {
  let size = 0;
  let n = 0;
  while (n < records.length && size + 6 + records[n]!.payload.length <= max) size += 6 + records[n++]!.payload.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    view.setUint32(at, r.seq, true);
    view.setUint16(at + 4, r.payload.length, true);
    out.set(r.payload, at + 6);
    at += 6 + r.payload.length;
  }
  return out;
}

/** A LOG answer's records, or why it is not one. */
export function decodeRecords(bytes: Uint8Array): LinkRecord[] | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: LinkRecord[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 6 > bytes.length) return 'a log record cut short';
    const length = view.getUint16(at + 4, true);
    if (at + 6 + length > bytes.length) return 'a log record runs past the answer';
    out.push({ seq: view.getUint32(at, true), payload: bytes.slice(at + 6, at + 6 + length) });
    at += 6 + length;
  }
  return out;
}
