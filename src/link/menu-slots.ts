/**
 * An uploaded menu (and its catalog) kept on flash beside the built one, so that a power cut at
 * any write leaves the device with the old menu or the new one, never neither.
 *
 * The region is two slots of equal size (half its sectors each). A slot is a header, then the
 * content:
 *
 *   offset 0   magic "RDMS"
 *          4   version 1, uint8; 3 bytes 0
 *          8   generation, uint32 little-endian: one more than the slot it replaced
 *         12   content length, uint32 LE (0: run the built menu)
 *         16   CRC-32 of the content, uint32 LE
 *         20   CRC-32 of bytes 0..19, uint32 LE
 *         32   content
 *
 * An upload erases the slot that is not in use (never the one the device runs), writes the content
 * after the header, reads it back and checks its CRC, and only then writes the header: that one
 * write is the switch. Until it is whole the old slot stays the newest whole one; a torn header
 * fails its CRC. At boot the newest slot whose header and content both check out is the menu; none
 * means the built menu. The built menu itself is in the firmware and never touched.
 */
import type { ByteStore } from '../../hal/storage.js';
import { crc32 } from '../checksum/crc32.js';

const MAGIC = [0x52, 0x44, 0x4d, 0x53];
const VERSION = 1;
/** Bytes before a slot's content. */
export const SLOT_HEADER = 32;

export interface SlotInfo {
  slot: number;
  generation: number;
  length: number;
  crc: number;
}

/** An upload being written into the free slot: chunks in order, then `commit`. */
export interface SlotStaging {
  /** Bytes written so far. */
  readonly written: number;
  /** Appends content bytes (the next `bytes.length` after `written`). */
  write(bytes: Uint8Array): void;
  /** The bytes written so far, read back from flash (to check them before `commit`). */
  content(): Uint8Array;
  /**
   * Reads the content back, checks its CRC against `crc` and that all `length` bytes came, then
   * writes the header that makes it the newest slot. A message when it is not whole (nothing is
   * switched then).
   */
  commit(): string | undefined;
}

export class MenuSlots {
  readonly slotBytes: number;

  constructor(private readonly store: ByteStore) {
    const sectors = Math.floor(store.byteLength / store.sectorSize);
    if (sectors < 2) throw new RangeError('the menu region needs at least two sectors');
    this.slotBytes = Math.floor(sectors / 2) * store.sectorSize;
  }

  /** The most content bytes a slot holds. */
  get capacity(): number {
    return this.slotBytes - SLOT_HEADER;
  }

  /** A slot's header when it and its content check out. */
  private slot(index: number): SlotInfo | undefined {
    const base = index * this.slotBytes;
    const head = this.store.read(base, SLOT_HEADER);
    for (let i = 0; i < 4; i++) if (head[i] !== MAGIC[i]) return undefined;
    if (head[4] !== VERSION) return undefined;
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    if (view.getUint32(20, true) !== crc32(head, 0, 20)) return undefined;
    const length = view.getUint32(12, true);
    if (length > this.capacity) return undefined;
    const crc = view.getUint32(16, true);
    if (crc32(this.store.read(base + SLOT_HEADER, length)) !== crc) return undefined;
    return { slot: index, generation: view.getUint32(8, true), length, crc };
  }

  /** The newest whole slot, or undefined (no upload ever completed: the built menu). */
  active(): SlotInfo | undefined {
    const a = this.slot(0);
    const b = this.slot(1);
    if (a === undefined) return b;
    if (b === undefined) return a;
    return b.generation > a.generation ? b : a;
  }

  /** The content of the newest whole slot; undefined for none, empty for "run the built menu". */
  read(): Uint8Array | undefined {
    const active = this.active();
    return active === undefined
      ? undefined
      : this.store.read(active.slot * this.slotBytes + SLOT_HEADER, active.length);
  }

  /**
   * Starts an upload of `length` content bytes whose CRC-32 is `crc` into the slot not in use:
   * erases it first. Throws RangeError when the content cannot fit.
   */
  begin(length: number, crc: number): SlotStaging {
    if (!Number.isInteger(length) || length < 0 || length > this.capacity) {
      throw new RangeError(`${length} bytes do not fit the menu slot of ${this.capacity}`);
    }
    const active = this.active();
    const index = active === undefined ? 0 : 1 - active.slot;
    const generation = active === undefined ? 1 : (active.generation + 1) >>> 0;
    const base = index * this.slotBytes;
    const first = base / this.store.sectorSize;
    const sectors = Math.ceil((SLOT_HEADER + length) / this.store.sectorSize);
    for (let s = 0; s < sectors; s++) this.store.erase(first + s);
    let written = 0;
    let committed = false;
    const store = this.store;
    return {
      get written() {
        return written;
      },
      write(bytes: Uint8Array): void {
        if (committed) throw new Error('the upload is already committed');
        if (written + bytes.length > length) throw new RangeError(`more than the ${length} bytes announced`);
        store.write(base + SLOT_HEADER + written, bytes);
        written += bytes.length;
      },
      content(): Uint8Array {
        return store.read(base + SLOT_HEADER, written);
      },
      commit(): string | undefined {
        if (committed) return 'the upload is already committed';
        if (written !== length) return `${written} of ${length} bytes came`;
        if (crc32(store.read(base + SLOT_HEADER, length)) !== crc)
          return 'the bytes on flash do not match their CRC-32';
        const head = new Uint8Array(SLOT_HEADER).fill(0xff);
        const view = new DataView(head.buffer);
        head.set(MAGIC, 0);
        head[4] = VERSION;
        head[5] = head[6] = head[7] = 0;
        view.setUint32(8, generation, true);
        view.setUint32(12, length, true);
        view.setUint32(16, crc, true);
        view.setUint32(20, crc32(head, 0, 20), true);
        store.write(base, head.subarray(0, 24));
        committed = true;
        return undefined;
      },
    };
  }
}

/**
 * What a slot holds: the menu text and the catalog of the clips uploaded with it (text to clip
 * name, for Speaks without a `clip` attribute), as
 *
 *   menu length uint32 LE, menu (UTF-8), catalog JSON (UTF-8, may be empty)
 */
export interface MenuPackage {
  menu: Uint8Array;
  catalog: Uint8Array;
}

export function encodePackage(pkg: MenuPackage): Uint8Array {
  const out = new Uint8Array(4 + pkg.menu.length + pkg.catalog.length);
  new DataView(out.buffer).setUint32(0, pkg.menu.length, true);
  out.set(pkg.menu, 4);
  out.set(pkg.catalog, 4 + pkg.menu.length);
  return out;
}

/** A slot's content as a package, or why it is not one. */
export function decodePackage(bytes: Uint8Array): MenuPackage | string {
  if (bytes.length < 4) return `${bytes.length} bytes are too few for a menu package`;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + length > bytes.length) return `the menu length ${length} runs past the package's ${bytes.length} bytes`;
  return { menu: bytes.subarray(4, 4 + length), catalog: bytes.subarray(4 + length) };
}
