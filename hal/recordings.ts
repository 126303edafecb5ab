/**
 * Where recordings go: named 8 kHz 16-bit mono recordings, written as a stream. A recording
 * becomes visible under its name (in `list()`, to a menu playing it as a clip) only when closed;
 * until then an older recording of that name stays as it was, so `clip="greeting"` replaces the
 * greeting only with a complete new one. On the simulator, memory (and `--recordings DIR`); on
 * the chip, a flash partition (not built yet: see the README).
 */
export interface RecordingWriter {
  /** Adds samples at the end. The writer copies what it keeps. */
  append(samples: Int16Array): void;
  /** Makes what was appended so far durable (on flash: writes the buffered block). */
  flush(): void;
  /** Finishes the recording: it replaces any older one of its name and shows in `list()`. */
  close(): void;
  /** Drops the recording: nothing of it remains, an older one of its name is untouched. */
  discard(): void;
}

export interface RecordingStore {
  /** Starts a new recording named `name` (letters, digits, _ . -; no extension). */
  open(name: string): RecordingWriter;
  /** Names of the closed recordings, in no particular order. */
  list(): string[];
  /**
   * Samples a new recording can hold without anything older being overwritten (Infinity when
   * the store has no bound that matters). Record checks it before it starts and stops at it.
   */
  room(): number;
}

/** A kept recording as the device link lists it. */
export interface RecordingInfo {
  name: string;
  /** The store's own number for it (several may share a name until the older are replaced). */
  id: number;
  samples: number;
  /** Closed and whole; false when a power cut ended it. */
  complete: boolean;
}

/**
 * The recordings as the device link reads them back (a host pulling the guestbook's messages):
 * listed, read in pieces, removed. The flash store (src/calllog/flash-recordings.ts) is one.
 */
export interface RecordingArchive {
  recordings(): RecordingInfo[];
  /** Samples `from .. from+count` of recording `id` (fewer past its end). */
  readRange(id: number, from: number, count: number): Int16Array;
  /** Drops every recording of the name; false when there was none. */
  remove(name: string): boolean;
}

/**
 * A kept recording opened for reading in pieces: what a player streams it from, so its RAM is
 * one block whatever the recording's length.
 */
export interface RecordingSource {
  /** Its length in samples. */
  readonly samples: number;
  /** Copies samples from `from` into `into` (fewer at its end, none past it); returns how many. */
  read(from: number, into: Int16Array): number;
  /** Lets go of what it holds open (a file). */
  close(): void;
}

/** Kept recordings as a player reads them: the recording a clip name plays, if there is one. */
export interface RecordingReader {
  /** The length in samples of the recording named `name`, or undefined when none is kept. */
  samplesOf(name: string): number | undefined;
  /** Opens the recording named `name` for reading; undefined when none is kept. */
  openRecording(name: string): RecordingSource | undefined;
}
