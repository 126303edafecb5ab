/**
 * The call log: LogEntry records (calls and faults) in a RingLog on a ByteStore. Appending never
 * throws into the phone: a failing flash is reported through the return value, and the call goes
 * on. On the device, `FlashStorage` (hal/drivers/flash-storage.ts) is the store.
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
  private readonly ring: RingLog;

  constructor(store: ByteStore) {
    this.ring = new RingLog(store);
  }

  /** Appends an entry; returns its sequence number, or an error message when the flash failed. */
  append(entry: LogEntry): number | string {
    try {
      return this.ring.append(encodeEntry(entry));
    } catch (e) {
      return `call log: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Every readable entry, oldest first. */
  entries(): StoredEntry[] {
    return this.ring.records().map((r) => ({ seq: r.seq, entry: decodeEntry(r.payload) }));
  }
}

/** Reads the entries of a dump of the log region (the host's `ringdown log`). */
export function readEntries(store: ByteStore): StoredEntry[] {
  return readRecords(store).map((r) => ({ seq: r.seq, entry: decodeEntry(r.payload) }));
}
