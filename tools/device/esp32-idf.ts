/**
 * Compiling and linking the ESP32 firmware with ESP-IDF's toolchain, after mcconfig has written
 * the build's makefile (tools/device/esp32.ts).
 *
 * The toolchain is found in one of two ways: a real ESP-IDF whose `export.sh` has been sourced
 * (`IDF_PATH` set, `xtensa-esp32-elf-gcc` on the PATH), or a toolchain set up by hand under
 * `ESP_ROOT` (default ~/esp) with an `env.sh` that sets IDF_PATH and the PATH the same way
 * (this code sources it; nothing here builds the toolchain itself).
 *
 * The compile runs in two steps. Moddable's `make precursor` configures ESP-IDF with every
 * component (the XS platform headers need lwip's options) and compiles the XS engine, our C and the
 * linked XS image into `xs_esp32.a`. Then ESP-IDF's minimal build (`idf.py build -D COMPONENTS=...`)
 * compiles only the components the firmware needs and links the app and the bootloader, in a
 * build folder of its own so the full configuration the archive was compiled against stays as it
 * was. The component list is the manifests' `dependency` entries (mcconfig writes them to
 * xs_idf_deps.txt) plus those Moddable's main.c needs.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { which } from './sdk.js';

export interface Esp32Toolchain {
  /** The environment idf.py and the compiler run with (IDF_PATH, PATH). */
  env: NodeJS.ProcessEnv;
  idfPath: string;
  /** ESP-IDF's version as git describes it (v6.0), when it is a git checkout. */
  idfVersion: string | undefined;
  /** The folder holding xtensa-esp32-elf-gcc, -size, -objdump. */
  gccBin: string;
  /** Where it was found, for the build's first line. */
  source: string;
}

function runIn(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): { ok: boolean; log: string; stdout: string } {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return {
    ok: r.status === 0,
    stdout: r.stdout ?? '',
    log: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error !== undefined ? String(r.error) : ''}`,
  };
}

/** The environment a shell script leaves after `source SCRIPT`, or a sentence saying why not. */
function sourcedEnv(script: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv | string {
  const r = spawnSync('bash', ['-c', 'source "$0" >/dev/null 2>&1 && env -0', script], {
    env,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) return `sourcing ${script} failed (exit ${r.status})`;
  const out: NodeJS.ProcessEnv = {};
  for (const entry of r.stdout.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

/** ESP-IDF and its Xtensa GCC, or a sentence saying what is missing and where it was looked for. */
export function findEsp32Toolchain(env: NodeJS.ProcessEnv = process.env): Esp32Toolchain | string {
  let found: NodeJS.ProcessEnv;
  let source: string;
  const given = env.IDF_PATH;
  if (given !== undefined && given !== '') {
    if (!existsSync(join(given, 'tools', 'idf.py'))) return `IDF_PATH=${given} is not an ESP-IDF (no tools/idf.py)`;
    found = env;
    source = `IDF_PATH=${given}`;
  } else {
    const root = env.ESP_ROOT !== undefined && env.ESP_ROOT !== '' ? env.ESP_ROOT : join(homedir(), 'esp');
    const script = [join(root, 'env.sh'), join(root, 'esp-idf', 'export.sh')].find((f) => existsSync(f));
    if (script === undefined)
      return `no ESP32 toolchain: IDF_PATH is not set (install ESP-IDF and source its export.sh) and ${env.ESP_ROOT !== undefined && env.ESP_ROOT !== '' ? `ESP_ROOT=${root}` : `${root} (ESP_ROOT's default)`} has neither env.sh nor esp-idf/export.sh`;
    const sourced = sourcedEnv(script, env);
    if (typeof sourced === 'string') return sourced;
    if (sourced.IDF_PATH === undefined || !existsSync(join(sourced.IDF_PATH, 'tools', 'idf.py')))
      return `${script} did not set IDF_PATH to an ESP-IDF`;
    found = sourced;
    source = script;
  }
  const gcc = which('xtensa-esp32-elf-gcc', found);
  if (gcc === undefined) return `xtensa-esp32-elf-gcc is not on the PATH (${source}): source ESP-IDF's export.sh first`;
  if (which('idf.py', found) === undefined) return `idf.py is not on the PATH (${source})`;
  const idfPath = found.IDF_PATH!;
  const described = spawnSync('git', ['-C', idfPath, 'describe', '--tags', '--always'], { encoding: 'utf8' });
  return {
    env: found,
    idfPath,
    idfVersion: described.status === 0 ? described.stdout.trim() : undefined,
    gccBin: join(gcc, '..'),
    source,
  };
}

/**
 * ESP-IDF components Moddable's main.c and XS platform need beyond the manifests' dependencies:
 * main.c opens NVS (nvs_flash) and installs the UART driver for the debugger and trace
 * (esp_driver_uart); the platform keeps time with esp_timer and reads its partitions through
 * esp_partition and spi_flash.
 */
const MODDABLE_MAIN_COMPONENTS = [
  'main',
  'nvs_flash',
  'esp_driver_uart',
  'log',
  'esp_timer',
  'spi_flash',
  'esp_partition',
];

/** The components the manifests asked for: mcconfig writes them as `set(ESP_COMPONENTS ...)`. */
export function manifestComponents(depsFile: string): string[] {
  if (!existsSync(depsFile)) return [];
  const m = /set\(\s*ESP_COMPONENTS\s+([^)]*)\)/.exec(readFileSync(depsFile, 'utf8'));
  return m === null ? [] : m[1]!.split(/\s+/).filter((c) => c !== '');
}

/** The minimal build's component list: the manifests' and main.c's, each once. */
export function firmwareComponents(depsFile: string): string[] {
  return [...new Set([...MODDABLE_MAIN_COMPONENTS, ...manifestComponents(depsFile)])];
}

/** The CMake variables Moddable's reconfigure passed (main/CMakeLists.txt reads them). */
const CACHED = [
  'mxDebug',
  'INSTRUMENT',
  'TMP_DIR',
  'DEBUGGER_SPEED',
  'ESP32',
  'ESP32_SUBCLASS',
  'IDF_TARGET',
  'USE_USB',
];

function cachedVariables(cacheFile: string): string[] {
  if (!existsSync(cacheFile)) return [];
  const text = readFileSync(cacheFile, 'utf8');
  const defines: string[] = [];
  for (const name of CACHED) {
    const m = new RegExp(`^${name}:[A-Z]+=(.*)$`, 'm').exec(text);
    if (m !== null && m[1] !== '') defines.push('-D', `${name}=${m[1]}`);
  }
  return defines;
}

/** `NAME=value` lines of an sdkconfig fragment (comments and blank lines dropped). */
export function sdkconfigOptions(text: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(CONFIG_[A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m !== null) options.set(m[1]!, m[2]!);
    const off = /^# (CONFIG_[A-Z0-9_]+) is not set$/.exec(line.trim());
    if (off !== null) options.set(off[1]!, 'n');
  }
  return options;
}

/**
 * An sdkconfig with `changes` applied: an option set to `n` is written as not set, any other
 * replaces the option's line or is appended.
 */
export function applySdkconfig(base: string, changes: Map<string, string>): string {
  const lines = base.split('\n');
  const seen = new Set<string>();
  const out = lines.map((line) => {
    const m = /^(?:# )?(CONFIG_[A-Z0-9_]+)(?:=.*| is not set)$/.exec(line);
    if (m === null || !changes.has(m[1]!)) return line;
    seen.add(m[1]!);
    const value = changes.get(m[1]!)!;
    return value === 'n' ? `# ${m[1]} is not set` : `${m[1]}=${value}`;
  });
  for (const [name, value] of changes) {
    if (!seen.has(name)) out.push(value === 'n' ? `# ${name} is not set` : `${name}=${value}`);
  }
  return out.join('\n');
}

export interface IdfBuild {
  ok: boolean;
  log: string;
  /** The minimal build's folder (xs_esp32.elf, .bin, .map, flasher_args.json). */
  buildDir: string;
  elf: string;
  bin: string;
  components: string[];
}

export interface IdfBuildOptions {
  /** The minimal build's folder name inside xsProj-esp32 (one per sdkconfig variant). */
  name: string;
  /** sdkconfig changes over the project's (an emulator profile), or none. */
  sdkconfig?: Map<string, string>;
}

/**
 * Runs `make precursor` in the build's folder, then the minimal ESP-IDF build. Heavy steps run
 * under `nice` with two jobs at most: the machines this runs on are often shared.
 */
/** `env`: the SDK's environment with the toolchain's IDF_PATH and PATH (tools/device/esp32.ts). */
export function compileEsp32(env: NodeJS.ProcessEnv, tmpDir: string, options: IdfBuildOptions): IdfBuild {
  const project = join(tmpDir, 'xsProj-esp32');
  const buildDir = join(project, options.name);
  const elf = join(buildDir, 'xs_esp32.elf');
  const bin = join(buildDir, 'xs_esp32.bin');
  const components = firmwareComponents(join(tmpDir, 'xs_idf_deps.txt'));
  const result = (ok: boolean, log: string): IdfBuild => ({ ok, log, buildDir, elf, bin, components });
  const precursor = runIn(
    'nice',
    ['-n', '15', 'make', '-f', 'makefile', 'MAKEFLAGS_JOBS=--jobs=2', 'precursor'],
    tmpDir,
    env,
  );
  let log = precursor.log;
  if (!precursor.ok || !existsSync(join(project, 'build', 'xs_esp32.a'))) return result(false, log);
  mkdirSync(buildDir, { recursive: true });
  // The minimal build links the archive precursor made and starts from its configuration.
  copyFileSync(join(project, 'build', 'xs_esp32.a'), join(buildDir, 'xs_esp32.a'));
  const full = readFileSync(join(project, 'sdkconfig'), 'utf8');
  const sdkconfig = join(buildDir, 'sdkconfig');
  const wanted = options.sdkconfig !== undefined ? applySdkconfig(full, options.sdkconfig) : full;
  if (!existsSync(sdkconfig) || readFileSync(sdkconfig, 'utf8') !== wanted) writeFileSync(sdkconfig, wanted);
  const args = [
    '-n',
    '15',
    'idf.py',
    '-B',
    buildDir,
    '-D',
    `SDKCONFIG=${sdkconfig}`,
    '-D',
    `COMPONENTS=${components.join(' ')}`,
    ...cachedVariables(join(project, 'build', 'CMakeCache.txt')),
    'build',
  ];
  const built = runIn('nice', args, project, { ...env, MAKEFLAGS: '-j2', CMAKE_BUILD_PARALLEL_LEVEL: '2' });
  log += built.log;
  const ok = built.ok && existsSync(bin) && statSync(bin).mtimeMs >= statSync(join(buildDir, 'xs_esp32.a')).mtimeMs;
  return result(ok, log);
}

export interface Esp32Memory {
  /** The app image (xs_esp32.bin) and the app partition it goes to. */
  appBytes: number;
  partitionBytes: number | undefined;
  /** Static DRAM (.dram0.data, .dram0.bss, noinit) and IRAM (.iram0.*) the linker placed. */
  dramBytes: number;
  iramBytes: number;
}

/** The first app partition's size in an ESP-IDF partition table (CSV). */
export function appPartitionBytes(csv: string): number | undefined {
  for (const line of csv.split('\n')) {
    if (line.trim().startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells[1] === 'app' && cells[4] !== undefined) {
      const size = cells[4];
      const m = /^(0x[0-9a-f]+|\d+)([KM]?)$/i.exec(size);
      if (m === null) return undefined;
      return Number(m[1]) * (m[2]?.toUpperCase() === 'K' ? 1024 : m[2]?.toUpperCase() === 'M' ? 1024 * 1024 : 1);
    }
  }
  return undefined;
}

/** Flash and RAM use of a linked firmware (xtensa-esp32-elf-size -A and the partition table). */
export function esp32Memory(tool: Esp32Toolchain, build: IdfBuild, partitions: string): Esp32Memory | string {
  const size = runIn(join(tool.gccBin, 'xtensa-esp32-elf-size'), ['-A', build.elf], build.buildDir, tool.env);
  if (!size.ok) return `xtensa-esp32-elf-size failed: ${size.log.trim()}`;
  let dramBytes = 0;
  let iramBytes = 0;
  for (const line of size.stdout.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)$/.exec(line.trim());
    if (m === null) continue;
    const name = m[1]!;
    if (/^\.dram0\.(data|bss)$|^\.noinit$/.test(name)) dramBytes += Number(m[2]);
    else if (/^\.iram0\./.test(name)) iramBytes += Number(m[2]);
  }
  return {
    appBytes: statSync(build.bin).size,
    partitionBytes: existsSync(partitions) ? appPartitionBytes(readFileSync(partitions, 'utf8')) : undefined,
    dramBytes,
    iramBytes,
  };
}

/** The repository's emulator profile: the sdkconfig options QEMU's ESP32 needs. */
export const EMULATOR_SDKCONFIG = join(REPO_ROOT, 'tools', 'device', 'esp32-emulator.sdkconfig');
