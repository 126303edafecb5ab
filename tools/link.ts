/**
 * `ringdown pull`, `ringdown push` and `ringdown status`: the device link over its USB serial port
 * (src/link/; docs/link.md). Each command opens PORT, talks to the firmware one request at a time
 * and closes it; the firmware's trace lines that arrive meanwhile are shown with `--trace`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertToClip } from '../src/audio/convert.js';
import { deviceFormatProblem, encodeWav, readWavSamples } from '../src/audio/wav.js';
import { decodeEntry } from '../src/calllog/record.js';
import { clipName, clipSlug, plainRecord, type ClipCatalog } from '../src/clips/catalog.js';
import { Kind, bytesSamples, decodeRecords, u32s, type LinkRecord } from '../src/link/protocol.js';
import type { LinkRecordingInfo } from '../src/link/server.js';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import { DEFAULT_LIMITS, type MenuLimits } from '../src/ozml/limits.js';
import { walkCommands, type Menu } from '../src/ozml/menu.js';
import { decodeRecording, RECORDING_EXTENSIONS } from './clips/decode.js';
import { MAX_RECORDING_BYTES } from './clips.js';
import { LinkClient, LinkError, type LinkPort } from './link/client.js';
import { appendPart, readPart, removePart, resumePart, writeNewFile } from './link/safe-write.js';
import { listRecordings, readRecording, sendClip, sendMenu } from './link/transfer.js';
import { Command } from './command.js';
import { prepareFolder, writeOutput } from './output.js';
import { openSerialPort } from './link/serial-port.js';
import { escapeControls, formatEntry } from './log.js';
import { menuFailure, readMenuFile, readClipFolder } from './menu-file.js';
import { readRegularFile } from './read-file.js';

type Out = (line: string) => void;
/** How long to wait for an answer and how often to resend (the defaults suit a serial port). */
export type Timing = { timeoutMs?: number; retries?: number };
/** Opens PORT: the serial port, or (in tests) a pipe to a device in the same process. */
export type PortOpener = (path: string) => LinkPort | string;

const PORT_NOTE = `PORT is the board's serial port: /dev/ttyACM0 or /dev/ttyUSB0 for a board on USB, /dev/pts/N
for the lin firmware's pseudo-terminal (RINGDOWN_LINK). It is set to raw mode at 115200 baud.`;

const PORT = { name: 'PORT' };
const TRACE = {
  name: 'trace',
  type: 'boolean',
  description: "print the firmware's trace lines that arrive meanwhile",
} as const;

export const PULL = new Command({
  name: 'pull',
  summary: "get the device's recordings and call log over its serial port",
  description: `Gets the device's recordings (as 8 kHz WAVs) and its call log (calllog.txt) over the link.
Resumable: a recording cut off part-way goes on from where it stopped (DIR/.NAME.ID.part), and
one already fetched is not fetched again. Never overwrites: a file of the name that holds other
bytes is kept and the new one is written as NAME-1.wav, NAME-2.wav...

${PORT_NOTE}`,
  positionals: [PORT],
  options: [
    { name: 'out', type: 'string', value: 'DIR', default: 'recordings', description: 'where to write' },
    { name: 'delete', type: 'boolean', description: 'remove each recording from the device once it is written whole' },
    TRACE,
  ],
  exit: '0 ok, 1 something was refused or could not be written, 2 usage error or no device',
  examples: ['ringdown pull /dev/ttyACM0 --out guestbook'],
});

export const PUSH = new Command({
  name: 'push',
  summary: 'send a new menu and its clips to the device over its serial port',
  description: `Sends a new menu, with the clips it needs, to the device: the menu, the clip folder and every
clip are checked on the host before PORT is opened (a bad one exits 2 or 1 and the port is
never touched), the menu again with the device's own limits and outputs once it has said them,
then on the device with the same loader it boots with. Clips
(DIR/NAME.wav, .mp3, .ogg or .flac for each Speak of the menu; a WAV already 8 kHz 16-bit mono is
sent as it is, others are converted as \`ringdown clips\` does) are stored as recordings of their
name first; the menu switches only once it is whole and valid, and runs from the next call. A push
cut off at any point (a power cut, an unplugged cable) leaves the old menu running. With
--built-in and no menu: switch back to the menu the firmware was built with.

${PORT_NOTE}`,
  positionals: [PORT, { name: 'MENU.xml', optional: true }],
  options: [
    { name: 'clips', type: 'string', value: 'DIR', description: 'the clips (without it: clips/ beside the menu)' },
    { name: 'built-in', type: 'boolean', description: 'switch back to the menu the firmware was built with' },
    TRACE,
  ],
  exit: '0 accepted, 1 the menu has problems or the device refused it, 2 usage error or no device',
  examples: ['ringdown push /dev/ttyACM0 examples/guestbook.xml --clips examples/clips'],
});

export const STATUS = new Command({
  name: 'status',
  summary: 'what the device runs, over its serial port',
  description: `Prints what the device runs: its board, the menu (built in or uploaded, with its CRC-32), its
recordings and the room left, whether a call is in progress.

${PORT_NOTE}`,
  positionals: [PORT],
  options: [{ name: 'json', type: 'boolean', description: 'the status as the device sent it' }, TRACE],
  exit: '0 ok, 2 usage error or no device',
  examples: ['ringdown status /dev/ttyACM0'],
});

async function withClient(
  path: string,
  trace: boolean,
  out: Out,
  err: Out,
  open: PortOpener,
  timing: Timing,
  work: (client: LinkClient) => Promise<number>,
): Promise<number> {
  const port = open(path);
  if (typeof port === 'string') {
    err(port);
    return 2;
  }
  const client = new LinkClient(port, {
    ...timing,
    ...(trace ? { onText: (line: string) => out(`trace: ${escapeControls(line)}`) } : {}),
    onNotice: (_code, message) => err(`device: ${message}`),
  });
  try {
    return await work(client);
  } catch (e) {
    if (e instanceof LinkError) {
      err(`${path}: ${e.message}`);
      return e.code === 'timeout' ? 2 : 1;
    }
    throw e;
  } finally {
    client.close();
  }
}

function statusLines(status: Record<string, unknown>): string[] {
  const lines = [`board ${String(status.board ?? 'unknown')}, link version ${String(status.link)}`];
  lines.push(
    `menu ${String(status.menu ?? 'unknown')}${status.menuCrc !== undefined ? `, crc32 ${String(status.menuCrc)}` : ''}`,
  );
  if (typeof status.recordings === 'number')
    lines.push(
      `${status.recordings} recordings, room for ${typeof status.room === 'number' ? (status.room / 8000).toFixed(1) : '?'} s more`,
    );
  lines.push(status.busy === true ? 'a call is in progress' : 'idle');
  return lines;
}

export async function runStatus(
  argv: string[],
  out: Out,
  err: Out,
  open: PortOpener = openSerialPort,
  timing: Timing = {},
): Promise<number> {
  const args = STATUS.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values, positionals } = args;
  return withClient(positionals[0]!, values.trace === true, out, err, open, timing, async (client) => {
    const status = await client.json(Kind.STATUS);
    if (values.json === true) out(JSON.stringify(status));
    else for (const line of statusLines(status)) out(line);
    return 0;
  });
}

/** The record of what a pull already fetched in DIR: `NAME#ID#SAMPLES` → the file written. */
const PULLED = '.ringdown-pulled.json';

function readPulled(dir: string): Record<string, string> {
  const out = plainRecord<string>();
  const bytes = readRegularFile(join(dir, PULLED), 1024 * 1024, 'a pull record');
  if (!(bytes instanceof Uint8Array)) return out;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  } catch {
    // An unreadable record means nothing is known fetched: files already there are kept anyway.
  }
  return out;
}

/** What one recording's pull did: audio bytes read, and whether it failed (said already). */
interface Pulled {
  bytes: number;
  failed: boolean;
}

/**
 * Fetches one recording into DIR, resuming its part file, then writes it as a new WAV (never over
 * another file) and notes it in the pull record; with `remove`, deletes it on the device after.
 */
async function pullRecording(
  client: LinkClient,
  dir: string,
  r: LinkRecordingInfo,
  pulled: Record<string, string>,
  remove: boolean,
  out: Out,
  err: Out,
): Promise<Pulled> {
  const key = `${r.name}#${r.id}#${r.samples}`;
  if (/[/\\]/.test(r.name) || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(r.name)) {
    err(`${escapeControls(r.name)}: not a file name; not fetched`);
    return { bytes: 0, failed: true };
  }
  const done = pulled[key];
  if (done !== undefined && existsSync(join(dir, done))) {
    out(`${r.name}: already fetched as ${done}`);
    return { bytes: 0, failed: false };
  }
  const part = join(dir, `.${r.name}.${r.id}.part`);
  const have = resumePart(part, r.samples * 2);
  if (typeof have === 'string') {
    err(have);
    return { bytes: 0, failed: true };
  }
  let problem: string | undefined;
  const bytes = await readRecording(client, r, have / 2, (chunk) => {
    problem ??= appendPart(part, chunk);
  });
  const whole = problem ?? readPart(part);
  if (typeof whole === 'string') {
    err(whole);
    return { bytes, failed: true };
  }
  const written = writeNewFile(dir, `${r.name}.wav`, encodeWav(bytesSamples(whole)));
  if (written.kind === 'failed') {
    err(`${written.path}: ${written.message}`);
    return { bytes, failed: true };
  }
  removePart(part);
  const file = written.path.slice(dir.length + 1);
  pulled[key] = file;
  const noted = writeOutput(join(dir, PULLED), `${JSON.stringify(pulled, null, 1)}\n`, {
    command: 'pull',
    existing: 'replace',
  });
  if (noted !== undefined) err(noted);
  out(
    `${r.name}: ${(r.samples / 8000).toFixed(3)} s${r.complete ? '' : ' (unfinished: cut short on the device)'} ${written.kind === 'same' ? 'already in' : '->'} ${file}`,
  );
  if (remove) {
    const removed = await client.json(Kind.DELETE, { name: r.name });
    if (removed.removed === true) out(`${r.name}: removed from the device`);
  }
  return { bytes, failed: noted !== undefined };
}

/** Reads the whole call log a page at a time and writes it as DIR/calllog.txt; false when it could not be written. */
async function pullCallLog(client: LinkClient, dir: string, out: Out, err: Out): Promise<boolean> {
  const records: LinkRecord[] = [];
  for (let from = 0; ; ) {
    const page = decodeRecords(await client.data(Kind.LOG, u32s([from])));
    if (typeof page === 'string') throw new LinkError('failed', `call log: ${page}`);
    if (page.length === 0) break;
    records.push(...page);
    from = page[page.length - 1]!.seq + 1;
  }
  const text = records.map((r) => `${formatEntry({ seq: r.seq, entry: decodeEntry(r.payload) })}\n`).join('');
  const log = writeNewFile(dir, 'calllog.txt', new TextEncoder().encode(text));
  if (log.kind === 'failed') {
    err(`${log.path}: ${log.message}`);
    return false;
  }
  out(
    `call log: ${records.length} records ${log.kind === 'same' ? 'already in' : '->'} ${log.path.slice(dir.length + 1)}`,
  );
  return true;
}

export async function runPull(
  argv: string[],
  out: Out,
  err: Out,
  open: PortOpener = openSerialPort,
  timing: Timing = {},
): Promise<number> {
  const args = PULL.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values, positionals } = args;
  const dir = values.out ?? 'recordings';
  const folder = prepareFolder(dir, 'pull');
  if (folder !== undefined) {
    err(folder);
    return 1;
  }
  return withClient(positionals[0]!, values.trace === true, out, err, open, timing, async (client) => {
    let failed = false;
    const pulled = readPulled(dir);
    const recordings = await listRecordings(client);
    let bytes = 0;
    const started = Date.now();
    for (const r of recordings) {
      const one = await pullRecording(client, dir, r, pulled, values.delete === true, out, err);
      bytes += one.bytes;
      failed ||= one.failed;
    }
    const seconds = (Date.now() - started) / 1000;
    if (bytes > 0)
      out(
        `${bytes} bytes of audio in ${seconds.toFixed(1)} s (${Math.round(bytes / Math.max(seconds, 0.001))} bytes/s)`,
      );
    if (!(await pullCallLog(client, dir, out, err))) failed = true;
    out(`${recordings.length} recordings on the device`);
    return failed ? 1 : 0;
  });
}

/** The device's limits from its status (the loader's defaults for what it does not say). */
function statusLimits(status: Record<string, unknown>): Readonly<MenuLimits> {
  const given =
    typeof status.limits === 'object' && status.limits !== null ? (status.limits as Record<string, unknown>) : {};
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(limits) as (keyof MenuLimits)[])
    if (typeof given[key] === 'number') limits[key] = given[key];
  return limits;
}

/** The clip a Speak needs, by the folder's catalog (its `clip`, the catalog entry, else the text's slug). */
function neededClips(menu: Menu, catalog: ClipCatalog): Map<string, string | undefined> {
  const needs = new Map<string, string | undefined>();
  walkCommands(menu.commands, (c) => {
    if (c.kind !== 'speak' || c.callId !== undefined) return;
    const named = clipName(catalog, c.text, c.clip);
    needs.set(named ?? clipSlug(c.text), c.clip === undefined ? c.text : undefined);
  });
  return needs;
}

/** A clip file's samples at 8 kHz: a device-format WAV as it is, anything else converted. */
async function clipSamples(
  dir: string,
  name: string,
): Promise<{ path: string; samples: Int16Array } | { path: string; problem: string } | undefined> {
  for (const ext of RECORDING_EXTENSIONS) {
    const path = join(dir, `${name}.${ext}`);
    if (!existsSync(path)) continue;
    const bytes = readRegularFile(path, MAX_RECORDING_BYTES, 'a clip');
    if (!(bytes instanceof Uint8Array)) return { path, problem: bytes.problem };
    const wav = readWavSamples(bytes);
    if (typeof wav !== 'string' && deviceFormatProblem(wav.info) === undefined) return { path, samples: wav.samples };
    const pcm = await decodeRecording(bytes);
    if (typeof pcm === 'string') return { path, problem: pcm };
    return { path, samples: convertToClip(pcm, { highPassHz: 250, peakDbfs: -3, trimKeepMs: 100 }).samples };
  }
  return undefined;
}

/** A push's clips, read and converted: each clip's name, samples, and the Speak text it stands for (none for `clip=`). */
interface PushClip {
  name: string;
  samples: Int16Array;
  text: string | undefined;
}

/**
 * The menu and its clips as far as the host can check them: printed diagnostics and the exit
 * status (2 a file that cannot be read, 1 a menu or clip with errors), or the clips to send.
 */
async function readPush(
  menuPath: string,
  clipsGiven: string | undefined,
  out: Out,
  err: Out,
): Promise<{ clips: PushClip[] } | 1 | 2> {
  const loaded = readMenuFile(menuPath);
  for (const d of loaded.diagnostics) (d.severity === 'error' ? err : out)(formatDiagnostic(menuPath, d));
  const failure = menuFailure(loaded);
  if (failure !== undefined || loaded.menu === undefined) {
    err(`${menuPath}: not sent`);
    return failure ?? 1;
  }
  const clipDir = clipsGiven ?? join(menuPath, '..', 'clips');
  if (clipsGiven !== undefined && !existsSync(clipsGiven)) {
    err(`${clipsGiven}: clip folder does not exist`);
    return 2;
  }
  const folder = existsSync(clipDir) ? readClipFolder(clipDir) : undefined;
  let problems = 0;
  for (const p of folder?.problems ?? [])
    if (p.file.endsWith('catalog.json')) {
      err(`${p.file}: error: ${p.message}`);
      problems++;
    }
  const clips: PushClip[] = [];
  for (const [name, text] of neededClips(loaded.menu, folder?.catalog ?? { clips: {} })) {
    const clip = await clipSamples(clipDir, name);
    if (clip === undefined) continue;
    if ('problem' in clip) {
      err(`${clip.path}: error: ${clip.problem}`);
      problems++;
    } else clips.push({ name, samples: clip.samples, text });
  }
  if (problems > 0) {
    err(`${menuPath}: not sent: ${problems} problems with its clips`);
    return 1;
  }
  return { clips };
}

export async function runPush(
  argv: string[],
  out: Out,
  err: Out,
  open: PortOpener = openSerialPort,
  timing: Timing = {},
): Promise<number> {
  const args = PUSH.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values, positionals } = args;
  const builtIn = values['built-in'] === true;
  if (builtIn ? positionals.length !== 1 || values.clips !== undefined : positionals.length !== 2) {
    err(
      builtIn
        ? 'ringdown push: --built-in takes no MENU.xml and no --clips'
        : 'ringdown push: MENU.xml is missing (or give --built-in)',
    );
    return 2;
  }
  const [port, menuPath] = positionals as [string, string | undefined];
  if (builtIn)
    return withClient(port, values.trace === true, out, err, open, timing, async (client) => {
      await client.json(Kind.MENU_BUILTIN);
      out('the device runs its built-in menu from the next call on');
      return 0;
    });
  // Everything that can be checked without the device is, before PORT is opened: the menu (with
  // the loader's own limits; the device's may be tighter, checked once it has said them), the
  // clip folder and every clip the menu needs, converted.
  const ready = await readPush(menuPath!, values.clips, out, err);
  if (typeof ready === 'number') return ready;
  return withClient(port, values.trace === true, out, err, open, timing, async (client) => {
    const status = await client.json(Kind.STATUS);
    if (status.busy === true) {
      err(`${port}: a call is in progress; try again when the line is idle`);
      return 1;
    }
    const outputs = Array.isArray(status.outputs)
      ? status.outputs.filter((o): o is string => typeof o === 'string')
      : undefined;
    const loaded = readMenuFile(menuPath!, outputs, statusLimits(status));
    for (const d of loaded.diagnostics) if (d.severity === 'error') err(formatDiagnostic(menuPath!, d));
    if (loaded.menu === undefined || hasErrors(loaded.diagnostics)) {
      err(
        `${menuPath}: not sent: it does not load with the device's limits and outputs (board ${String(status.board ?? 'unknown')})`,
      );
      return 1;
    }
    const sent = plainRecord<string>();
    for (const clip of ready.clips) {
      await sendClip(client, clip.name, clip.samples);
      out(`${clip.name}: ${(clip.samples.length / 8000).toFixed(3)} s sent`);
      if (clip.text !== undefined) sent[clip.text] = clip.name;
    }
    const crc = await sendMenu(client, readFileSync(menuPath!), sent);
    out(
      `${menuPath}: accepted by the device (crc32 ${crc.toString(16).padStart(8, '0')}); it runs from the next call on`,
    );
    return 0;
  });
}
