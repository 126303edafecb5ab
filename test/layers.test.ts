/**
 * Imports point one way. Every relative import in the repository is read and checked against the
 * layers below (README, "Code layout"): a file may import its own layer and the layers beneath it,
 * never one above. Then the folder graph (two levels: `src/engine`, `tools/device`, `test/lanes`;
 * a file directly in a top folder is its own node) must have no cycle, and every driver folder carries its own Moddable manifest.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import t from 'tap';

/** Layers from the ground up, and which layers each may import (besides its own). */
const LAYERS: Record<string, readonly string[]> = {
  hal: [],
  src: ['hal'],
  drivers: ['hal', 'src'],
  sim: ['hal', 'src'],
  boards: ['hal', 'src', 'drivers', 'sim'],
  main: ['hal', 'src', 'drivers', 'boards'],
  tools: ['hal', 'src', 'drivers', 'sim', 'boards'],
  bin: ['tools'],
  test: ['hal', 'src', 'drivers', 'sim', 'boards', 'main', 'tools'],
  bench: ['hal', 'src', 'drivers', 'sim', 'boards', 'tools', 'test'],
};

/** The layer a repository path belongs to; undefined for files outside every layer. */
export function layerOf(path: string): string | undefined {
  if (path === 'main.ts') return 'main';
  const top = path.split('/')[0]!;
  return Object.hasOwn(LAYERS, top) && top !== 'main' ? top : undefined;
}

/** Why an import from `from` to `to` breaks the layering, or undefined when it is allowed. */
export function breach(from: string, to: string): string | undefined {
  const a = layerOf(from);
  const b = layerOf(to);
  if (a === undefined || b === undefined || a === b) return undefined;
  return LAYERS[a]!.includes(b)
    ? undefined
    : `${from} imports ${to}: ${a} may import only ${[a, ...LAYERS[a]!].join(', ')}`;
}

/** The node an import edge is counted under for the cycle check: a second-level folder, or a file. */
const folderOf = (path: string): string => {
  const parts = path.split('/');
  return parts.length <= 2 ? path : `${parts[0]}/${parts[1]}`;
};

/** A cycle in a directed graph as a list of nodes, or undefined. */
export function findCycle(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found !== undefined) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    if (state.get(node) === undefined) {
      const found = visit(node);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const SKIP = new Set(['node_modules', 'dist', 'build', '.git', '.tap', 'examples']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = dir === '.' ? name : join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The repository files a source file imports (relative specifiers that name an existing file). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]+)\1/g)) {
    const base = normalize(join(dirname(file), m[2]!));
    const target = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.d.ts')].find((p) => existsSync(p));
    if (target !== undefined && !target.startsWith('dist/')) found.push(target);
  }
  return found;
}

t.test('the rules catch the arrows that ran the wrong way', async (t) => {
  t.ok(breach('hal/audio.ts', 'src/tones/tone.ts'), 'interfaces on the core');
  t.ok(breach('hal/board.ts', 'src/ozml/limits.ts'), 'interfaces on the core');
  t.ok(breach('src/engine/phone.ts', 'drivers/ag1171/ag1171.ts'), 'core on a driver');
  t.ok(breach('drivers/ag1171/ag1171.ts', 'boards/slic/slic-board.ts'), 'driver on a board');
  t.ok(breach('drivers/ag1171/ag1171.ts', 'sim/sim-line.ts'), 'driver on the simulator');
  t.ok(breach('tools/build.ts', 'test/xs/bundle.ts'), 'CLI on a test harness');
  t.ok(breach('tools/device/lin.ts', 'bench/dtmf/run.ts'), 'CLI on a bench');
  t.ok(breach('test/lanes/pico-lane.ts', 'bench/dtmf/run.ts'), 'a lane on a bench');
  t.equal(breach('boards/lin/board.ts', 'sim/events.ts'), undefined, 'a board on the simulator');
  t.equal(breach('tools/studio/web/main.ts', 'sim/call-session.ts'), undefined, 'the studio page on the simulator');
  const cycle = new Map([
    ['src/engine', new Set(['src/calllog'])],
    ['src/calllog', new Set(['src/engine'])],
  ]);
  t.same(findCycle(cycle), ['src/engine', 'src/calllog', 'src/engine'], 'engine and calllog importing each other');
  t.equal(
    findCycle(
      new Map([
        ['a', new Set(['b'])],
        ['b', new Set<string>()],
      ]),
    ),
    undefined,
  );
});

t.test('every import in the repository points down the layers', async (t) => {
  const files = sources('.');
  t.ok(files.length > 150, `read ${files.length} files`);
  const breaches: string[] = [];
  const folders = new Map<string, Set<string>>();
  let edges = 0;
  for (const file of files) {
    for (const target of importsOf(file)) {
      edges++;
      const why = breach(file, target);
      if (why !== undefined) breaches.push(why);
      const [a, b] = [folderOf(file), folderOf(target)];
      if (a !== b) {
        if (!folders.has(a)) folders.set(a, new Set());
        folders.get(a)!.add(b);
      }
    }
  }
  t.ok(edges > 500, `checked ${edges} imports`);
  t.same(breaches, [], 'no import runs up the layers');
  t.equal(findCycle(folders)?.join(' -> '), undefined, 'no two folders import each other, directly or around a loop');
});

t.test('every driver folder has its own manifest mapping its modules', async (t) => {
  for (const name of readdirSync('drivers')) {
    const manifest = join('drivers', name, 'manifest.json');
    t.ok(existsSync(manifest), `${manifest} exists`);
    const modules = (JSON.parse(readFileSync(manifest, 'utf8')) as { modules?: Record<string, string> }).modules ?? {};
    for (const file of readdirSync(join('drivers', name)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))) {
      const module = `drivers/${name}/${file.replace(/\.(ts|js)$/, '')}`;
      t.equal(modules[module], `./${file.replace(/\.(ts|js)$/, '')}`, `${manifest} maps ${module}`);
    }
  }
});
