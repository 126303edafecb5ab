/**
 * The ESP32 firmware build through the Moddable SDK. `mcconfig -p esp32` writes the build's
 * makefile; with ESP-IDF set up (`IDF_PATH`) `make` then compiles, links and (with `deploy`)
 * flashes. Without ESP-IDF every step before the C compiler still runs, the same rules the full
 * build runs: tsc, xsc (bytecode), xsid, wav2maud (clips), mcrez (resources) and xsl (the linked,
 * preloaded XS image, mc.xs.c). The makefile refuses to load without an ESP-IDF, so those steps
 * run with a stand-in IDF_PATH and IDF_VERSION and the generated sdkconfig.h marked as present.
 * Each board builds in its own output folder, so switching boards never leaves another board's
 * modules in the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import type { Sdk } from './sdk.js';
import type { Staged } from './stage.js';
import { compileEsp32, EMULATOR_SDKCONFIG, type Esp32Toolchain, type IdfBuild, sdkconfigOptions } from './esp32-idf.js';

export interface Esp32BuildOptions {
  board: string;
  release: boolean;
  /** Compile with ESP-IDF and flash (mcconfig's deploy) rather than compile only. */
  flash: boolean;
  /** Where Record keeps recordings (the manifest's `config.recordings`); default the board's own. */
  recordings?: Recordings;
  /** ESP-IDF and its compiler (findEsp32Toolchain); without it the build stops before the C compiler. */
  toolchain?: Esp32Toolchain;
  /** Build for the emulator: the emulator profile's sdkconfig, in a build folder of its own. */
  emulator?: boolean;
  /** mcconfig `name=value` overrides (config entries of the manifest). */
  config?: Record<string, string>;
  /** The manifest to build (default the repository's). */
  manifest?: string;
  /** The build's folder (default esp32Output(board)). */
  output?: string;
}

/** The recordings stores a board may be built with. */
export type Recordings = 'sdcard' | 'flash';

export interface Esp32Build {
  ok: boolean;
  /** Everything mcconfig and make printed. */
  log: string;
  /** Warnings found in the log (`warning`, make's `overriding recipe`, `### Warning`). */
  warnings: string[];
  /** Whether the C compile ran (ESP-IDF present) or the build stopped before it. */
  compiled: boolean;
  /** The build's temporary folder (makefile, modules, resources, mc.xs.c). */
  tmpDir: string;
  /** The compiled and linked firmware, when the toolchain was there. */
  firmware?: IdfBuild;
}

/** Where a board's build goes (gitignored): `build/ringdown/esp32/BOARD`. */
export function esp32Output(board: string): string {
  return join(REPO_ROOT, 'build', 'ringdown', 'esp32', board);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { ok: boolean; log: string } {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return {
    ok: r.status === 0,
    log: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error !== undefined ? String(r.error) : ''}`,
  };
}

export function buildEsp32(sdk: Sdk, staged: Staged, options: Esp32BuildOptions): Esp32Build {
  const output = options.output ?? esp32Output(options.board);
  const toolchain = options.toolchain;
  const env: NodeJS.ProcessEnv = {
    ...sdk.env,
    ...(toolchain !== undefined
      ? {
          IDF_PATH: toolchain.idfPath,
          PATH: [join(REPO_ROOT, 'node_modules', '.bin'), sdk.bin, toolchain.env.PATH ?? ''].join(delimiter),
        }
      : {}),
    ...(toolchain !== undefined ? idfVariables(toolchain.env) : {}),
    BOARD: options.board,
    MENU: staged.menu,
    CLIPS: staged.clips,
  };
  // mcconfig takes NAME=VALUE arguments as config entries, over the manifests' `config`.
  const mode = [
    ...(options.release ? [] : ['-d']),
    ...(options.recordings !== undefined ? [`recordings=${options.recordings}`] : []),
    ...Object.entries(options.config ?? {}).map(([k, v]) => `${k}=${v}`),
  ];
  const manifest = options.manifest !== undefined ? [options.manifest] : [];
  const tmpDir = join(output, 'tmp', 'esp32', options.release ? 'release' : 'debug', 'ringdown');
  let log = '';
  let ok: boolean;
  let compiled = false;
  let firmware: IdfBuild | undefined;
  // With --flash, the SDK's own path: mcconfig -m builds with ESP-IDF and flashes (deploy).
  const flash = toolchain !== undefined && options.flash;
  const generated = run(
    join(sdk.bin, 'mcconfig'),
    [...mode, ...(flash ? ['-m'] : []), '-p', 'esp32', '-o', output, ...manifest],
    REPO_ROOT,
    env,
  );
  log += generated.log;
  ok = generated.ok && (flash || existsSync(join(tmpDir, 'makefile')));
  if (flash) compiled = ok;
  else if (ok && toolchain !== undefined) {
    firmware = compileEsp32(env, tmpDir, {
      name: options.emulator === true ? 'build-emulator' : 'build-firmware',
      ...(options.emulator === true ? { sdkconfig: sdkconfigOptions(readFileSync(EMULATOR_SDKCONFIG, 'utf8')) } : {}),
    });
    log += firmware.log;
    ok = firmware.ok;
    compiled = ok;
  } else if (ok) {
    const sdkconfig = join(tmpDir, 'xsProj-esp32', 'build', 'config', 'sdkconfig.h');
    const made = run(
      'make',
      [
        '-f',
        'makefile',
        `IDF_PATH=${join(tmpDir, 'no-esp-idf')}`,
        'IDF_VERSION=none',
        '-o',
        sdkconfig,
        join(tmpDir, 'mc.xs.c'),
        join(tmpDir, 'mc.resources.c'),
      ],
      tmpDir,
      env,
    );
    log += made.log;
    ok = made.ok && existsSync(join(tmpDir, 'mc.xs.c'));
  }
  if (/### Error/.test(log)) ok = false;
  const compileLog = firmware?.log ?? '';
  const configLog = firmware !== undefined ? log.slice(0, log.length - compileLog.length) : log;
  const warnings = [
    ...configLog.split('\n').filter((l) => /warning|overriding recipe|### Warning/i.test(l) && !/^# /.test(l)),
    ...compileLog.split('\n').filter((l) => /### Warning|overriding recipe|warning:/.test(l) && !foreignWarning(l)),
  ];
  return { ok, log, warnings, compiled, tmpDir, ...(firmware !== undefined ? { firmware } : {}) };
}

/** ESP-IDF's variables from the toolchain's environment (IDF_*, ESP_*), for mcconfig's makefile and idf.py. */
function idfVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('IDF_') || k.startsWith('ESP_')) out[k] = v;
  return out;
}

/**
 * A compiler warning in code this project does not own (ESP-IDF's components, the Moddable SDK's
 * sources): reported by their maintainers, not a finding of this build. Warnings in our own C
 * (drivers/, boards/) and in the build's generated files count.
 */
function foreignWarning(line: string): boolean {
  if (/### Warning|overriding recipe/.test(line)) return false;
  return !line.includes(REPO_ROOT) || line.includes(`${REPO_ROOT}/node_modules`);
}

export interface Esp32Sizes {
  /** Modules compiled to bytecode, and their bytes. */
  modules: number;
  bytecodeBytes: number;
  /** The linked XS image as C source (mc.xs.c), bytes. */
  linkedSourceBytes: number;
  /** Resources (menu, catalog, MAUD clips), bytes, as mcrez totals them. */
  resourceBytes: number | undefined;
  /** xsl's summary line: instances, keys, colors, holes of the preloaded heap. */
  xsl: string | undefined;
}

/** The bytecode files the makefile links (its `MODULES` list; the folder may hold stale ones). */
function linkedModules(makefile: string): string[] {
  const text = readFileSync(makefile, 'utf8');
  const start = /^MODULES =\s*\\\n/m.exec(text);
  if (start === null) return [];
  const files: string[] = [];
  for (const line of text.slice(start.index + start[0].length).split('\n')) {
    const file = line.trim().replace(/\s*\\$/, '');
    if (file !== '') files.push(file.replace('$(MODULES_DIR)', join(dirname(makefile), 'modules')));
    if (!line.trimEnd().endsWith('\\')) break;
  }
  return files.filter((f) => f.endsWith('.xsb'));
}

export function esp32Sizes(build: Esp32Build): Esp32Sizes {
  const makefile = join(build.tmpDir, 'makefile');
  const sizes = (existsSync(makefile) ? linkedModules(makefile) : []).map((f) =>
    existsSync(f) ? statSync(f).size : 0,
  );
  const linked = join(build.tmpDir, 'mc.xs.c');
  const resources = /Total resource size: (\d+) bytes/.exec(build.log);
  return {
    modules: sizes.length,
    bytecodeBytes: sizes.reduce((a, b) => a + b, 0),
    linkedSourceBytes: existsSync(linked) ? statSync(linked).size : 0,
    resourceBytes: resources !== null ? Number(resources[1]) : undefined,
    xsl: /^### (\d+ instances.*)$/m.exec(build.log)?.[1],
  };
}
