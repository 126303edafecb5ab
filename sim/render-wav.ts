import { renderTone } from '../src/tones/synth.js';
import type { AudioSegment } from './sim-audio.js';

export interface RenderOptions {
  /** What the simulated audio output played (SimulationResult.audio). */
  segments: readonly AudioSegment[];
  /** The run's end in ms: the recording is exactly this long. */
  endMs: number;
  /** A clip's samples at `sampleRate`, or undefined when the clip has no file (it renders as silence). */
  clip: (name: string) => Int16Array | undefined;
  sampleRate?: number;
}

/**
 * What the caller heard, as samples: silence, each clip from its `start` for as long as it
 * played (cut where the trace cut it; padded with silence if the simulated length is longer than
 * the file), and each call-progress tone with its cadence from the moment it started. At 8 kHz a
 * millisecond is 8 samples, so every segment starts exactly at its trace time.
 */
export function renderCall(options: RenderOptions): Int16Array {
  const out = new Int16Array(callSamples(options));
  renderCallInto(options, 0, out);
  return out;
}

/** How many samples the whole call has. */
export function callSamples(options: RenderOptions): number {
  return Math.round((options.endMs * (options.sampleRate ?? 8000)) / 1000);
}

/**
 * Renders samples [from, from + out.length) of the call into `out`, exactly as renderCall would
 * have them: a long call is written block by block in constant memory.
 */
export function renderCallInto(options: RenderOptions, from: number, out: Int16Array): void {
  const rate = options.sampleRate ?? 8000;
  const at = (ms: number): number => Math.round((ms * rate) / 1000);
  const total = callSamples(options);
  const to = Math.min(from + out.length, total);
  out.fill(0);
  for (const segment of options.segments) {
    const start = Math.min(at(segment.start), total);
    const end = Math.min(at(segment.end ?? options.endMs), total);
    // The part of this segment inside the block.
    const lo = Math.max(start, from);
    const hi = Math.min(end, to);
    if (hi <= lo) continue;
    if (segment.kind === 'tone' && segment.tone !== undefined) {
      renderTone(segment.tone, rate, lo - start, out, lo - from, hi - lo);
    } else if (segment.kind === 'clip') {
      const samples = options.clip(segment.name);
      if (samples !== undefined && lo - start < samples.length)
        out.set(samples.subarray(lo - start, Math.min(samples.length, hi - start)), lo - from);
    }
  }
}
