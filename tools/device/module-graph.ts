/**
 * What a firmware build must hold: the closure of imports from `main.ts` with a board's folder in
 * place of `boards/selected`, resolved the way XS resolves them (a relative specifier against the
 * importing module's *name*, `.js` dropped). Names are repository paths; bare specifiers that are
 * not repository modules (`timer`, `embedded:io/digital`, `flash`...) are the SDK modules a
 * manifest must include. Type-only imports (`import type`) are left out: tsc erases them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface ModuleGraph {
  /** Repository modules by module name (e.g. `src/engine/phone`, `boards/selected/board`). */
  modules: Map<string, string>;
  /** SDK module specifiers imported, with the module that imports each first. */
  sdk: Map<string, string>;
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

/** The module's imports that survive compilation (not `import type`/`export type`). */
export function runtimeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(IMPORT)) if (m[1] === undefined) found.push(m[2]!);
  return found;
}

/** The file a module name maps to for `board` (TypeScript first, then JavaScript). */
function fileOf(root: string, name: string, board: string): string | undefined {
  const path = name.startsWith('boards/selected/') ? `boards/${board}/${name.slice('boards/selected/'.length)}` : name;
  for (const ext of ['.ts', '.js']) if (existsSync(join(root, path + ext))) return path + ext;
  return undefined;
}

export function moduleGraph(root: string, board: string, entry = 'main'): ModuleGraph {
  const modules = new Map<string, string>();
  const sdk = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (modules.has(name)) continue;
    const file = fileOf(root, name, board);
    if (file === undefined) throw new Error(`module ${name} has no file for board ${board}`);
    modules.set(name, file);
    for (const spec of runtimeImports(readFileSync(join(root, file), 'utf8'))) {
      if (spec.startsWith('.'))
        queue.push(posix.normalize(posix.join(posix.dirname(name), spec)).replace(/\.m?js$/, ''));
      else if (fileOf(root, spec, board) !== undefined) queue.push(spec);
      else if (!sdk.has(spec)) sdk.set(spec, name);
    }
  }
  return { modules, sdk };
}
