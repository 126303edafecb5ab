import { renderTone } from '../../src/tones/synth.js';
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
  const rate = options.sampleRate ?? 8000;
  const at = (ms: number): number => Math.round((ms * rate) / 1000);
  const out = new Int16Array(at(options.endMs));
  for (const segment of options.segments) {
    const start = Math.min(at(segment.start), out.length);
    const end = Math.min(at(segment.end ?? options.endMs), out.length);
    if (end <= start) continue;
    if (segment.kind === 'tone' && segment.tone !== undefined) {
      renderTone(segment.tone, rate, 0, out, start, end - start);
    } else if (segment.kind === 'clip') {
      const samples = options.clip(segment.name);
      if (samples !== undefined) out.set(samples.subarray(0, Math.min(samples.length, end - start)), start);
    }
  }
  return out;
}
