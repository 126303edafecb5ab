/**
 * The Raspberry Pi Pico (RP2040) firmware through the Moddable SDK's `pico` platform: `mcconfig
 * -p pico` writes the makefile, `make` compiles the XS engine, the modules and the pico-sdk with
 * `arm-none-eabi-gcc`, links `xs_pico.elf` and converts it to `xs_pico.uf2` with picotool.
 *
 * What it needs, found as the Moddable SDK's Pico guide (documentation/devices/pico.md) sets it up:
 * `PICO_ROOT` (default ~/pico) holding pico-sdk 2.2.0 (with lib/tinyusb), pico-extras (the I2S
 * audio driver) and pico-examples configured by cmake (its build/generated headers); pioasm built
 * in $PICO_SDK_DIR/build/pioasm; picotool (`UF2CONV`, else $PICO_SDK_DIR/build/_deps/picotool,
 * else on the PATH); `arm-none-eabi-gcc` under `PICO_GCC_ROOT` (default: where it is on the PATH).
 * The generated makefile uses bash's `[[`, so make runs with SHELL=/bin/bash.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, utimesSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { which, type Sdk } from './sdk.js';
import type { Staged } from './stage.js';

export interface PicoToolchain {
  /** The variables mcconfig's pico makefile reads. */
  env: Record<string, string>;
  /** pico-sdk's version as git describes it (2.2.0 expected). */
  version: string | undefined;
}

/** The pico-sdk and its tools, or a sentence saying what is missing. */
export function findPicoToolchain(env: NodeJS.ProcessEnv = process.env): PicoToolchain | string {
  const root = env.PICO_ROOT ?? join(homedir(), 'pico');
  const sdkDir = env.PICO_SDK_DIR ?? join(root, 'pico-sdk');
  const extras = env.PICO_EXTRAS_DIR ?? join(root, 'pico-extras');
  const examples = env.PICO_EXAMPLES_DIR ?? join(root, 'pico-examples');
  if (!existsSync(join(sdkDir, 'src', 'rp2040')))
    return `the pico-sdk was not found (${sdkDir}; set PICO_SDK_DIR or PICO_ROOT)`;
  if (!existsSync(join(sdkDir, 'lib', 'tinyusb', 'src')))
    return `the pico-sdk at ${sdkDir} has no lib/tinyusb (check out its tinyusb submodule)`;
  if (!existsSync(join(extras, 'src', 'rp2_common', 'pico_audio_i2s')))
    return `pico-extras was not found (${extras}; set PICO_EXTRAS_DIR): the I2S audio driver is there`;
  if (!existsSync(join(examples, 'build', 'generated', 'pico_base')))
    return `pico-examples is not configured (${join(examples, 'build', 'generated', 'pico_base')} is missing: run cmake in ${join(examples, 'build')})`;
  const pioasm = env.PIOASM ?? join(sdkDir, 'build', 'pioasm', 'pioasm');
  if (!existsSync(pioasm)) return `pioasm was not found (${pioasm}; build it from ${join(sdkDir, 'tools', 'pioasm')})`;
  const picotool =
    env.UF2CONV ??
    [join(sdkDir, 'build', '_deps', 'picotool', 'picotool')].find((p) => existsSync(p)) ??
    which('picotool', env);
  if (picotool === undefined || !existsSync(picotool))
    return 'picotool was not found (set UF2CONV, or put picotool on the PATH): it makes the .uf2';
  const gcc =
    env.PICO_GCC_ROOT !== undefined
      ? join(env.PICO_GCC_ROOT, 'bin', 'arm-none-eabi-gcc')
      : which('arm-none-eabi-gcc', env);
  if (gcc === undefined || !existsSync(gcc))
    return 'arm-none-eabi-gcc was not found (Debian: gcc-arm-none-eabi and libnewlib-arm-none-eabi; or set PICO_GCC_ROOT)';
  const described = spawnSync('git', ['-C', sdkDir, 'describe', '--tags', '--always', '--abbrev=0'], {
    encoding: 'utf8',
  });
  return {
    version: described.status === 0 ? described.stdout.trim() : undefined,
    env: {
      PICO_ROOT: root,
      PICO_SDK_DIR: sdkDir,
      PICO_EXTRAS_DIR: extras,
      PICO_EXAMPLES_DIR: examples,
      PIOASM: pioasm,
      UF2CONV: picotool,
      PICO_GCC_ROOT: dirname(dirname(gcc)),
    },
  };
}

export interface PicoBuild {
  ok: boolean;
  log: string;
  warnings: string[];
  /** The linked firmware and its UF2 (when ok). */
  elf: string;
  uf2: string;
  tmpDir: string;
}

/** Where a board's build goes (gitignored): `build/ringdown/pico/BOARD`. */
export function picoOutput(board: string): string {
  return join(REPO_ROOT, 'build', 'ringdown', 'pico', board);
}

export interface PicoBuildOptions {
  board: string;
  /** mcconfig `name=value` overrides (config entries of the manifest). */
  config?: Record<string, string>;
  /** Extra make variables (`INSTRUMENT: '1'` for the XS memory figures). */
  make?: Record<string, string>;
  /** The build's folder (default picoOutput(board)); one per set of make variables, as make does not rebuild objects when they change. */
  output?: string;
  /** The manifest to build (default the repository's): one that includes it can override its `creation`. */
  manifest?: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { ok: boolean; log: string } {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return {
    ok: r.status === 0,
    log: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error !== undefined ? String(r.error) : ''}`,
  };
}

/** Builds the release firmware for a staged menu: mcconfig, then make with the pico toolchain. */
export function buildPico(sdk: Sdk, pico: PicoToolchain, staged: Staged, options: PicoBuildOptions): PicoBuild {
  const output = options.output ?? picoOutput(options.board);
  const env: NodeJS.ProcessEnv = {
    ...sdk.env,
    ...pico.env,
    BOARD: options.board,
    MENU: staged.menu,
    CLIPS: staged.clips,
  };
  const tmpDir = join(output, 'tmp', 'pico', 'release', 'ringdown');
  const binDir = join(output, 'bin', 'pico', 'release', 'ringdown');
  const elf = join(binDir, 'xs_pico.elf');
  const uf2 = join(binDir, 'xs_pico.uf2');
  const config = Object.entries(options.config ?? {}).map(([k, v]) => `${k}=${v}`);
  mkdirSync(output, { recursive: true });
  // make copies a data resource only when its source is newer than the build's copy: a staged
  // file left unchanged since an earlier build would lose to another menu built in between.
  const now = new Date();
  for (const name of ['menu.xml', 'ring.xml', 'catalog.json']) {
    const path = join(staged.dir, name);
    if (existsSync(path)) utimesSync(path, now, now);
  }
  const generated = run(
    join(sdk.bin, 'mcconfig'),
    ['-p', 'pico', '-o', output, ...config, ...(options.manifest !== undefined ? [options.manifest] : [])],
    REPO_ROOT,
    env,
  );
  let log = generated.log;
  let ok = generated.ok && existsSync(join(tmpDir, 'makefile'));
  if (ok) {
    const vars = Object.entries(options.make ?? {}).map(([k, v]) => `${k}=${v}`);
    const made = run('make', ['-j2', '-f', 'makefile', 'SHELL=/bin/bash', ...vars, 'build'], tmpDir, env);
    log += made.log;
    ok = made.ok && existsSync(uf2) && statSync(uf2).mtimeMs >= statSync(join(tmpDir, 'makefile')).mtimeMs;
  }
  if (/### Error/.test(log)) ok = false;
  const warnings = log.split('\n').filter((l) => /### Warning|overriding recipe/i.test(l));
  return { ok, log, warnings, elf, uf2, tmpDir };
}

export interface PicoSizes {
  /** Flash the image takes (text + initialised data), and the RP2040's flash on a Pico. */
  flashBytes: number;
  /** RAM the linker places (data, bss, reserved stacks and heap) of the RP2040's 264 KB SRAM. */
  ramBytes: number;
  uf2Bytes: number;
}

/**
 * Flash and RAM use of the linked firmware, from its sections (arm-none-eabi-size -A): flash holds
 * the sections linked at 0x10000000 and the initial values of .data; RAM the sections at
 * 0x20000000 (.data, .bss, the stacks and heap the linker script reserves).
 */
export function picoSizes(build: PicoBuild, pico: PicoToolchain): PicoSizes | string {
  const size = run(
    join(pico.env.PICO_GCC_ROOT!, 'bin', 'arm-none-eabi-size'),
    ['-A', build.elf],
    dirname(build.elf),
    process.env,
  );
  if (!size.ok) return `arm-none-eabi-size failed: ${size.log.trim()}`;
  let flashBytes = 0;
  let ramBytes = 0;
  for (const line of size.log.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)$/.exec(line.trim());
    if (m === null) continue;
    const [bytes, address] = [Number(m[2]), Number(m[3])];
    if (address >= 0x10000000 && address < 0x20000000) flashBytes += bytes;
    else if (address >= 0x20000000 && address < 0x20042000) {
      ramBytes += bytes;
      if (m[1] === '.data') flashBytes += bytes;
    }
  }
  return { flashBytes, ramBytes, uf2Bytes: statSync(build.uf2).size };
}
