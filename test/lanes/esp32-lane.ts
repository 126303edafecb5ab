/**
 * The ESP32 lane of `npm test` (also `npm run test:esp32`): every ESP32 board compiled and linked
 * by ESP-IDF's Xtensa GCC through `ringdown build --board B` (tools/device/esp32-idf.ts), each
 * with the default menu (examples/door-phone.xml) and its espeak-ng clips; a board passes when the build exits 0 and its app
 * image fits the board's app partition. Without the Moddable SDK or an ESP32 toolchain (IDF_PATH,
 * or ESP_ROOT, default ~/esp) it prints why and `# lane: skipped`.
 * `npm test` builds one board, `esp32-ag1171-i2s` (it compiles the most of our C: the I2S input,
 * the native DTMF arithmetic, the SD card), because a clean ESP-IDF build takes 5-15 minutes;
 * `RINGDOWN_ESP32_BOARDS=all` (or `node dist/test/lanes/esp32-lane.js PATTERN`) builds every board
 * (or those whose name matches).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findEsp32Toolchain } from '../../tools/device/esp32-idf.js';
import { findSdk, which } from '../../tools/device/sdk.js';
import { REPO_ROOT } from '../xs/bundle.js';

const BOARDS = readdirSync(join(REPO_ROOT, 'boards')).filter((b) => b.startsWith('esp32-'));

function main(): void {
  const sdk = findSdk();
  const toolchain = findEsp32Toolchain();
  const skip =
    typeof sdk === 'string'
      ? sdk
      : typeof toolchain === 'string'
        ? toolchain
        : which('espeak-ng') === undefined
          ? "espeak-ng is missing (the default menu's clips)"
          : undefined;
  if (skip !== undefined || typeof toolchain === 'string') {
    process.stdout.write(`# esp32 lane skipped: ${skip ?? ''}\n# lane: skipped\n`);
    return;
  }
  process.stdout.write(`# esp32 lane: ESP-IDF ${toolchain.idfVersion ?? ''} (${toolchain.source})\n`);
  // The default menu's clips (espeak-ng), so the image holds what a user's build holds.
  const clips = join(REPO_ROOT, 'build', 'ringdown', 'esp32-lane', 'clips');
  const made = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'ringdown.js'), 'clips', join(REPO_ROOT, 'examples', 'door-phone.xml'), '--out', clips],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) {
    process.stdout.write(`# esp32 lane: ringdown clips failed: ${made.stderr}\n# lane: 0 passed, 1 failed\n`);
    process.exitCode = 1;
    return;
  }
  const pattern = process.argv[2] ?? (process.env.RINGDOWN_ESP32_BOARDS === 'all' ? '.' : '^esp32-ag1171-i2s$');
  const only = new RegExp(pattern);
  process.stdout.write(`# boards matching /${pattern}/ (RINGDOWN_ESP32_BOARDS=all builds every board)\n`);
  let passed = 0;
  let failed = 0;
  BOARDS.filter((b) => only.test(b)).forEach((board, i) => {
    const started = Date.now();
    const r = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'ringdown.js'), 'build', '--board', board, '--clips', clips],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    const out = r.stdout ?? '';
    const flash =
      /flash (\d+) bytes \(xs_esp32\.bin[^)]*\) of the (\d+)-byte app partition; static RAM (\d+) bytes of DRAM \(data, bss\) and (\d+) bytes of IRAM/.exec(
        out,
      );
    let problem: string | undefined;
    if (r.status !== 0) problem = `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-8).join(' | ')}`;
    else if (flash === null) problem = `no flash and RAM line in: ${out.trim()}`;
    else if (Number(flash[1]) > Number(flash[2])) problem = `the app (${flash[1]} bytes) exceeds its partition`;
    if (problem === undefined) passed++;
    else failed++;
    const figures =
      flash !== null
        ? ` [app ${flash[1]} of ${flash[2]} bytes; DRAM ${flash[3]}, IRAM ${flash[4]} bytes; ${Math.round((Date.now() - started) / 1000)} s]`
        : '';
    process.stdout.write(
      `${problem === undefined ? 'ok' : 'FAILED'} ${i + 1} - ${board} compiles and links${figures}${problem !== undefined ? `: ${problem}` : ''}\n`,
    );
  });
  process.stdout.write(`# lane: ${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main();
