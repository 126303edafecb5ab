import { clipName, clipSlug, type ClipCatalog } from '../clips/catalog.js';
import type { Diagnostic } from './diagnostic.js';
import { walkCommands, type Menu } from './menu.js';

/**
 * With a clip folder given, every Speak must have its clip: the catalog's entry for its text (or
 * its `clip` attribute), or else a clip named by the text's slug. `exists` says whether a clip
 * of that name is in the folder. A clip the menu records (`<Record clip="...">`) and the folder
 * lacks is a warning, not an error: the device makes it; until then its Speak is skipped.
 */
export function checkClips(
  menu: Menu,
  catalog: ClipCatalog,
  exists: (clip: string) => boolean,
  folder: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const recorded = new Set<string>();
  walkCommands(menu.commands, (c) => {
    if (c.kind === 'record' && c.clip) recorded.add(c.file);
  });
  walkCommands(menu.commands, (c) => {
    if (c.kind !== 'speak' || c.callId !== undefined) return;
    const named = clipName(catalog, c.text, c.clip);
    const name = named ?? clipSlug(c.text);
    if (exists(name)) return;
    const what = named !== undefined ? `clip '${name}'` : `no clip for ${JSON.stringify(c.text)}`;
    if (recorded.has(name)) {
      out.push({
        severity: 'warning',
        line: c.line,
        col: c.col,
        message: `${what} is missing from ${folder}; the menu records it (<Record clip="${name}">), and until a recording exists this Speak plays nothing`,
        hint: `give the first version as ${folder}/${name}.wav (8 kHz mono 16-bit) or run: ringdown clips MENU --out ${folder}`,
      });
      return;
    }
    out.push({
      severity: 'error',
      line: c.line,
      col: c.col,
      message: named !== undefined ? `${what} is missing from ${folder}` : `${what} in ${folder}`,
      hint: `record ${folder}/${name}.wav (8 kHz mono 16-bit) or run: ringdown clips MENU --out ${folder}`,
    });
  });
  return out;
}
