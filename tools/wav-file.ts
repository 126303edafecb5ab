/**
 * Writing long WAV files in constant memory: the header first (the length is known up front),
 * then the samples block by block, straight to the file.
 */
import { sampleBytesInto, wavHeader } from '../src/audio/wav.js';
import { openOutput } from './output.js';

/**
 * The longest recording `sim --wav`, `tui --wav` and `dtmf encode` write: 4 hours, 230 MB at 8 kHz
 * (a WAV cannot pass 4 GiB, 74 hours, at all). A longer run is refused before anything is written.
 */
export const MAX_RECORDING_MS = 4 * 3600 * 1000;

/** Samples in one block: 10 s at 8 kHz, 160 KB. */
export const BLOCK_SAMPLES = 80_000;

/** A message when a recording `ms` long is more than MAX_RECORDING_MS. */
export function recordingTooLong(ms: number): string | undefined {
  if (ms <= MAX_RECORDING_MS) return undefined;
  const hours = ms / 3_600_000;
  return `the recording would last ${hours >= 10 ? Math.round(hours) : hours.toFixed(1)} hours; a WAV this tool writes is at most ${MAX_RECORDING_MS / 3_600_000} hours (${Math.round((MAX_RECORDING_MS * 16) / 1e6)} MB at 8 kHz)`;
}

/**
 * Streams a mono 16-bit WAV of `total` samples to `sink`: the header, then each block as it comes.
 * Blocks may reuse one buffer; they must add up to exactly `total` samples. The bytes given to
 * `sink` are reused for the next block: write or copy them before returning.
 */
export function streamWav(
  total: number,
  blocks: Iterable<Int16Array>,
  sink: (bytes: Uint8Array) => void,
  sampleRate = 8000,
): void {
  sink(wavHeader(total, sampleRate));
  let written = 0;
  // One byte buffer for every block: no garbage a block long per block.
  let bytes = new Uint8Array(0);
  for (const block of blocks) {
    written += block.length;
    if (written > total) throw new Error(`WAV blocks exceed the ${total} samples of the header`);
    if (bytes.length < block.length * 2) bytes = new Uint8Array(block.length * 2);
    const view = bytes.subarray(0, block.length * 2);
    sampleBytesInto(block, view);
    sink(view);
  }
  if (written !== total) throw new Error(`WAV blocks have ${written} samples, the header ${total}`);
}

/**
 * Writes a WAV file as a stream through the output policy (tools/output.ts): a regular file is
 * replaced atomically when whole, a FIFO or character device is written into (the point of
 * `--wav`). A message naming the file when it cannot be written; the destination is then as it was.
 */
export function writeWavFile(
  file: string,
  total: number,
  blocks: Iterable<Int16Array>,
  command: string,
  sampleRate = 8000,
): string | undefined {
  const output = openOutput(file, { command, existing: 'replace', stream: true });
  try {
    streamWav(total, blocks, (bytes) => output.write(bytes), sampleRate);
  } catch (e) {
    output.abort();
    throw e;
  }
  return output.close();
}
