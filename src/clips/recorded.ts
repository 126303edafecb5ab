/**
 * Recordings as clips: a `Speak`/`Play` whose `clip` names a kept recording (`Record
 * clip="greeting"`, or a message) plays that recording, at its recorded length, before any clip of
 * the build by that name. The simulator does this with its recordings in memory; the device entry
 * (main.ts) with the board's recording store, when the board's player can play recordings.
 */
import type { ClipLibrary } from './catalog.js';

/** `library`, with `recordedMs(name)` (a kept recording's length in ms, or undefined) looked at first. */
export function withRecordedClips(library: ClipLibrary, recordedMs: (name: string) => number | undefined): ClipLibrary {
  return {
    resolve: (text, clip) => {
      const ms = clip !== undefined ? recordedMs(clip) : undefined;
      return clip !== undefined && ms !== undefined ? { clip, ms } : library.resolve(text, clip);
    },
  };
}
