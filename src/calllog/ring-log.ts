/**
 * A bounded ring of records on flash that survives a power cut at any byte.
 *
 * Layout: the region is a ring of sectors; records are appended in the current sector and never
 * span two. When one does not fit, the next sector is erased (losing the oldest records, which is
 * what bounds the ring) and writing goes on there. Each record is a frame:
 *
 *   offset 0   magic 0x52 ('R')
 *          1   frame version 1
 *          2   payload length L, uint16 little-endian
 *          4   sequence number, uint32 little-endian, one more than the previous record's
 *          8   payload, L bytes
 *        8+L   CRC-32 of bytes 0 .. 8+L-1, uint32 little-endian
 *
 * Reading a sector stops at the first erased byte (0xFF where a magic byte should be) or at the
 * first frame that does not check out, so a record torn by a power cut is never read, and the
 * records before it are untouched: a frame is only ever written onto erased bytes after them.
 * On opening, writing resumes after the last good record of the newest sector, or in the next
 * (erased) sector when the rest of the newest one is not blank (a torn frame lies there).
 */
import type { ByteStore } from '../../hal/storage.js';
import { crc32 } from '../checksum/crc32.js';

const MAGIC = 0x52;
const VERSION = 1;
const HEADER = 8;
const TRAILER = 4;
/** Bytes a frame adds to its payload. */
export const FRAME_OVERHEAD = HEADER + TRAILER;

export interface LogRecord {
  seq: number;
  payload: Uint8Array;
}

/**
 * Visits one sector's good frames in order: `visit(seq, payload, at)` gets a view of the payload
 * that is valid only during the call (copy what you keep), so a scan holds one sector at a time,
 * and where in the region the payload starts (to read it again later without a scan).
 */
type Visit = (seq: number, payload: Uint8Array, at: number) => void;

function scanSector(
  store: ByteStore,
  index: number,
  visit: Visit,
): { end: number; blankTail: boolean; last: number | undefined } {
  const size = store.sectorSize;
  const bytes = store.read(index * size, size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let last: number | undefined;
  let pos = 0;
  while (pos + FRAME_OVERHEAD <= size && bytes[pos] === MAGIC && bytes[pos + 1] === VERSION) {
    const length = view.getUint16(pos + 2, true);
    const end = pos + HEADER + length;
    if (end + TRAILER > size || view.getUint32(end, true) !== crc32(bytes, pos, end)) break;
    last = view.getUint32(pos + 4, true);
    visit(last, bytes.subarray(pos + HEADER, end), index * size + pos + HEADER);
    pos = end + TRAILER;
  }
  let blankTail = true;
  for (let i = pos; i < size && blankTail; i++) blankTail = bytes[i] === 0xff;
  return { end: pos, blankTail, last };
}

/** Visits the good frames of sector `index` in order (the payload view is valid during the call only). */
export function scanSectorFrames(store: ByteStore, index: number, visit: Visit): void {
  scanSector(store, index, visit);
}

/** Visits every good frame of a region, sector by sector (not in sequence order). */
export function scanFrames(store: ByteStore, visit: Visit): void {
  const sectors = Math.floor(store.byteLength / store.sectorSize);
  for (let s = 0; s < sectors; s++) scanSector(store, s, visit);
}

/** Every good record in a region, oldest first (by sequence number). */
export function readRecords(store: ByteStore): LogRecord[] {
  const all: LogRecord[] = [];
  scanFrames(store, (seq, payload) => all.push({ seq, payload: payload.slice() }));
  return all.sort((a, b) => a.seq - b.seq);
}

export class RingLog {
  private readonly sectors: number;
  private sector = 0;
  private offset = 0;
  private nextSeq = 1;
  /** Whether the current sector's bytes from `offset` on are known to be erased. */
  private ready = false;

  constructor(private readonly store: ByteStore) {
    this.sectors = Math.floor(store.byteLength / store.sectorSize);
    if (this.sectors < 2) throw new RangeError('a ring log needs at least two sectors');
    // Where the newest frame is: `end` is the offset after a sector's last good frame, `blankTail`
    // whether every byte from there on is erased.
    let newest: { seq: number; sector: number; scan: { end: number; blankTail: boolean } } | undefined;
    for (let s = 0; s < this.sectors; s++) {
      const scan = scanSector(store, s, () => {});
      if (scan.last !== undefined && (newest === undefined || scan.last > newest.seq))
        newest = { seq: scan.last, sector: s, scan };
    }
    if (newest === undefined) return;
    this.nextSeq = (newest.seq + 1) >>> 0 || 1;
    this.sector = newest.sector;
    this.offset = newest.scan.end;
    this.ready = newest.scan.blankTail;
  }

  /** Sectors in the ring. */
  get sectorCount(): number {
    return this.sectors;
  }

  /**
   * The sector frames are being written in: the next record goes there or, when it does not fit,
   * into the one after it, erased first.
   */
  get writeSector(): number {
    return this.sector;
  }

  /** The most payload bytes one record may carry (a frame must fit in a sector). */
  get maxPayload(): number {
    return Math.min(0xffff, this.store.sectorSize - FRAME_OVERHEAD);
  }

  /** Appends a record; returns its sequence number. Throws RangeError if it cannot fit a sector. */
  append(payload: Uint8Array): number {
    if (payload.length > this.maxPayload)
      throw new RangeError(`a record of ${payload.length} bytes exceeds the limit of ${this.maxPayload}`);
    const size = FRAME_OVERHEAD + payload.length;
    if (!this.ready || this.offset + size > this.store.sectorSize) this.nextSector();
    const seq = this.nextSeq;
    const frame = new Uint8Array(size);
    const view = new DataView(frame.buffer);
    frame[0] = MAGIC;
    frame[1] = VERSION;
    view.setUint16(2, payload.length, true);
    view.setUint32(4, seq, true);
    frame.set(payload, HEADER);
    view.setUint32(HEADER + payload.length, crc32(frame, 0, HEADER + payload.length), true);
    const at = this.sector * this.store.sectorSize + this.offset;
    this.offset += size;
    this.nextSeq = (seq + 1) >>> 0 || 1;
    try {
      this.store.write(at, frame);
    } catch (e) {
      // Bytes of a torn frame lie here now: the next record goes to a fresh sector.
      this.ready = false;
      throw e;
    }
    return seq;
  }

  /** Every good record, oldest first. */
  records(): LogRecord[] {
    return readRecords(this.store);
  }

  private nextSector(): void {
    // A sector whose tail is not blank (a torn frame) is left as it is: the next one is erased.
    if (this.ready || this.offset > 0) this.sector = (this.sector + 1) % this.sectors;
    this.ready = false;
    this.store.erase(this.sector);
    this.offset = 0;
    this.ready = true;
  }
}
