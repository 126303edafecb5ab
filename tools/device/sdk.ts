/**
 * Finding the Moddable SDK and the host tools a device build needs: `$MODDABLE`, else
 * `~/Projects/moddable` (where Moddable's Linux guide puts it), with its Linux host tools built
 * (`build/bin/lin/release`: mcconfig, xsc, xsl, mcrez, wav2maud, mcsim). mcconfig 8.2 writes
 * `target`/`lib` `es2025` into its tsconfig, so the `tsc` it runs must be TypeScript 6 or later:
 * this project's own (node_modules/.bin) goes first on the PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

export interface Sdk {
  /** The SDK's root ($MODDABLE). */
  root: string;
  /** Its host tools' folder. */
  bin: string;
  /** The SDK's version as git describes its checkout (e.g. 8.2.3), when it is a git checkout. */
  version: string | undefined;
  /** The environment mcconfig and make run with. */
  env: NodeJS.ProcessEnv;
}

/** The SDK to build with, or a sentence saying what is missing. */
export function findSdk(env: NodeJS.ProcessEnv = process.env): Sdk | string {
  const given = env.MODDABLE;
  const root = given !== undefined && given !== '' ? given : join(homedir(), 'Projects', 'moddable');
  const where = given !== undefined && given !== '' ? `MODDABLE=${given}` : `no MODDABLE set, and ${root}`;
  if (!existsSync(join(root, 'xs', 'sources')))
    return `the Moddable SDK was not found (${where} is not an SDK checkout)`;
  const bin = join(root, 'build', 'bin', 'lin', 'release');
  for (const tool of ['mcconfig', 'xsc', 'xsl', 'mcrez']) {
    if (!existsSync(join(bin, tool)))
      return `the Moddable SDK at ${root} has no ${tool}: build its host tools (build/makefiles/lin, see the README)`;
  }
  const tscBin = join(REPO_ROOT, 'node_modules', '.bin');
  const tsc = spawnSync(join(tscBin, 'tsc'), ['--version'], { encoding: 'utf8' });
  const major = Number(/Version (\d+)/.exec(tsc.stdout ?? '')?.[1] ?? 0);
  if (major < 6)
    return `mcconfig needs TypeScript 6 or later on the PATH; ${join(tscBin, 'tsc')} is ${tsc.stdout?.trim() || 'missing'} (run npm install)`;
  const described = spawnSync('git', ['-C', root, 'describe', '--tags', '--always'], { encoding: 'utf8' });
  const version = described.status === 0 ? described.stdout.trim() : undefined;
  return {
    root,
    bin,
    version,
    env: { ...env, MODDABLE: root, PATH: [tscBin, bin, env.PATH ?? ''].join(delimiter) },
  };
}

/** A program on the PATH, or undefined. */
export function which(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, program))) return join(dir, program);
  }
  return undefined;
}
