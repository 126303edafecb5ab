/**
 * Recordings on flash that survive a power cut at any write. They are kept as frames of the call
 * log's ring (src/calllog/ring-log.ts: CRC-framed, sequence-numbered, a torn frame never read),
 * one frame per event of a recording:
 *
 *   OPEN    kind 1, id uint32, name (ASCII)          a recording starts
 *   AUDIO   kind 2, id uint32, index uint32, PCM     block `index` (0, 1, 2...): 16-bit LE samples
 *   CLOSE   kind 3, id uint32, samples uint32        it ended and is kept, this many samples long
 *   DISCARD kind 4, id uint32                        it ended and is dropped
 *
 * There is no WAV header on flash to patch: a recording's length is recomputed from its blocks
 * when it is read. One is complete when its CLOSE's count equals its consecutive blocks from 0;
 * a recording cut by a power cut (no CLOSE, or blocks missing after a torn frame) is read as
 * `complete: false` with the samples of its blocks up to the first missing one, so a message
 * loses at most what was not yet flushed. For one name, the newest complete recording wins (a
 * half-recorded greeting never replaces a whole one); a name with none complete shows its newest
 * unfinished one. The ring erases its oldest sector when it moves on, so `room()` tells a Record
 * how much it may write before that sector would hold a kept recording's frame: the interpreter
 * stops at it (`record-full`, reason `full`), so nothing kept is overwritten; only discarded and
 * replaced recordings' sectors are reused.
 */
import type { ByteStore } from '../../hal/storage.js';
import type { RecordingReader, RecordingSource, RecordingStore, RecordingWriter } from '../../hal/recordings.js';
import { FLUSH_SAMPLES } from '../engine/recording.js';
import { RingLog, scanFrames, scanSectorFrames } from './ring-log.js';

const OPEN = 1;
const AUDIO = 2;
const CLOSE = 3;
const DISCARD = 4;
/** kind, id, index */
const AUDIO_HEAD = 9;

export interface StoredRecording {
  name: string;
  id: number;
  /** Closed and whole; false when a power cut (or a failed write) ended it. */
  complete: boolean;
  /** Its length, from its blocks. */
  samples: number;
}

interface Meta {
  id: number;
  name: string;
  openSeq: number;
  closed?: number;
  discarded: boolean;
  /** Block index → [sample count, seq]. */
  blocks: Map<number, number>;
}

/** Every recording's bookkeeping, from one scan that keeps no audio. */
function scan(store: ByteStore): Map<number, Meta> {
  const metas = new Map<number, Meta>();
  const meta = (id: number): Meta => {
    let m = metas.get(id);
    if (m === undefined) {
      m = { id, name: '', openSeq: -1, discarded: false, blocks: new Map() };
      metas.set(id, m);
    }
    return m;
  };
  scanFrames(store, (seq, payload) => {
    if (payload.length < 5) return;
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const id = view.getUint32(1, true);
    switch (payload[0]) {
      case OPEN: {
        const m = meta(id);
        m.openSeq = seq;
        m.name = String.fromCharCode(...payload.subarray(5));
        return;
      }
      case AUDIO:
        if (payload.length >= AUDIO_HEAD)
          meta(id).blocks.set(view.getUint32(5, true), (payload.length - AUDIO_HEAD) >> 1);
        return;
      case CLOSE:
        if (payload.length >= 9) meta(id).closed = view.getUint32(5, true);
        return;
      case DISCARD:
        meta(id).discarded = true;
        return;
    }
  });
  return metas;
}

/** Samples in blocks 0, 1, 2... up to the first missing one, and how many such blocks. */
function prefix(m: Meta): { samples: number; blocks: number } {
  let samples = 0;
  let blocks = 0;
  for (;;) {
    const n = m.blocks.get(blocks);
    if (n === undefined) return { samples, blocks };
    samples += n;
    blocks++;
  }
}

/** The recordings a region holds, one per name (see the rules above), oldest first. */
export function readStoredRecordings(store: ByteStore): StoredRecording[] {
  const byName = new Map<string, { m: Meta; complete: boolean; samples: number }>();
  for (const m of scan(store).values()) {
    // Without its OPEN (erased by the ring) a recording has no name and may have lost its start.
    if (m.openSeq < 0 || m.discarded || m.name === '' || !m.blocks.has(0)) continue;
    const { samples } = prefix(m);
    const complete = m.closed === samples;
    const held = byName.get(m.name);
    const better =
      held === undefined || (complete && !held.complete) || (complete === held.complete && m.openSeq > held.m.openSeq);
    if (better) byName.set(m.name, { m, complete, samples });
  }
  return [...byName.values()]
    .sort((a, b) => a.m.openSeq - b.m.openSeq)
    .map(({ m, complete, samples }) => ({ name: m.name, id: m.id, complete, samples }));
}

/** The samples of recording `id` (its blocks from 0 up to the first missing one). */
export function readRecordingSamples(store: ByteStore, id: number): Int16Array {
  return readRecordingsSamples(store, [id]).get(id) ?? new Int16Array(0);
}

/**
 * The samples of each recording in `ids` (those the region holds), read in two scans of the region
 * whatever their number: one for the bookkeeping, one for the audio.
 */
export function readRecordingsSamples(store: ByteStore, ids: Iterable<number>): Map<number, Int16Array> {
  const metas = scan(store);
  const wanted = new Map<number, { out: Int16Array; offsets: number[] }>();
  for (const id of ids) {
    const m = metas.get(id);
    if (m === undefined || wanted.has(id)) continue;
    const { samples, blocks } = prefix(m);
    const offsets: number[] = [];
    let at = 0;
    for (let b = 0; b < blocks; b++) {
      offsets.push(at);
      at += m.blocks.get(b)!;
    }
    wanted.set(id, { out: new Int16Array(samples), offsets });
  }
  if (wanted.size > 0) {
    scanFrames(store, (_, payload) => {
      if (payload[0] !== AUDIO || payload.length < AUDIO_HEAD) return;
      const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
      const into = wanted.get(view.getUint32(1, true));
      if (into === undefined) return;
      const index = view.getUint32(5, true);
      if (index >= into.offsets.length) return;
      const out = into.out;
      for (let i = 0, o = into.offsets[index]!; AUDIO_HEAD + 2 * i + 1 < payload.length; i++)
        out[o + i] = view.getInt16(AUDIO_HEAD + 2 * i, true);
    });
  }
  return new Map([...wanted].map(([id, { out }]) => [id, out]));
}

/** Where each block of a recording's readable prefix lies: payload offsets in the region, sample counts. */
export interface BlockIndex {
  id: number;
  samples: number;
  /** Offset in the region of each block's first sample, in block order. */
  at: number[];
  /** Samples in each block. */
  counts: number[];
}

/** Indexes recording `id`'s blocks from 0 up to the first missing one (one scan, no audio kept). */
export function indexRecording(store: ByteStore, id: number): BlockIndex {
  const found = new Map<number, { at: number; count: number }>();
  scanFrames(store, (_, payload, at) => {
    if (payload[0] !== AUDIO || payload.length < AUDIO_HEAD) return;
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    if (view.getUint32(1, true) !== id) return;
    found.set(view.getUint32(5, true), { at: at + AUDIO_HEAD, count: (payload.length - AUDIO_HEAD) >> 1 });
  });
  const index: BlockIndex = { id, samples: 0, at: [], counts: [] };
  for (let b = 0; ; b++) {
    const block = found.get(b);
    if (block === undefined) return index;
    index.at.push(block.at);
    index.counts.push(block.count);
    index.samples += block.count;
  }
}

/** Samples `from .. from+count` (clipped to the recording) of an indexed recording, read block by block. */
export function readIndexedSamples(store: ByteStore, index: BlockIndex, from: number, count: number): Int16Array {
  const start = Math.max(0, Math.min(from, index.samples));
  const out = new Int16Array(Math.max(0, Math.min(index.samples, start + count) - start));
  readIndexedInto(store, index, start, out);
  return out;
}

/** Copies an indexed recording's samples from `from` into `out` (fewer at its end); returns how many. */
export function readIndexedInto(store: ByteStore, index: BlockIndex, from: number, out: Int16Array): number {
  const start = Math.max(0, Math.min(from, index.samples));
  const end = Math.max(start, Math.min(index.samples, start + out.length));
  let first = 0;
  for (let b = 0; b < index.at.length && first < end; b++) {
    const n = index.counts[b]!;
    const lo = Math.max(start, first);
    const hi = Math.min(end, first + n);
    if (lo < hi) {
      const bytes = store.read(index.at[b]! + 2 * (lo - first), 2 * (hi - lo));
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < hi - lo; i++) out[lo - start + i] = view.getInt16(2 * i, true);
    }
    first += n;
  }
  return end - start;
}

function frame(kind: number, id: number, extra: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(5 + extra);
  const view = new DataView(bytes.buffer);
  bytes[0] = kind;
  view.setUint32(1, id, true);
  return { bytes, view };
}

export class FlashRecordings implements RecordingStore, RecordingReader {
  private readonly log: RingLog;
  private nextId = 1;
  /** The block index readRange keeps for the recording being read. */
  private index: BlockIndex | undefined;
  /**
   * The kept recordings by name, from one scan kept until this store writes: a player asks at
   * every Speak whether its clip is a recording, and a scan reads the whole region.
   */
  private kept: Map<string, StoredRecording> | undefined;
  /** Samples in one AUDIO frame: as many as fit a frame of the ring. */
  readonly blockSamples: number;

  constructor(private readonly store: ByteStore) {
    this.log = new RingLog(store);
    this.blockSamples = (this.log.maxPayload - AUDIO_HEAD) >> 1;
    for (const id of scan(store).keys()) if (id >= this.nextId) this.nextId = id + 1;
  }

  list(): string[] {
    return readStoredRecordings(this.store).map((r) => r.name);
  }

  recordings(): StoredRecording[] {
    return readStoredRecordings(this.store);
  }

  /**
   * Samples a new recording may take without the ring erasing a sector that holds a frame of a
   * kept recording (complete or cut short). Counted in whole sectors after the one being written,
   * one kept back for the recording's OPEN and CLOSE frames; each sector counted at the fewest
   * samples it can hold: between two flushes the recorder appends FLUSH_SAMPLES (plus less than
   * one audio frame of the line), i.e. at most ceil(FLUSH_SAMPLES / blockSamples) + 1 frames,
   * and a frame never spans two sectors.
   */
  room(): number {
    const live = new Set(readStoredRecordings(this.store).map((r) => r.id));
    const n = this.log.sectorCount;
    let free = 0;
    for (let k = 1; k < n; k++) {
      let used = false;
      scanSectorFrames(this.store, (this.log.writeSector + k) % n, (_, payload) => {
        if (used || payload.length < 5) return;
        used = live.has(new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(1, true));
      });
      if (used) break;
      free++;
    }
    const perSector = Math.floor(FLUSH_SAMPLES / (Math.ceil(FLUSH_SAMPLES / this.blockSamples) + 1));
    return Math.max(0, free - 1) * perSector;
  }

  samples(id: number): Int16Array {
    return readRecordingSamples(this.store, id);
  }

  /**
   * Samples `from .. from+count` of recording `id`, for a reader that takes one in pieces (the
   * device link): its blocks are located once and kept until another recording is asked for or
   * the store changes.
   */
  readRange(id: number, from: number, count: number): Int16Array {
    if (this.index?.id !== id) this.index = indexRecording(this.store, id);
    return readIndexedSamples(this.store, this.index, from, count);
  }

  samplesOf(name: string): number | undefined {
    this.kept ??= new Map(readStoredRecordings(this.store).map((r) => [r.name, r]));
    return this.kept.get(name)?.samples;
  }

  /**
   * Opens the recording named `name` for a player: its blocks are located once (one scan), then
   * each read copies from flash into the caller's block. A recording cut short by a power cut
   * plays what it kept, as the link and list() show it.
   */
  openRecording(name: string): RecordingSource | undefined {
    if (this.samplesOf(name) === undefined) return undefined;
    const index = indexRecording(this.store, this.kept!.get(name)!.id);
    return {
      samples: index.samples,
      read: (from, into) => readIndexedInto(this.store, index, from, into),
      close: () => undefined,
    };
  }

  /** Drops every recording named `name` (a DISCARD for each); false when there was none. */
  remove(name: string): boolean {
    const ids = [...scan(this.store).values()].filter((m) => m.name === name && !m.discarded).map((m) => m.id);
    this.index = undefined;
    this.kept = undefined;
    for (const id of ids) this.log.append(frame(DISCARD, id, 0).bytes);
    return ids.length > 0;
  }

  open(name: string): RecordingWriter {
    const id = this.nextId++;
    this.index = undefined;
    this.kept = undefined;
    const open = frame(OPEN, id, name.length);
    for (let i = 0; i < name.length; i++) open.bytes[5 + i] = name.charCodeAt(i) & 0x7f;
    this.log.append(open.bytes);
    const block = new Int16Array(this.blockSamples);
    let fill = 0;
    let index = 0;
    let total = 0;
    let ended = false;
    const writeBlock = (): void => {
      if (fill === 0) return;
      const audio = frame(AUDIO, id, 4 + 2 * fill);
      audio.view.setUint32(5, index, true);
      for (let i = 0; i < fill; i++) audio.view.setInt16(AUDIO_HEAD + 2 * i, block[i]!, true);
      index++;
      total += fill;
      fill = 0;
      this.log.append(audio.bytes);
    };
    return {
      append: (samples) => {
        if (ended) return;
        for (let i = 0; i < samples.length; i++) {
          block[fill++] = samples[i]!;
          if (fill === block.length) writeBlock();
        }
      },
      flush: () => {
        if (!ended) writeBlock();
      },
      close: () => {
        if (ended) return;
        writeBlock();
        ended = true;
        const close = frame(CLOSE, id, 4);
        close.view.setUint32(5, total, true);
        this.log.append(close.bytes);
        this.kept = undefined;
      },
      discard: () => {
        if (ended) return;
        ended = true;
        this.log.append(frame(DISCARD, id, 0).bytes);
        this.kept = undefined;
      },
    };
  }
}
