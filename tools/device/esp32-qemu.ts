/**
 * The ESP32 firmware booted in QEMU's ESP32 machine (Espressif's QEMU fork, `qemu-system-xtensa
 * -machine esp32`): the linked app, bootloader and partition table merged into one 16 MB flash
 * image (the size of the fork's flash model) with esptool, booted with the watchdogs off, UART0
 * on the process's stdin and stdout.
 *
 * The firmware is a debug build: XS waits for xsbug on UART0 before it runs, so this plays
 * xsbug's part. It answers the login with `set-all-breakpoints` and `go`, answers every break
 * (an exception XS stops on) with `go`, and reads from the frames it sends: `log` elements (the
 * firmware's trace), `instruments` (the names of the instrumentation columns) and `samples` (their
 * values, once a second of emulated time).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Esp32Toolchain } from './esp32-idf.js';
import { which } from './sdk.js';

/** The fork's flash chip: a smaller image is refused ("failed to read the initial flash content"). */
const FLASH_IMAGE_BYTES = 16 * 1024 * 1024;

/** Merges a build folder's flash files (flasher_args.json) into one image for QEMU. */
export function flashImage(tool: Esp32Toolchain, buildDir: string, image: string): string | undefined {
  const args = JSON.parse(readFileSync(join(buildDir, 'flasher_args.json'), 'utf8')) as {
    flash_files: Record<string, string>;
    flash_settings: { flash_mode: string; flash_freq: string; flash_size: string };
  };
  const files = Object.entries(args.flash_files)
    .sort(([a], [b]) => Number.parseInt(a, 16) - Number.parseInt(b, 16))
    .flat();
  const s = args.flash_settings;
  const r = spawnSync(
    'python',
    [
      '-m',
      'esptool',
      '--chip',
      'esp32',
      'merge-bin',
      '-o',
      image,
      '--flash-mode',
      s.flash_mode,
      '--flash-freq',
      s.flash_freq,
      '--flash-size',
      s.flash_size,
      ...files,
    ],
    { cwd: buildDir, env: tool.env, encoding: 'utf8' },
  );
  if (r.status !== 0) return `esptool merge-bin failed: ${r.stdout}${r.stderr}`;
  truncateSync(image, FLASH_IMAGE_BYTES);
  return undefined;
}

/** QEMU with the ESP32 machine, or a sentence saying what is missing. */
export function findQemu(tool: Esp32Toolchain): string {
  return (
    which('qemu-system-xtensa', tool.env) ??
    "qemu-system-xtensa is not on the PATH (an ESP32 QEMU, e.g. Espressif's fork)"
  );
}

export interface Esp32Boot {
  /** The firmware's trace and notes, as it logged them (one string per line). */
  lines: string[];
  /** The instrumentation columns' names and their last sampled values, and the largest of each. */
  samples: Map<string, number>;
  peaks: Map<string, number>;
  /** Wall-clock ms from QEMU's start to the login, and to the first line that matched `readyLine`. */
  loginMs?: number;
  readyMs?: number;
  /**
   * Instrumentation samples that came after the ready line, and the wall ms to the first of them.
   * XS sends samples from its event loop, so they stop while a turn runs (a menu being parsed) and
   * come again once the firmware is back in its loop: their count tells a firmware that keeps
   * running from one that stopped.
   */
  samplesAfterReady: number;
  firstSampleAfterReadyMs?: number;
  /** Everything UART0 sent, for a failed boot. */
  uart: string;
  problem?: string;
}

export interface Esp32BootOptions {
  image: string;
  /**
   * The line that means the firmware is ready; the run ends `afterReadyMs` wall ms after it, once
   * an instrumentation sample has come after it.
   */
  readyLine: RegExp;
  afterReadyMs: number;
  /** Samples that must have come after the ready line before the run ends (default 1). */
  samplesAfterReady?: number;
  /** Wall ms allowed in all. */
  timeoutMs: number;
  onLine?: (line: string) => void;
}

function unescapeXml(text: string): string {
  return text.replace(/&(#(\d+)|#x([0-9a-f]+)|lt|gt|amp|quot|apos);/gi, (_, __, dec, hex, name) => {
    if (dec !== undefined) return String.fromCharCode(Number(dec));
    if (hex !== undefined) return String.fromCharCode(Number.parseInt(hex, 16));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name] ?? '';
  });
}

/** Boots an image and plays xsbug until the ready line (and `afterReadyMs`) or the timeout. */
export function bootEsp32(qemu: string, options: Esp32BootOptions): Promise<Esp32Boot> {
  if (!existsSync(options.image))
    return Promise.resolve({
      lines: [],
      samples: new Map(),
      peaks: new Map(),
      samplesAfterReady: 0,
      uart: '',
      problem: `no image ${options.image}`,
    });
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(
      'nice',
      [
        '-n',
        '15',
        qemu,
        '-nographic',
        '-no-reboot',
        '-machine',
        'esp32',
        '-drive',
        `file=${options.image},if=mtd,format=raw`,
        '-global',
        'driver=timer.esp32.timg,property=wdt_disable,value=true',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const boot: Esp32Boot = { lines: [], samples: new Map(), peaks: new Map(), samplesAfterReady: 0, uart: '' };
    const samplesNeeded = options.samplesAfterReady ?? 1;
    let names: string[] = [];
    let pending = '';
    let machine: string | undefined;
    let partial = '';
    let finished = false;
    let afterReady = false;
    const finish = (problem?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (problem !== undefined) boot.problem = problem;
      child.kill('SIGTERM');
      resolve(boot);
    };
    const timer = setTimeout(
      () =>
        finish(
          boot.readyMs === undefined
            ? `no ready line within ${options.timeoutMs} ms`
            : `${boot.samplesAfterReady} of ${samplesNeeded} instrumentation samples after the ready line within ${options.timeoutMs} ms: the firmware stopped`,
        ),
      options.timeoutMs,
    );
    const send = (body: string): void => {
      if (machine !== undefined) child.stdin.write(`\r\n<?xs.${machine}?>${body}\r\n`);
    };
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      boot.uart += chunk;
      pending += chunk;
      for (;;) {
        const m = /<\?xs\.([0-9A-F]+)\?>\r?\n?<xsbug>([\s\S]*?)<\/xsbug>/.exec(pending);
        if (m === null) break;
        pending = pending.slice(m.index + m[0].length);
        machine = m[1];
        const body = m[2]!;
        if (body.startsWith('<login')) {
          boot.loginMs = Date.now() - started;
          send('<set-all-breakpoints></set-all-breakpoints>');
          send('<go/>');
        } else if (body.includes('<break')) {
          send('<go/>');
        } else if (body.startsWith('<instruments>')) {
          names = [...body.matchAll(/<instrument name="([^"]*)"/g)].map((n) => n[1]!);
        } else if (body.startsWith('<samples>')) {
          const values = /<samples>([^<]*)<\/samples>/.exec(body)?.[1]?.split(',') ?? [];
          values.forEach((v, i) => {
            const name = names[i] ?? `column ${i}`;
            boot.samples.set(name, Number(v));
            boot.peaks.set(name, Math.max(boot.peaks.get(name) ?? 0, Number(v)));
          });
          // The run ends once enough samples taken after the ready line have come (their peaks cover the load).
          if (boot.readyMs !== undefined) {
            boot.samplesAfterReady += 1;
            boot.firstSampleAfterReadyMs ??= Date.now() - started;
            if (afterReady && boot.samplesAfterReady >= samplesNeeded) finish();
          }
        } else {
          for (const log of body.matchAll(/<log>([\s\S]*?)<\/log>/g)) {
            partial += unescapeXml(log[1]!);
            const parts = partial.split('\n');
            partial = parts.pop()!;
            for (const line of parts) {
              boot.lines.push(line);
              options.onLine?.(line);
              if (boot.readyMs === undefined && options.readyLine.test(line)) {
                boot.readyMs = Date.now() - started;
                setTimeout(() => {
                  afterReady = true;
                  if (boot.samplesAfterReady >= samplesNeeded) finish();
                }, options.afterReadyMs);
              }
            }
          }
        }
      }
    });
    child.on('exit', (code) =>
      finish(boot.readyMs === undefined ? `QEMU exited (${code}) before the ready line` : undefined),
    );
  });
}
