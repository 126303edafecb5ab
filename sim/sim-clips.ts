import {
  clipName,
  clipSlug,
  estimateSpeechMs,
  type ClipCatalog,
  type ClipLibrary,
  type ClipRef,
} from '../src/clips/catalog.js';

export interface SimClipOptions {
  /** The clip folder's catalog, when there is one. */
  catalog?: ClipCatalog;
  /** Length in ms of each clip file found, by clip name. */
  durations?: ReadonlyMap<string, number>;
  /** Every clip plays for exactly this long (`--clip-ms`). */
  fixedMs?: number;
}

/**
 * Clips for the simulator: names from the catalog (or a slug of the text), lengths from
 * `fixedMs`, else the clip file, else an estimate from the text (each estimate is remembered so
 * the tool can warn about it).
 */
export class SimClipLibrary implements ClipLibrary {
  /** Texts whose length had to be estimated: they have no clip file. */
  readonly estimated: string[] = [];
  private readonly lengths = new Map<string, number>();

  constructor(private readonly options: SimClipOptions = {}) {}

  resolve(text: string, clip?: string): ClipRef {
    const { catalog, durations, fixedMs } = this.options;
    const name = (catalog !== undefined ? clipName(catalog, text, clip) : clip) ?? clipSlug(text);
    let ms = fixedMs ?? durations?.get(name);
    if (ms === undefined) {
      ms = estimateSpeechMs(text);
      if (!this.estimated.includes(text)) this.estimated.push(text);
    }
    this.lengths.set(name, ms);
    return { clip: name, ms };
  }

  /** How long a clip resolved earlier plays. */
  lengthOf(clip: string): number {
    return this.lengths.get(clip) ?? 0;
  }
}
