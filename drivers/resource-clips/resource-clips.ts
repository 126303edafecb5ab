/**
 * The ClipLibrary on the chip: clips are MAUD resources (`NAME.maud`, made by mcconfig's wav2maud
 * from the clip folder's WAVs) and the catalog is the data resource `catalog.json`. A clip's
 * length comes from its MAUD header, so the trace's `play` event says how long it will play.
 * The resource reader is injected (Moddable's `Resource` on the chip, a map in tests).
 */
import { clipName, clipSlug, type ClipCatalog, type ClipLibrary, type ClipRef } from '../../src/clips/catalog.js';

/** Reads a resource's bytes; undefined when the build has none by that name. */
export type ResourceReader = (path: string) => Uint8Array | undefined;

export interface ResourceClipOptions {
  catalog: ClipCatalog;
  read: ResourceReader;
  /**
   * A folder of the resources the clips are in (an installed mod's `ringdown-mod/`): the clip's
   * name carries it, so the audio plays `ringdown-mod/NAME.maud` and the trace says so.
   */
  prefix?: string;
}

/**
 * A MAUD header's play time in ms, or undefined when `bytes` is not one. The 12-byte header, as
 * Moddable's tools/wav2maud.js writes it: 'm' 'a', version 1, bits per sample, sample rate
 * (uint16 LE), channels, format (0 PCM, 1 IMA ADPCM), sample count (uint32 LE).
 */
export function maudDurationMs(bytes: Uint8Array): number | undefined {
  if (bytes.length < 12 || bytes[0] !== 0x6d || bytes[1] !== 0x61 || bytes[2] !== 1) return undefined;
  const rate = bytes[4]! | (bytes[5]! << 8);
  const samples = (bytes[8]! | (bytes[9]! << 8) | (bytes[10]! << 16) | (bytes[11]! << 24)) >>> 0;
  if (rate === 0) return undefined;
  return Math.round((samples * 1000) / rate);
}

export class ResourceClipLibrary implements ClipLibrary {
  private readonly lengths = new Map<string, number | undefined>();

  constructor(private readonly options: ResourceClipOptions) {}

  /** The clip for a Speak, or undefined when the build has no such clip (the menu skips it). */
  resolve(text: string, clip?: string): ClipRef | undefined {
    const name = `${this.options.prefix ?? ''}${clipName(this.options.catalog, text, clip) ?? clipSlug(text)}`;
    let ms = this.lengths.get(name);
    if (!this.lengths.has(name)) {
      const bytes = this.options.read(`${name}.maud`);
      ms = bytes === undefined ? undefined : maudDurationMs(bytes.subarray(0, 12));
      this.lengths.set(name, ms);
    }
    return ms === undefined ? undefined : { clip: name, ms };
  }
}
