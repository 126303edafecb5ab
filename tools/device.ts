/**
 * `ringdown device MENU.xml --events "..." [--clip-ms N] [--clips DIR] [--until S] [--profile P]
 * [--ring-menu FILE] [--mod FILE.xsa] [--jsonl]`: builds the desktop (`lin`) firmware for the menu with the Moddable
 * SDK (`mcconfig`, SDK from `MODDABLE`), runs it headless under `mcsim`, and prints the device's
 * trace in `ringdown sim`'s format. The script is played at the SLIC's pins (hook levels through
 * the line state machine), so the trace equals `ringdown sim --levels` with the same arguments.
 * `--mod` installs a mod (`ringdown mod --board lin`) for the run: mcsim opens it with the firmware.
 * `say:FILE@S` puts a caller recording on the firmware's audio input (checked here first, then read
 * by the firmware itself; one not already an 8 kHz mono 16-bit WAV is converted to one first), and `--recordings DIR` writes each recording the firmware kept in its
 * flash image (src/calllog/flash-recordings.ts over a file) as `DIR/NAME.wav`, as `ringdown sim` does.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import { encodeWav } from '../src/audio/wav.js';
import { parseCallOptions } from './call-options.js';
import { Command } from './command.js';
import { buildLin, runLin } from './device/lin.js';
import { buildPicoFirmware, findPicoSetup, PICO_BOARDS, playPico } from './device/pico-device.js';
import { buildEsp32Emulator, runEsp32 } from './device/esp32-device.js';
import { findEsp32Toolchain } from './device/esp32-idf.js';
import type { Sdk } from './device/sdk.js';
import { findSdk } from './device/sdk.js';
import { stage } from './device/stage.js';
import { boardMenuLimits, findClipFolder, loadMenuFile } from './menu-file.js';
import { readRecordingsSamples, readStoredRecordings } from '../src/calllog/flash-recordings.js';
import { parseEvents } from '../sim/events.js';
import { readDump } from './log.js';
import { prepareFolder } from './output.js';
import { CALL_OPTIONS, formatTraceLine, readVoices, writeRecordings } from './sim.js';
import { REPO_ROOT } from './device/repo-root.js';

/** The ESP32 boards QEMU boots (each board folder boards/esp32-*). */
const ESP32_BOARDS = ['esp32-ag1171-mt8870', 'esp32-ag1171-sdtmf', 'esp32-ag1171-i2s', 'esp32-ks0835f-mt8870'];

export const DEVICE = new Command({
  name: 'device',
  summary: 'build the lin firmware with the Moddable SDK and run the call on it',
  description: `Builds the lin firmware with the Moddable SDK (mcconfig on the PATH, or $MODDABLE) and runs the
call on it; the trace is printed like ringdown sim's (it equals ringdown sim --levels).
say:FILE@S plays a recording (WAV, MP3, Ogg Vorbis, FLAC) into the firmware's audio input.
--board pico-ag1171-mt8870 builds the Raspberry Pi Pico firmware instead (arm-none-eabi-gcc and
the pico-sdk, see the README) and boots it in rp2040js: the script is played at its pins (SHK,
MT8870 Q1-Q4/StD, the doorbell), the trace read from its UART, times from the chip's cycle count.
The Pico plays real clips (--clips, or clips/ beside the menu), not --clip-ms.
--board esp32-... compiles the ESP32 firmware with ESP-IDF (see ringdown build) and boots it in
QEMU's ESP32: it prints what the firmware logs and its memory figures; no call script yet.`,
  positionals: [{ name: 'MENU.xml' }],
  options: [
    CALL_OPTIONS.events,
    {
      name: 'board',
      type: 'string',
      value: `lin|${PICO_BOARDS.join('|')}|esp32-...`,
      default: 'lin',
      description: 'the firmware to build and run',
    },
    CALL_OPTIONS.clipMs,
    CALL_OPTIONS.clips,
    CALL_OPTIONS.until,
    CALL_OPTIONS.profile,
    CALL_OPTIONS.ringMenu,
    {
      name: 'mod',
      type: 'string',
      value: 'FILE.xsa',
      description: 'a mod (ringdown mod --board lin) the firmware opens for the run (lin)',
    },
    {
      name: 'recordings',
      type: 'string',
      value: 'DIR',
      description: 'write each recording the firmware kept on its (file-backed) flash as DIR/NAME.wav (lin)',
    },
    CALL_OPTIONS.jsonl,
  ],
  exit: '0 ok, 1 the menu has errors or the run failed, 2 usage or input error (a file that cannot be read or used) or no Moddable SDK',
  examples: [
    'ringdown device examples/door-phone.xml --events "offhook@0 2@7" --clip-ms 1000',
    'ringdown device examples/guestbook.xml --events "offhook@0 say:examples/caller.wav@6 onhook@30" --recordings out/',
  ],
});

/**
 * The script with each `say:FILE` made absolute (the firmware runs in another folder); a message
 * when a caller WAV cannot be used, as `ringdown sim` gives it.
 */
export function deviceEvents(text: string, files: ReadonlyMap<string, string> = new Map()): string {
  return text
    .trim()
    .split(/\s+/)
    .map((token) => {
      const at = token.lastIndexOf('@');
      if (!token.startsWith('say:') || at <= 4) return token;
      const file = token.slice(4, at);
      return `say:${files.get(file) ?? resolve(file)}${token.slice(at)}`;
    })
    .join(' ');
}

/** Where `ringdown device` stages what it builds (gitignored). */
export const DEVICE_STAGE = join(REPO_ROOT, 'build', 'ringdown', 'lin');

export async function runDevice(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const args = DEVICE.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const file = args.positionals[0]!;
  const options = parseCallOptions(values, 'device');
  if (typeof options === 'string') {
    err(options);
    return 2;
  }
  const { profileName: profile, fixedMs: clipMs, untilMs } = options;
  // The device checks its menu again at boot; a bad menu is caught here first, with its position.
  for (const path of [file, ...(values['ring-menu'] !== undefined ? [values['ring-menu']] : [])]) {
    const menu = loadMenuFile(path, err, SIM_OUTPUT_NAMES, boardMenuLimits(values.board ?? 'lin'));
    if (typeof menu === 'number') return menu;
  }
  // Caller recordings are checked here, with the simulator's messages; the firmware reads 8 kHz
  // mono WAVs itself, so any other is converted (as the simulator converts it) to one it reads.
  const scripted = parseEvents(values.events ?? 'offhook@0');
  const converted = new Map<string, Int16Array>();
  if (typeof scripted !== 'string') {
    const voices = await readVoices(scripted);
    if (typeof voices === 'string') {
      err(voices);
      return 2;
    }
    for (const [file, voice] of voices) if (voice.converted) converted.set(file, voice.samples);
  }
  if (values.mod !== undefined && !existsSync(values.mod)) {
    err(`ringdown device: --mod: no file ${values.mod} (build one: ringdown mod MENU.xml --board lin)`);
    return 2;
  }
  const board = values.board ?? 'lin';
  const esp32 = ESP32_BOARDS.includes(board);
  if (board !== 'lin' && !esp32 && !(PICO_BOARDS as readonly string[]).includes(board)) {
    err(
      `ringdown device: --board: '${board}' cannot be run here (lin, ${PICO_BOARDS.join(', ')}, ${ESP32_BOARDS.join(', ')})`,
    );
    return 2;
  }
  if (esp32 && values.events !== undefined && values.events.trim() !== 'offhook@0') {
    err(
      `ringdown device: --board ${board}: the emulated ESP32 takes no call script yet: QEMU's ESP32 GPIO has no pin inputs and no I2S or ADC, and the UART test input is not built; without --events it boots the menu and prints what the firmware logs`,
    );
    return 2;
  }
  if (
    board !== 'lin' &&
    (values['clip-ms'] !== undefined || values.mod !== undefined || values.recordings !== undefined)
  ) {
    err(
      `ringdown device: --board ${board} plays the build's real clips and has no recording store: --clip-ms, --mod and --recordings are for the lin board`,
    );
    return 2;
  }
  // The recordings' folder is checked before the build and the call, so a bad one costs neither.
  const folder = values.recordings !== undefined ? prepareFolder(values.recordings, 'device') : undefined;
  if (folder !== undefined) {
    err(folder);
    return 1;
  }
  const sdk = findSdk();
  if (typeof sdk === 'string') {
    err(`ringdown device: ${sdk}`);
    return 2;
  }
  if (esp32) return runOnEsp32(sdk, board, file, values, out, err);
  if (board !== 'lin') return runOnPico(sdk, board, file, values, untilMs, out, err);
  const clipDir = values['clip-ms'] !== undefined ? undefined : findClipFolder(file, values.clips);
  const staged = stage(
    {
      menu: file,
      ...(values['ring-menu'] !== undefined ? { ringMenu: values['ring-menu'] } : {}),
      ...(clipDir !== undefined ? { clips: clipDir } : {}),
    },
    DEVICE_STAGE,
  );
  err(
    `ringdown device: building the lin firmware with the Moddable SDK ${sdk.version ?? ''} at ${sdk.root}`.replace(
      '  ',
      ' ',
    ),
  );
  const build = buildLin(sdk, staged, { profile });
  if (!build.ok) {
    err(build.log.trimEnd());
    err('ringdown device: the build failed');
    return 1;
  }
  const print =
    values.jsonl === true
      ? (e: object) => out(JSON.stringify(e))
      : (e: Parameters<typeof formatTraceLine>[0]) => out(formatTraceLine(e));
  const imageDir = mkdtempSync(join(tmpdir(), 'ringdown-device-'));
  const image = join(imageDir, 'recordings.bin');
  const voiceFiles = new Map<string, string>();
  for (const [file, samples] of converted) {
    const path = join(imageDir, `voice-${voiceFiles.size + 1}.wav`);
    writeFileSync(path, encodeWav(samples));
    voiceFiles.set(file, path);
  }
  const run = await runLin(sdk, build.library, {
    events: deviceEvents(values.events ?? 'offhook@0', voiceFiles),
    recordings: image,
    ...(clipMs !== undefined ? { clipMs } : {}),
    ...(untilMs !== undefined ? { untilMs } : {}),
    ...(values.mod !== undefined ? { archive: resolve(values.mod) } : {}),
    onTrace: print,
  });
  for (const note of run.notes) err(note);
  try {
    if (run.problem !== undefined) {
      err(`ringdown device: ${run.problem}`);
      return 1;
    }
    return values.recordings !== undefined && !extractRecordings(image, values.recordings, err) ? 1 : 0;
  } finally {
    rmSync(imageDir, { recursive: true, force: true });
  }
}

/** Writes the complete recordings of the firmware's flash image as DIR/NAME.wav. */
function extractRecordings(image: string, dir: string, err: (line: string) => void): boolean {
  const files = new Map<string, Int16Array>();
  if (existsSync(image)) {
    const dump = readDump('device', image, '4096', err);
    if (typeof dump === 'number') return false;
    const complete = readStoredRecordings(dump.store).filter((r) => r.complete);
    const samples = readRecordingsSamples(
      dump.store,
      complete.map((r) => r.id),
    );
    for (const r of complete) files.set(r.name, samples.get(r.id) ?? new Int16Array(0));
  }
  return writeRecordings(dir, files, 'device', err);
}

/**
 * `--board esp32-...`: build the board's emulator firmware, boot it in QEMU, print what it logs
 * (trace events in sim's format, other lines as notes on stderr) and its boot figures.
 */
async function runOnEsp32(
  sdk: Sdk,
  board: string,
  file: string,
  values: { clips?: string | undefined; 'ring-menu'?: string | undefined; jsonl?: boolean | undefined },
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const tool = findEsp32Toolchain();
  if (typeof tool === 'string') {
    err(`ringdown device: ${tool}`);
    return 2;
  }
  const clipDir = findClipFolder(file, values.clips);
  const staged = stage(
    {
      menu: file,
      ...(values['ring-menu'] !== undefined ? { ringMenu: values['ring-menu'] } : {}),
      ...(clipDir !== undefined ? { clips: clipDir } : {}),
    },
    join(REPO_ROOT, 'build', 'ringdown', 'esp32', board, 'stage'),
  );
  err(
    `ringdown device: building the ${board} firmware for QEMU (Moddable SDK ${sdk.version ?? ''}, ESP-IDF ${tool.idfVersion ?? ''}, emulator profile)`,
  );
  const build = buildEsp32Emulator(sdk, tool, staged, board);
  if (!build.ok) {
    err(build.log.trimEnd());
    err('ringdown device: the build failed');
    return 1;
  }
  err(
    `ringdown device: ${board} in QEMU: no call is played (QEMU's ESP32 GPIO has no pin inputs, no I2S or ADC): the phone stays on-hook; trace and notes come through xsbug's log on UART0`,
  );
  const print =
    values.jsonl === true
      ? (e: object) => out(JSON.stringify(e))
      : (e: Parameters<typeof formatTraceLine>[0]) => out(formatTraceLine(e));
  const run = await runEsp32(tool, build, { onTrace: print, onNote: (line) => err(line) });
  if (typeof run === 'string') {
    err(`ringdown device: ${run}`);
    return 1;
  }
  const peak = (name: string): string => String(run.peaks.get(name) ?? '?');
  err(
    `ringdown device: menu loaded ${run.readyMs ?? '?'} ms (wall clock) after QEMU started, ${run.loginMs ?? '?'} ms to the XS login; XS peaks: chunks ${peak('Chunk used')} of ${peak('Chunk available')} bytes, slots ${peak('Slot used')} of ${peak('Slot available')} bytes, stack ${peak('Stack used')} of ${peak('Stack available')} bytes; system heap free ${run.samples.get('System bytes free') ?? '?'} bytes`,
  );
  if (run.problem !== undefined) {
    err(`ringdown device: ${run.problem}`);
    return 1;
  }
  return 0;
}

/** `--board pico-...`: build the Pico firmware, boot it in rp2040js, play the script at its pins. */
function runOnPico(
  sdk: Sdk,
  board: string,
  file: string,
  values: {
    events?: string | undefined;
    clips?: string | undefined;
    'ring-menu'?: string | undefined;
    jsonl?: boolean | undefined;
  },
  untilMs: number | undefined,
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  const setup = findPicoSetup();
  if (typeof setup === 'string') {
    err(`ringdown device: ${setup}`);
    return 2;
  }
  const events = parseEvents(values.events ?? 'offhook@0');
  if (typeof events === 'string') {
    err(`ringdown device: --events: ${events}`);
    return 2;
  }
  const clipDir = findClipFolder(file, values.clips);
  if (clipDir === undefined)
    err('ringdown device: warning: no clip folder (give --clips, or run ringdown clips): every Speak is skipped');
  const staged = stage(
    {
      menu: file,
      ...(values['ring-menu'] !== undefined ? { ringMenu: values['ring-menu'] } : {}),
      ...(clipDir !== undefined ? { clips: clipDir } : {}),
    },
    join(REPO_ROOT, 'build', 'ringdown', 'pico', board, 'stage'),
  );
  err(
    `ringdown device: building the ${board} firmware (Moddable SDK ${sdk.version ?? ''}, pico-sdk ${setup.pico.version ?? ''})`,
  );
  const build = buildPicoFirmware(sdk, setup, staged, board);
  if (!build.ok) {
    err(build.log.trimEnd());
    err('ringdown device: the build failed');
    return 1;
  }
  const print =
    values.jsonl === true
      ? (e: object) => out(JSON.stringify(e))
      : (e: Parameters<typeof formatTraceLine>[0]) => out(formatTraceLine(e));
  const started = Date.now();
  const run = playPico(setup, build, { events, ...(untilMs !== undefined ? { untilMs } : {}), onTrace: print });
  for (const note of run.notes) err(note);
  if (run.readyCycles !== undefined)
    err(
      `ringdown device: ready after ${run.readyCycles} cycles (${(run.readyCycles / 125e3).toFixed(1)} ms at 125 MHz); ${run.memory ?? ''}`,
    );
  err(
    `ringdown device: sound at the I2S data pin (script ms): ${run.sound.map(([a, b]) => `${a}-${b}`).join(', ') || 'none'}`,
  );
  if (run.rm.length > 0)
    err(`ringdown device: RM (ringing) changes: ${run.rm.map(([t, l]) => `${l ? 'on' : 'off'}@${t}`).join(' ')}`);
  err(
    `ringdown device: ${Math.round(run.emulatedMs)} ms emulated in ${Date.now() - started} ms (${Math.round(run.skippedMs)} ms of idle spin skipped); trace lines at most ${run.lagMs} ms behind their events`,
  );
  if (run.problem !== undefined) {
    err(`ringdown device: ${run.problem}`);
    return 1;
  }
  return 0;
}
