import type { RecordingStore, RecordingWriter } from '../hal/recordings.js';

/** The simulated board's recordings, in memory: `ringdown sim --recordings DIR` writes them out. */
export class MemoryRecordings implements RecordingStore {
  /** Closed recordings by name, in the order they were (last) closed. */
  readonly recordings = new Map<string, Int16Array>();

  /**
   * `capacity`: the samples the store holds in all (a tiny store to try `record-full`, `sim
   * --recordings-room S`); unbounded by default.
   */
  constructor(private readonly capacity = Infinity) {}

  /** The capacity less every kept recording (a replaced clip's space comes back only when it is replaced). */
  room(): number {
    let used = 0;
    for (const r of this.recordings.values()) used += r.length;
    return Math.max(0, this.capacity - used);
  }

  open(name: string): RecordingWriter {
    const chunks: Int16Array[] = [];
    let open = true;
    return {
      append: (samples) => {
        if (open) chunks.push(samples.slice());
      },
      flush: () => {},
      close: () => {
        if (!open) return;
        open = false;
        const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        this.recordings.delete(name);
        this.recordings.set(name, all);
      },
      discard: () => {
        open = false;
        chunks.length = 0;
      },
    };
  }

  list(): string[] {
    return [...this.recordings.keys()];
  }
}
