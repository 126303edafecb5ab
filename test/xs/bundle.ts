/**
 * Bundles TypeScript modules of this repository into one classic script for XS (`xsnap-worker`
 * evaluates scripts, not module graphs): esbuild, IIFE, no Node built-ins. Used by the XS lane and
 * the benchmark.
 */
import { build, type Plugin } from 'esbuild';
import { join } from 'node:path';

import { REPO_ROOT } from '../../tools/device/repo-root.js';

export { REPO_ROOT };

export interface BundleOptions {
  /** Entry module, from the repository root (a `.ts` file), or its source text. */
  entry: string | { contents: string };
  /** Bare module specifiers resolved to files from the repository root (e.g. SDK stand-ins). */
  modules?: Readonly<Record<string, string>>;
  /** Minify (the byte count the benchmark reports for code size). */
  minify?: boolean;
}

/** One self-contained script holding `entry` and everything it imports. */
export async function bundleForXs(options: BundleOptions): Promise<string> {
  const { entry, modules = {} } = options;
  const substitutes: Plugin = {
    name: 'ringdown-modules',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        const file = modules[args.path];
        return file === undefined ? undefined : { path: join(REPO_ROOT, file) };
      });
    },
  };
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [join(REPO_ROOT, entry)] }
      : { stdin: { contents: entry.contents, resolveDir: REPO_ROOT, loader: 'ts' as const, sourcefile: 'entry.ts' } }),
    plugins: [substitutes],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    minify: options.minify ?? false,
    legalComments: 'none',
    logLevel: 'silent',
    absWorkingDir: REPO_ROOT,
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced nothing');
  return file.text;
}

/** A script statement that defines `globalThis[name]` as `value` (JSON-serialisable). */
export function defineGlobal(name: string, value: unknown): string {
  return `globalThis[${JSON.stringify(name)}] = ${JSON.stringify(value)};\n`;
}
