/**
 * One recording being made: the caller's frames from its start time on, through the voice
 * detector, into a RecordingWriter. The last FINISH_GUARD_MS are held back, so a recording ended
 * by a finish key can drop the start of that key's tone (a receiver reports a key only once its
 * tone has lasted a while: an MT8870 about 40 ms). Pure: no clock, no I/O beyond the writer.
 */
import type { AudioFrame } from '../../hal/audio-in.js';
import type { RecordingWriter } from '../../hal/recordings.js';
import type { ToneSpec } from '../tones/tone.js';
import { VoiceDetector } from '../audio/voice-detector.js';

export const RECORD_SAMPLE_RATE = 8000;
/** Held back from the writer until later audio comes; dropped when a finish key ends the recording. */
export const FINISH_GUARD_MS = 100;
/** Appended samples between two flushes of the writer: one second. */
export const FLUSH_SAMPLES = RECORD_SAMPLE_RATE;

/**
 * The least room (in samples: one second) a Record needs to start; with less it plays its `full`
 * text instead (trace `record-full`) and the menu goes on.
 */
export const MIN_RECORD_SAMPLES = RECORD_SAMPLE_RATE;

/** `beep="true"`: this tone for BEEP_MS, then capture starts. */
export const BEEP_MS = 500;
export const BEEP_TONE: ToneSpec = { name: 'beep', frequencies: [1000], cadenceMs: [], levelDbm0: -10 };

/**
 * The name for a new recording: a pattern's `{n}` becomes one more than the highest number any
 * existing recording of that pattern has (1 for the first); a name without `{n}` is itself.
 * Numbers of any length count (the next after `msg-999999999` is `msg-1000000000`, and after that
 * `msg-1000000001`), and names are matched ignoring case, as a FAT card lists `MSG-7.WAV` for the
 * file `msg-7.wav`: the new name is one no recording of the store has, whatever its case.
 */
export function recordingName(pattern: string, existing: readonly string[]): string {
  if (!pattern.includes('{n}')) return pattern;
  const highest = highestOf(pattern, existing);
  return pattern.replace('{n}', highest === undefined ? '1' : incremented(highest.digits));
}

/**
 * The newest recording of a pattern (`Speak clip="msg-{n}"`): the existing name with the highest
 * `{n}` (as the store lists it, so `msg-007` plays as itself), or undefined when there is none.
 */
export function newestRecording(pattern: string, existing: readonly string[]): string | undefined {
  return highestOf(pattern, existing)?.name;
}

/** A recording of a pattern: its name, and the number `{n}` stands for in it. */
interface Numbered {
  name: string;
  /** The number, without leading zeros. */
  digits: string;
  /** How many digits the name writes it with. */
  width: number;
  /** Whether the name has the pattern's own case. */
  exactCase: boolean;
}

/**
 * The existing name whose `{n}` is the highest number above 0 (undefined when none is). Of names
 * with the same number the one in the pattern's own case wins, then the one without leading zeros.
 */
function highestOf(pattern: string, existing: readonly string[]): Numbered | undefined {
  const at = pattern.indexOf('{n}');
  const head = pattern.slice(0, at);
  const tail = pattern.slice(at + 3);
  const headLower = head.toLowerCase();
  const tailLower = tail.toLowerCase();
  let best: Numbered | undefined;
  for (const name of existing) {
    if (name.length <= head.length + tail.length) continue;
    const lower = name.toLowerCase();
    if (!lower.startsWith(headLower) || !lower.endsWith(tailLower)) continue;
    const raw = name.slice(head.length, name.length - tail.length);
    if (!/^\d+$/.test(raw)) continue;
    const digits = raw.replace(/^0+/, '');
    if (digits === '') continue;
    const found: Numbered = {
      name,
      digits,
      width: raw.length,
      exactCase: name.startsWith(head) && name.endsWith(tail),
    };
    if (best === undefined || isBetter(found, best)) best = found;
  }
  return best;
}

/** Whether `a` rather than `b` is the highest. */
function isBetter(a: Numbered, b: Numbered): boolean {
  const order = compareDigits(a.digits, b.digits);
  if (order !== 0) return order > 0;
  if (a.exactCase !== b.exactCase) return a.exactCase;
  return a.width < b.width;
}

/** Compares two decimal numbers without leading zeros, of any length. */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A decimal number of any length, plus one. */
function incremented(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === '9') i--;
  if (i < 0) return `1${'0'.repeat(digits.length)}`;
  return `${digits.slice(0, i)}${String.fromCharCode(digits.charCodeAt(i) + 1)}${'0'.repeat(digits.length - 1 - i)}`;
}

export class RecordingSession {
  readonly detector = new VoiceDetector();
  /** Samples taken in (from the start time on), kept or held. */
  private taken = 0;
  private held: Int16Array[] = [];
  private heldCount = 0;
  private sinceFlush = 0;
  private readonly guard = (FINISH_GUARD_MS * RECORD_SAMPLE_RATE) / 1000;

  constructor(
    private readonly writer: RecordingWriter,
    /** Clock time of the first sample to record, in ms. */
    private readonly startMs: number,
  ) {}

  /** Takes a frame: samples before the start time are skipped. */
  frame(frame: AudioFrame): void {
    let from = 0;
    if (frame.atMs < this.startMs) from = Math.round(((this.startMs - frame.atMs) * RECORD_SAMPLE_RATE) / 1000);
    if (from >= frame.samples.length) return;
    const samples = frame.samples.slice(from);
    this.detector.push(samples);
    this.taken += samples.length;
    this.held.push(samples);
    this.heldCount += samples.length;
    this.release(this.heldCount - this.guard);
  }

  /** Time without voice so far, in ms (hangover included, see voice-detector.ts). */
  get silentMs(): number {
    return (this.detector.silentSamples * 1000) / RECORD_SAMPLE_RATE;
  }

  get heardVoice(): boolean {
    return this.detector.heardVoice;
  }

  /**
   * Ends the recording's audio: the held tail is written, or dropped when `dropGuard` (a finish
   * key). Returns the samples the recording keeps. The writer is then closed or discarded by
   * the caller.
   */
  finish(dropGuard: boolean): number {
    if (dropGuard) {
      this.taken -= this.heldCount;
      this.held = [];
      this.heldCount = 0;
    } else {
      this.release(this.heldCount);
    }
    this.writer.flush();
    return this.taken;
  }

  /** Appends the oldest `count` held samples. */
  private release(count: number): void {
    while (count > 0) {
      const chunk = this.held[0]!;
      const part = chunk.length <= count ? chunk : chunk.subarray(0, count);
      this.writer.append(part);
      if (part === chunk) this.held.shift();
      else this.held[0] = chunk.subarray(count);
      this.heldCount -= part.length;
      count -= part.length;
      this.sinceFlush += part.length;
      if (this.sinceFlush >= FLUSH_SAMPLES) {
        this.writer.flush();
        this.sinceFlush = 0;
      }
    }
  }
}
