/**
 * manifest.json against the tree: mcconfig cannot run here, so these check what it would trip on.
 * Module names must be repository paths (XS resolves `./x.js` against the importing module's
 * name), so every folder of modules under src/ and hal/ needs its line.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import t from 'tap';

interface Manifest {
  build: Record<string, string>;
  modules: Record<string, string>;
  data: Record<string, string>;
  platforms: Record<string, { modules?: Record<string, string>; include?: string[] }>;
}

const manifest = JSON.parse(readFileSync('manifest.json', 'utf8')) as Manifest;
const build = (name: string): string => manifest.build[`${name} ?=`] ?? manifest.build[name] ?? '';
const expand = (value: string): string => value.replace(/\$\((\w+)\)/g, (_, name: string) => build(name));

function moduleFolders(root: string): string[] {
  const folders: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir);
    if (entries.some((e) => e.endsWith('.ts') && !e.endsWith('.d.ts'))) folders.push(dir);
    for (const e of entries) if (statSync(`${dir}/${e}`).isDirectory()) walk(`${dir}/${e}`);
  };
  walk(root);
  return folders;
}

t.test('every folder of core modules is listed under its own path', async (t) => {
  for (const folder of moduleFolders('src')) {
    t.equal(manifest.modules[`${folder}/*`], `./${folder}/*`, `${folder}/* is in manifest.json's modules`);
  }
  t.equal(manifest.modules['hal/*'], './hal/*');
});

t.test('every module path in the manifest exists', async (t) => {
  const all = [manifest.modules, ...Object.values(manifest.platforms).map((p) => p.modules ?? {})];
  for (const modules of all) {
    for (const [name, path] of Object.entries(modules)) {
      const source = expand(path);
      const target = source.endsWith('/*') ? source.slice(0, -2) : `${source}.ts`;
      t.ok(existsSync(target), `${name} -> ${source}`);
      if (name.endsWith('/*') && !name.startsWith('boards/selected/')) {
        t.equal(name.slice(0, -2), source.slice(2, -2), `module names are paths: ${name}`);
      }
    }
  }
});

t.test('the default board folder and the lin board exist with what main.ts imports', async (t) => {
  const board = build('BOARD');
  t.ok(existsSync(`boards/${board}/board.ts`), `boards/${board}/board.ts`);
  t.ok(existsSync(`boards/${board}/manifest.json`), `boards/${board}/manifest.json`);
  t.ok(existsSync('boards/lin/board.ts'));
  t.match(readFileSync('main.ts', 'utf8'), /from 'boards\/selected\/board'/);
  t.ok(existsSync(`${expand(manifest.data.menu!)}.xml`), 'the default menu');
});
