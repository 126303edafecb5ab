/**
 * The call log: LogEntry records (calls and faults) in a RingLog on a ByteStore. Nothing here
 * throws into the phone: a region too small or a failing flash is reported through `problem` and
 * the return values, and calls go on. On the device, `FlashStorage` (drivers/flash-storage/flash-storage.ts)
 * is the store.
 */
import type { ByteStore } from '../../hal/storage.js';
import { decodeEntry, encodeEntry, type LogEntry } from './record.js';
import { readRecords, RingLog } from './ring-log.js';

export interface StoredEntry {
  seq: number;
  /** The entry, or undefined when the frame is good but its payload is not one this firmware reads. */
  entry: LogEntry | undefined;
}

export class CallLog {
  /** The ring, or why there is none (a region too small, a flash that cannot be read). */
  private readonly ring: RingLog | string;

  constructor(store: ByteStore) {
    this.ring = attempt(() => new RingLog(store));
  }

  /** Why the log cannot be written, or undefined when it can. */
  get problem(): string | undefined {
    return typeof this.ring === 'string' ? this.ring : undefined;
  }

  /** Appends an entry; returns its sequence number, or an error message when the flash failed. */
  append(entry: LogEntry): number | string {
    const ring = this.ring;
    return typeof ring === 'string' ? ring : attempt(() => ring.append(encodeEntry(entry)));
  }

  /** Every readable entry, oldest first (none when the log has a problem). */
  entries(): StoredEntry[] {
    const ring = this.ring;
    if (typeof ring === 'string') return [];
    const records = attempt(() => ring.records());
    return typeof records === 'string' ? [] : records.map((r) => ({ seq: r.seq, entry: decodeEntry(r.payload) }));
  }
}

/** Runs `f`; a throw becomes its message: the log must never take the phone down with it. */
function attempt<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return `call log: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Reads the entries of a dump of the log region (the host's `ringdown log`). */
export function readEntries(store: ByteStore): StoredEntry[] {
  return readRecords(store).map((r) => ({ seq: r.seq, entry: decodeEntry(r.payload) }));
}
