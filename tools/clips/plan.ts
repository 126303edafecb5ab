/**
 * What a set of menus needs from a clip folder: one entry per clip name, with the text to speak
 * when it has to be synthesized and where in which menu it is first used.
 */
import { catalogKey, clipName, clipNameProblem, clipSlug, type ClipCatalog } from '../../src/clips/catalog.js';
import { walkCommands, type Menu, type SpeakCommand } from '../../src/ozml/menu.js';
import { AUDIO_EXTENSION } from '../../src/ozml/load.js';

export interface ClipNeed {
  name: string;
  /** What to say when synthesizing it (Speak text, white space collapsed). */
  text: string;
  /** `FILE:LINE:COL` of the first command that plays it. */
  where: string;
  /** The menu file of `where`. */
  menuFile: string;
  /** False for Ozeki's `<Play>`: it names a recorded file, there is no text to speak. */
  speakable: boolean;
  /** The catalog entry (text → name) this clip gives, for a Speak found by its text. */
  catalogText?: string;
}

export interface ClipPlan {
  needs: ClipNeed[];
  /** Positioned problems (`FILE:LINE:COL: error: ...`). */
  problems: string[];
}

/** True for a command loaded from `<Play>`: its text is the file it names, its clip the file's base name. */
function isPlay(c: SpeakCommand): boolean {
  if (c.clip === undefined) return false;
  const base = c.text.split(/[\\/]/).pop() ?? c.text;
  return base.replace(AUDIO_EXTENSION, '') === c.clip;
}

/** Collects the clips every menu plays, by the catalog (clip attribute, catalog entry, or the text's slug). */
export function planClips(menus: readonly { file: string; menu: Menu }[], catalog: ClipCatalog): ClipPlan {
  const byName = new Map<string, ClipNeed>();
  const problems: string[] = [];
  for (const { file, menu } of menus) {
    walkCommands(menu.commands, (c) => {
      if (c.kind !== 'speak' || c.callId !== undefined) return;
      const where = `${file}:${c.line}:${c.col}`;
      const speakable = !isPlay(c);
      const named = clipName(catalog, c.text, c.clip);
      const name = named ?? clipSlug(c.text);
      // The loader checks clip names too; this tool writes and deletes files by them, so it checks again.
      const bad = clipNameProblem(name);
      if (bad !== undefined) {
        problems.push(`${where}: error: clip name ${JSON.stringify(name)} ${bad}`);
        return;
      }
      const text = catalogKey(c.text);
      const need: ClipNeed = { name, text, where, menuFile: file, speakable };
      if (c.clip === undefined) need.catalogText = text;
      const earlier = byName.get(name);
      if (earlier === undefined) {
        byName.set(name, need);
      } else if (speakable && earlier.speakable && earlier.text !== text) {
        problems.push(
          `${where}: error: clip '${name}' would say ${JSON.stringify(text)} but ${earlier.where} uses it for ${JSON.stringify(earlier.text)} (hint: give one of them its own clip="..." name)`,
        );
      } else if (earlier.catalogText === undefined && need.catalogText !== undefined) {
        earlier.catalogText = need.catalogText;
      }
    });
  }
  return { needs: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), problems };
}
