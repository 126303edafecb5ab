/**
 * Recordings as WAV files in a folder (8 kHz 16-bit mono), through Moddable's `file` module: the
 * SD card option, where a guestbook's owner takes the card out and plays `guest-1.wav` anywhere.
 * The `file` module is injected (Moddable's on the chip, a fake in tests).
 *
 * A recording is written as `NAME.tmp`, a WAV whose header is rewritten at every flush (the
 * recorder flushes each second), so a power cut leaves it playable up to the last flush. Closing
 * it deletes an older `NAME.wav` and renames `NAME.tmp` to it; discarding deletes it. When the
 * store opens, a `NAME.tmp` a power cut left is kept as `NAME.wav` when there is no such
 * recording (a message cut short), and deleted when there is (a greeting being re-recorded
 * never replaces the whole one). A player reads `NAME.wav` back in pieces (openRecording), so a
 * re-recorded greeting plays from the card block by block; a file whose header is not the
 * 44-byte 8 kHz 16-bit mono one this store writes is not played (the build's clip plays instead).
 * Names are 8.3 on a FAT card unless ESP-IDF's long file names
 * are on (CONFIG_FATFS_LFN_HEAP): `guest-12`, `greeting` fit.
 */
import { sampleBytesInto, wavHeader } from '../../src/audio/wav.js';
import type { RecordingReader, RecordingSource, RecordingStore, RecordingWriter } from '../../hal/recordings.js';

/** The part of a Moddable `File` the store uses. */
export interface WavFile {
  write(bytes: ArrayBuffer): void;
  /** `count` bytes from `position` on (Moddable's `read(ArrayBuffer, count)`). */
  read(type: typeof ArrayBuffer, count: number): ArrayBuffer;
  readonly length: number;
  position: number;
  close(): void;
}

/** The part of Moddable's `file` module the store uses (`File`, its statics, and `Iterator`). */
export interface FileModule {
  File: {
    new (path: string, write?: boolean): WavFile;
    delete(path: string): boolean;
    exists(path: string): boolean;
    rename(from: string, to: string): boolean;
  };
  Iterator: new (path: string) => { next(): { name: string } | undefined };
}

const HEADER = 44;

/**
 * The samples in a WAV this store wrote, from its 44-byte header and the file's length (the
 * smaller of the two: a power cut may leave the data longer than the header says), or undefined
 * when the header is not 8 kHz 16-bit mono PCM with its data at byte 44.
 */
function wavSamples(header: Uint8Array, fileBytes: number): number | undefined {
  if (header.length < HEADER) return undefined;
  const view = new DataView(header.buffer, header.byteOffset, HEADER);
  const text = (at: number, s: string): boolean => String.fromCharCode(...header.subarray(at, at + 4)) === s;
  const pcm =
    text(0, 'RIFF') &&
    text(8, 'WAVE') &&
    text(12, 'fmt ') &&
    view.getUint16(20, true) === 1 &&
    view.getUint16(22, true) === 1 &&
    view.getUint32(24, true) === 8000 &&
    view.getUint16(34, true) === 16 &&
    text(36, 'data');
  if (!pcm) return undefined;
  return Math.floor(Math.min(view.getUint32(40, true), fileBytes - HEADER) / 2);
}

export class WavFileRecordings implements RecordingStore, RecordingReader {
  constructor(
    private readonly files: FileModule,
    /** The folder, without a trailing slash (e.g. `/sd`). */
    private readonly dir: string,
    /**
     * Bytes free on the card, when the board can tell; without it the room is unbounded (a full
     * card fails the write instead of the Record playing its `full` text).
     */
    private readonly freeBytes?: () => number,
  ) {
    for (const name of this.names('.tmp')) {
      const tmp = this.path(name, '.tmp');
      if (files.File.exists(this.path(name, '.wav'))) files.File.delete(tmp);
      else files.File.rename(tmp, `${name}.wav`);
    }
  }

  list(): string[] {
    return this.names('.wav');
  }

  /** The free bytes as 16-bit samples, less the WAV header. */
  room(): number {
    if (this.freeBytes === undefined) return Infinity;
    return Math.max(0, Math.floor((this.freeBytes() - HEADER) / 2));
  }

  open(name: string): RecordingWriter {
    const { File } = this.files;
    const tmp = this.path(name, '.tmp');
    if (File.exists(tmp)) File.delete(tmp);
    const file = new File(tmp, true);
    file.write(wavHeader(0).buffer as ArrayBuffer);
    const pending: Int16Array[] = [];
    let pendingCount = 0;
    let written = 0;
    let ended = false;
    const flush = (): void => {
      if (pendingCount === 0) return;
      const bytes = new Uint8Array(pendingCount * 2);
      let at = 0;
      for (const chunk of pending) {
        sampleBytesInto(chunk, bytes.subarray(at, at + chunk.length * 2));
        at += chunk.length * 2;
      }
      file.position = HEADER + written * 2;
      file.write(bytes.buffer);
      written += pendingCount;
      pending.length = 0;
      pendingCount = 0;
      file.position = 0;
      file.write(wavHeader(written).buffer as ArrayBuffer);
    };
    return {
      append: (samples) => {
        if (ended || samples.length === 0) return;
        pending.push(samples.slice());
        pendingCount += samples.length;
      },
      flush: () => {
        if (!ended) flush();
      },
      close: () => {
        if (ended) return;
        flush();
        ended = true;
        file.close();
        const wav = this.path(name, '.wav');
        if (File.exists(wav)) File.delete(wav);
        File.rename(tmp, `${name}.wav`);
      },
      discard: () => {
        if (ended) return;
        ended = true;
        file.close();
        File.delete(tmp);
      },
    };
  }

  samplesOf(name: string): number | undefined {
    const source = this.openRecording(name);
    source?.close();
    return source?.samples;
  }

  /** Opens `NAME.wav` for reading; each read seeks and copies that many samples from the card. */
  openRecording(name: string): RecordingSource | undefined {
    const { File } = this.files;
    const path = this.path(name, '.wav');
    if (!File.exists(path)) return undefined;
    let file: WavFile;
    try {
      file = new File(path);
    } catch {
      return undefined;
    }
    const samples =
      file.length >= HEADER ? wavSamples(new Uint8Array(file.read(ArrayBuffer, HEADER)), file.length) : undefined;
    if (samples === undefined) {
      file.close();
      return undefined;
    }
    let open = true;
    return {
      samples,
      read: (from, into) => {
        const start = Math.max(0, Math.min(from, samples));
        const count = Math.min(into.length, samples - start);
        if (!open || count <= 0) return 0;
        file.position = HEADER + start * 2;
        const view = new DataView(file.read(ArrayBuffer, count * 2));
        for (let i = 0; i < count; i++) into[i] = view.getInt16(i * 2, true);
        return count;
      },
      close: () => {
        if (open) file.close();
        open = false;
      },
    };
  }

  private path(name: string, extension: string): string {
    return `${this.dir}/${name}${extension}`;
  }

  /** Names of the folder's files that end in `extension`, without it. */
  private names(extension: string): string[] {
    const out: string[] = [];
    const entries = new this.files.Iterator(this.dir);
    for (let entry = entries.next(); entry !== undefined; entry = entries.next()) {
      if (entry.name.toLowerCase().endsWith(extension) && entry.name.length > extension.length)
        out.push(entry.name.slice(0, -extension.length));
    }
    return out;
  }
}
