/**
 * What a firmware build takes from the user, staged in one folder the manifest points at
 * (`MENU`, `CLIPS`): the menu (`menu.xml`), the ring menu (`ring.xml`, when given), the clip
 * catalog and a manifest fragment naming the clip WAVs where they are. A staged file is rewritten
 * only when its content changes, and then it is newer than the build's copy: make copies a data
 * resource only when its source is newer, so a build pointed at another menu file that happens to
 * be older would otherwise keep the previous menu. The clip WAVs are staged the same way (copied
 * into `clips/`): another folder's clip of the same name, older than the build's MAUD, would
 * otherwise keep the previous clip's sound and length.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface StageInput {
  menu: string;
  ringMenu?: string;
  /** A clip folder (WAVs and catalog.json), or none: every clip then has the board's fixed length. */
  clips?: string;
}

export interface Staged {
  dir: string;
  /** MENU for the manifest: the staged menu without its extension. */
  menu: string;
  /** CLIPS for the manifest. */
  clips: string;
  /** Clip names staged (WAVs found in the clip folder). */
  clipNames: string[];
}

function writeIfChanged(path: string, content: string | Buffer): void {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  if (existsSync(path) && readFileSync(path).equals(bytes)) return;
  writeFileSync(path, bytes);
}

export function stage(input: StageInput, dir: string): Staged {
  mkdirSync(dir, { recursive: true });
  writeIfChanged(join(dir, 'menu.xml'), readFileSync(input.menu));
  const ring = join(dir, 'ring.xml');
  if (input.ringMenu !== undefined) writeIfChanged(ring, readFileSync(input.ringMenu));
  else rmSync(ring, { force: true });
  const clipNames: string[] = [];
  let catalog = '{"clips":{}}\n';
  const staged = join(dir, 'clips');
  mkdirSync(staged, { recursive: true });
  if (input.clips !== undefined) {
    const folder = resolve(input.clips);
    for (const file of readdirSync(folder).sort()) {
      if (!file.endsWith('.wav') || !lstatSync(join(folder, file)).isFile()) continue;
      clipNames.push(file.slice(0, -4));
      writeIfChanged(join(staged, file), readFileSync(join(folder, file)));
    }
    const catalogPath = join(folder, 'catalog.json');
    if (existsSync(catalogPath)) catalog = readFileSync(catalogPath, 'utf8');
  }
  for (const file of readdirSync(staged))
    if (!clipNames.includes(file.slice(0, -4))) rmSync(join(staged, file), { force: true });
  writeIfChanged(join(dir, 'catalog.json'), catalog);
  const manifest = {
    '//': 'Written by ringdown (tools/device/stage.ts) for one build: the clips as MAUD resources, the ring menu as data.',
    resources: { '*': clipNames.map((name) => join(resolve(staged), name)) },
    ...(input.ringMenu !== undefined ? { data: { ring: join(resolve(dir), 'ring') } } : {}),
  };
  writeIfChanged(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
  return { dir, menu: join(resolve(dir), 'menu'), clips: resolve(dir), clipNames };
}
