/**
 * Building a mod with the Moddable SDK's `mcrun`: the menu, the ring menu, the clip catalog and
 * the clips the menus use, as resources under `ringdown-mod/` (src/engine/mod.ts reads them on the
 * device), plus a one-line module naming them. mcrun ignores a mod manifest's `defines` (it would
 * convert WAVs at 11,025 Hz, uncompressed), so the clips are converted here with the SDK's
 * wav2maud exactly as the firmware's own (manifest.json `defines.audioOut`) and carried as data. `mcrun -m -p PLATFORM -t build -o OUT` builds the
 * archive (`.xsa`) without installing it; `-t release` (esp32) is Moddable's install, through
 * serial2xsbug into a debug build of the firmware.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32 } from '../../src/checksum/crc32.js';
import { crcHex, MOD_PREFIX } from '../../src/engine/mod.js';
import type { Sdk } from './sdk.js';

export interface ModInput {
  menu: string;
  ringMenu?: string;
  /** The clip folder, when the menus speak. */
  clips?: string;
  /** The clips the menus use (names in the clip folder, without `.wav`). */
  clipNames: readonly string[];
  /** The catalog to carry (the clip folder's). */
  catalog: string;
}

export interface StagedMod {
  dir: string;
  manifest: string;
  /** CRC-32 of the menu bytes, as the firmware traces it. */
  menuCrc: string;
}

/** wav2maud's arguments for the firmware's audio format (manifest.json `defines.audioOut`). */
export const WAV2MAUD_FORMAT = ['-r', '8000', '-c', '1', '-s', '16', '-f', 'ima'];

/** Writes the mod's folder: its files (clips as MAUD) and its manifest (mcrun's input); a string says what failed. */
export function stageMod(sdk: Sdk, input: ModInput, dir: string): StagedMod | string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const menu = readFileSync(input.menu);
  writeFileSync(join(dir, 'menu.xml'), menu);
  if (input.ringMenu !== undefined) writeFileSync(join(dir, 'ring.xml'), readFileSync(input.ringMenu));
  writeFileSync(join(dir, 'catalog.json'), input.catalog);
  const menuCrc = crcHex(crc32(menu));
  writeFileSync(
    join(dir, 'ringdown-mod.js'),
    `// Written by ringdown mod: the mod's resources (the firmware reads them by name).\nexport default Object.freeze({ prefix: ${JSON.stringify(MOD_PREFIX)}, menuCrc32: ${JSON.stringify(menuCrc)} });\n`,
  );
  const folder = input.clips !== undefined ? resolve(input.clips) : '';
  for (const name of input.clipNames) {
    const run = spawnSync(join(sdk.bin, 'wav2maud'), [join(folder, `${name}.wav`), '-o', dir, ...WAV2MAUD_FORMAT], {
      env: sdk.env,
      encoding: 'utf8',
    });
    if (run.status !== 0 || !existsSync(join(dir, `${name}.maud`)))
      return `wav2maud ${name}.wav failed: ${`${run.stdout ?? ''}${run.stderr ?? ''}`.trim()}`;
  }
  const manifest = {
    '//': 'Written by ringdown mod (tools/device/mod.ts): a menu and its clips as a Moddable mod.',
    include: '$(MODDABLE)/examples/manifest_mod.json',
    build: { NAME: 'ringdown-mod' },
    modules: { '*': './ringdown-mod' },
    data: {
      [`${MOD_PREFIX}*`]: [
        './menu',
        ...(input.ringMenu !== undefined ? ['./ring'] : []),
        './catalog',
        ...input.clipNames.map((name) => `./${name}`),
      ],
    },
  };
  const path = join(dir, 'manifest.json');
  writeFileSync(path, `${JSON.stringify(manifest, null, '\t')}\n`);
  return { dir, manifest: path, menuCrc };
}

export interface ModBuild {
  ok: boolean;
  /** The archive, when built. */
  archive?: string;
  log: string;
}

/** The mcrun command line for a staged mod (`target`: `build` only builds; `release`/`debug` install on esp32). */
export function mcrunArgs(platform: 'lin' | 'esp32', output: string, manifest: string, target = 'build'): string[] {
  return ['-m', '-p', platform, '-t', target, '-o', output, manifest];
}

/** Runs mcrun on a staged mod; the archive is the one `.xsa` under `output`. */
export function buildMod(
  sdk: Sdk,
  staged: StagedMod,
  platform: 'lin' | 'esp32',
  output: string,
  target = 'build',
): ModBuild {
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  const run = spawnSync(join(sdk.bin, 'mcrun'), mcrunArgs(platform, output, staged.manifest, target), {
    cwd: staged.dir,
    env: sdk.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const archive = findArchive(join(output, 'bin'));
  const ok = run.status === 0 && archive !== undefined && !/### Error/.test(log);
  return { ok, log, ...(archive !== undefined ? { archive } : {}) };
}

function findArchive(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const found = findArchive(path);
      if (found !== undefined) return found;
    } else if (name.endsWith('.xsa')) return path;
  }
  return undefined;
}
