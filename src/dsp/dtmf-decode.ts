/** Whole-recording DTMF decoding: the receiver run over a buffer, key presses paired up. */
import { DtmfDetector, type DtmfDetectorOptions } from './dtmf-detector.js';
import type { ToneSpan } from './dtmf-signal.js';

/** Decodes every key press in `samples`, with start and end sample, in order. */
export function decodeDtmf(
  samples: Int16Array,
  options: Omit<DtmfDetectorOptions, 'onKey'> = {},
  blockSize = 160,
): ToneSpan[] {
  const found: ToneSpan[] = [];
  let open: ToneSpan | undefined;
  const detector = new DtmfDetector({
    ...options,
    onKey: (e) => {
      if (e.down) {
        open = { key: e.key, start: e.sample, end: e.sample };
        found.push(open);
      } else if (open !== undefined) {
        open.end = e.sample;
        open = undefined;
      }
    },
  });
  for (let at = 0; at < samples.length; at += blockSize)
    detector.push(samples, at, Math.min(blockSize, samples.length - at));
  detector.flush();
  return found;
}
