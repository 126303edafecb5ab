/**
 * Every firmware build holds every module its code imports: for each board, the closure of
 * runtime imports from main.ts (tools/device/module-graph.ts) against what the root manifest and
 * the board's manifest map, and each SDK module against the SDK manifest that provides it. No
 * board maps a wildcard (it would take outputs.json, partitions.csv or a .d.ts for a module).
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import t from 'tap';
import { moduleGraph, runtimeImports } from '../tools/device/module-graph.js';

interface Manifest {
  include?: string[] | string;
  modules?: Record<string, string | string[]>;
  platforms?: Record<string, Manifest>;
}

/** The SDK manifests (from $(MODDABLE)) that provide each SDK module the firmware imports. */
const SDK_PROVIDERS: Record<string, string | undefined> = {
  Resource: 'examples/manifest_base.json',
  'mc/config': 'examples/manifest_base.json',
  time: 'examples/manifest_base.json',
  timer: 'examples/manifest_base.json',
  'embedded:io/digital': 'modules/io/digital/manifest.json',
  'embedded:io/digitalbank': 'modules/io/digital/manifest.json',
  'embedded:io/audio/in': 'modules/io/audioin/manifest.json',
  'embedded:io/serial': 'modules/io/serial/manifest.json',
  'pins/audioout': 'modules/pins/i2s/manifest.json',
  flash: 'modules/files/flash/manifest.json',
  file: 'modules/files/file/manifest.json',
  instrumentation: 'modules/base/instrumentation/manifest.json',
};

const BOARDS = ['lin', ...readdirSync('boards').filter((b) => b.startsWith('esp32-') || b.startsWith('pico-'))];
const PLATFORM: Record<string, string> = {
  lin: 'lin',
  ...Object.fromEntries(BOARDS.filter((b) => b.startsWith('pico-')).map((b) => [b, 'pico'])),
};

/** Module name → file (repository path, no extension) and SDK includes, as mcconfig merges them. */
function mapped(board: string): { modules: Map<string, string>; includes: Set<string>; wildcards: string[] } {
  const modules = new Map<string, string>();
  const includes = new Set<string>();
  const wildcards: string[] = [];
  const visit = (file: string, top: boolean): void => {
    const dir = posix.dirname(file);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    const parts: Manifest[] = [manifest];
    const platform = manifest.platforms?.[PLATFORM[board] ?? 'esp32'];
    if (platform !== undefined) parts.push(platform);
    for (const part of parts) {
      for (const [name, target] of Object.entries(part.modules ?? {})) {
        for (const path of Array.isArray(target) ? target : [target]) {
          if (!top && name.includes('*')) wildcards.push(`${file}: ${name}`);
          modules.set(name, path.startsWith('.') ? posix.normalize(posix.join(dir, path)) : path);
        }
      }
      for (const inc of [part.include ?? []].flat()) {
        if (inc.startsWith('$(MODDABLE)/')) includes.add(inc.slice('$(MODDABLE)/'.length));
        else if (inc.startsWith('.')) visit(posix.join(dir, inc.replace('$(BOARD)', board)), false);
      }
    }
  };
  visit('manifest.json', true);
  return { modules, includes, wildcards };
}

/** The file a module name maps to, by an exact entry or a root `dir/*` wildcard. */
function fileFor(modules: Map<string, string>, name: string): string | undefined {
  const exact = modules.get(name);
  if (exact !== undefined) return exact;
  const star = modules.get(`${posix.dirname(name)}/*`);
  return star === undefined ? undefined : `${star.slice(0, -1)}${posix.basename(name)}`;
}

for (const board of BOARDS) {
  t.test(`${board}: the manifests hold every module the firmware imports`, (t) => {
    const graph = moduleGraph('.', board);
    const { modules, includes, wildcards } = mapped(board);
    t.same(wildcards, [], 'no wildcard module mapping in a board manifest');
    for (const [name, file] of graph.modules) {
      if (name === 'main') continue;
      t.equal(fileFor(modules, name), file.replace(/\.(ts|js)$/, ''), `module ${name} is mapped to ${file}`);
    }
    for (const [spec, importer] of graph.sdk) {
      // A board may stand in for an SDK module its platform lacks (the Pico's `flash`).
      const standIn = modules.get(spec);
      if (standIn !== undefined && !standIn.startsWith('$(')) {
        t.ok(
          existsSync(`${standIn}.ts`) || existsSync(`${standIn}.js`),
          `${spec} (imported by ${importer}) is the board's stand-in ${standIn}`,
        );
        continue;
      }
      const provider = SDK_PROVIDERS[spec];
      t.ok(provider !== undefined, `${spec} (imported by ${importer}) is a known SDK module`);
      if (provider !== undefined && !provider.startsWith('examples/'))
        t.ok(includes.has(provider), `${spec} (imported by ${importer}) comes with $(MODDABLE)/${provider}`);
    }
    t.end();
  });
}

t.test('the module graph sees what compiles and skips what tsc erases', (t) => {
  t.same(
    runtimeImports(
      "import type { A } from './a.js';\nimport B from 'b';\nexport { c } from './c.js';\nexport type { D } from './d.js';\n",
    ),
    ['b', './c.js'],
  );
  t.ok(existsSync(join('boards', 'lin', 'host-env.c')), 'the lin board has its native environment reader');
  t.end();
});
