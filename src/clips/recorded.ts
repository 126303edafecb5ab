/**
 * Recordings as clips: a `Speak`/`Play` whose `clip` names a kept recording (`Record
 * clip="greeting"`, or a message) plays that recording, at its recorded length, before any clip of
 * the build by that name. The simulator does this with its recordings in memory; the device entry
 * (main.ts) with the board's recording store, when the board's player can play recordings.
 */
import { clipName, type ClipCatalog, type ClipLibrary } from './catalog.js';

/**
 * `library`, with `recordedMs(name)` (a kept recording's length in ms, or undefined) looked at
 * first. With `catalog` (an uploaded menu's: its clips are recordings), a Speak without a `clip`
 * attribute finds its recording by its text too.
 */
export function withRecordedClips(
  library: ClipLibrary,
  recordedMs: (name: string) => number | undefined,
  catalog?: ClipCatalog,
): ClipLibrary {
  return {
    resolve: (text, clip) => {
      const name = clip ?? (catalog !== undefined ? clipName(catalog, text) : undefined);
      const ms = name !== undefined ? recordedMs(name) : undefined;
      return name !== undefined && ms !== undefined ? { clip: name, ms } : library.resolve(text, clip);
    },
  };
}
