/**
 * The host board for the Moddable SDK's `lin` target (`mcconfig -m -p lin`; what
 * `ringdown device` builds and runs under `mcsim`): the real Moddable clock and timers, the
 * simulated SLIC, audio and outputs of sim, and a scripted caller.
 *
 * The call script comes at run time from the environment, so one firmware build serves every
 * script: `RINGDOWN_EVENTS` (the simulator's `WHAT@SECONDS` syntax), `RINGDOWN_CLIP_MS` (every
 * clip lasts that long, as with `ringdown sim --clip-ms`) and `RINGDOWN_UNTIL_MS` (end the run there).
 * Without them the manifest's `config.events` / `config.clipMs` apply (override on the mcconfig
 * command line: `mcconfig -m -p lin events="offhook@0 2@7"`).
 *
 * `<Record>` runs through the same core as on the simulator: `say:FILE@S` reads FILE (an 8 kHz
 * 16-bit mono WAV on the host, absolute path) with Moddable's `file` module when the event comes
 * and puts it on the board's audio input (sim/sim-audio-in.ts: the caller's audio placed
 * on the clock, 20 ms frames through the hal/audio-in.ts interface). The recordings go to
 * src/calllog/flash-recordings.ts over a flash image in a host file (drivers/file-storage/file-storage.ts):
 * `RINGDOWN_RECORDINGS` names the file, `RINGDOWN_RECORDINGS_BYTES` its size (default 4 MB);
 * without it the board has no recording store and Record is skipped with an error, as on a board
 * without one. A kept recording plays as the clip of its name, at its recorded length.
 *
 * With `RINGDOWN_AUDIO_OUT` (a folder), the sounds play through the ESP32 boards' player
 * (drivers/audioout-player: MAUD clips, sine tones, kept recordings streamed from the store in
 * blocks) on sim/sim-audio-out.ts, Moddable's AudioOut queue played on the clock (Moddable's lin
 * AudioOut is a stub that neither plays nor calls back); each sound's samples, as played up to its
 * end or its cut, go to a file of their own in that folder, `NNN-NAME.raw` (16-bit, numbered from
 * 001 in the order they start), for comparing with what the simulator plays. Without it, a clip
 * lasts its length on the clock (sim/sim-audio.ts) and nothing is rendered.
 *
 * The device link (src/link) is served on the tty `RINGDOWN_LINK` names, with the uploaded menu's
 * slots in the image file `RINGDOWN_MENUS` and the call log in `RINGDOWN_CALLLOG` (each 64 KB;
 * without the variable the board has none).
 *
 * Times in the trace count from the moment the script starts (the first trace line says when that
 * was on the firmware's clock), and the run ends like the simulator's: once every scripted event
 * has happened and nothing but waiting for the handset remains, the board traces `end`.
 */
import Serial from 'embedded:io/serial';
import { File } from 'file';
import Instrumentation from 'instrumentation';
import Resource from 'Resource';
import config from 'mc/config';
import type { AudioPlayer } from '../../hal/audio.js';
import type { Board } from '../../hal/board.js';
import type { Clock, TimerHandle } from '../../hal/clock.js';
import { ModdableClock } from '../../drivers/moddable-clock/moddable-clock.js';
import { FileStorage } from '../../drivers/file-storage/file-storage.js';
import { SerialLog, type SerialClass } from '../../drivers/serial-log/serial-log.js';
import type { HostPort } from '../../hal/host-port.js';
import type { ByteStore } from '../../hal/storage.js';
import { maudDurationMs } from '../../drivers/resource-clips/resource-clips.js';
import type { RecordingArchive, RecordingReader, RecordingStore } from '../../hal/recordings.js';
import { AudioOutPlayer, type AudioOutClass } from '../../drivers/audioout-player/audioout-player.js';
import type { Ringer } from '../../hal/ringer.js';
import { deviceFormatProblem, readWavSamples } from '../../src/audio/wav.js';
import { FlashRecordings } from '../../src/calllog/flash-recordings.js';
import { parseEvents } from '../../sim/events.js';
import { SimAudio } from '../../sim/sim-audio.js';
import { simAudioOut, type SimAudioOutPort } from '../../sim/sim-audio-out.js';
import { SimAudioInput } from '../../sim/sim-audio-in.js';
import { SimLineFeed } from '../../sim/sim-line.js';
import { SimOutputs } from '../../sim/sim-outputs.js';
import { getenv } from './host-env.js';
import { IdleClock } from './idle-clock.js';
import { LIN_LINK_PORT } from './link-port.js';
import { ScriptedCaller } from './scripted-caller.js';

const DEFAULT_EVENTS = 'offhook@0 2@7 onhook@20';
const DEFAULT_CLIP_MS = 2000;
/** The recordings image's size without `RINGDOWN_RECORDINGS_BYTES`: 4 MB, over 4 minutes of audio. */
const DEFAULT_RECORDINGS_BYTES = 4 * 1024 * 1024;

/** No bell on a desktop: ringing is only traced by the phone. */
const silentRinger: Ringer = { start: () => undefined, stop: () => undefined };

/** A MAUD header (as wav2maud writes it: 8 kHz, mono, 16-bit) for a stand-in clip `ms` long. */
function maudHeader(ms: number): Uint8Array {
  const samples = Math.round((ms * 8000) / 1000);
  return Uint8Array.of(
    0x6d,
    0x61,
    1,
    16,
    8000 & 0xff,
    8000 >> 8,
    1,
    0,
    samples & 0xff,
    (samples >> 8) & 0xff,
    (samples >> 16) & 0xff,
    samples >>> 24,
  );
}

/** The build's resources, or with a fixed clip length, a stand-in MAUD header for every clip. */
function resourceReader(fixedMs: number | undefined): (path: string) => Uint8Array | undefined {
  return (path) => {
    if (fixedMs !== undefined && path.endsWith('.maud')) return maudHeader(fixedMs);
    return Resource.exists(path) ? new Uint8Array(new Resource(path).slice(0)) : undefined;
  };
}

/**
 * The XS memory figures of an instrumented build (`INSTRUMENT=1`, see docs/xs.md): the stack's
 * high-water mark and the slot and chunk heaps in use, in bytes; undefined in other builds.
 */
function memoryNote(): string | undefined {
  const read = (name: 'XS Stack Used' | 'XS Slot Heap Used' | 'XS Chunk Heap Used'): number | undefined =>
    Instrumentation.get(Instrumentation.map(name));
  const stack = read('XS Stack Used');
  const slots = read('XS Slot Heap Used');
  const chunks = read('XS Chunk Heap Used');
  if (stack === undefined || slots === undefined || chunks === undefined) return undefined;
  return `ringdown: XS stack peak ${stack} bytes, slot heap ${slots} bytes, chunk heap ${chunks} bytes`;
}

/** A bounded whole number of ms from the environment or config; undefined when absent or bad. */
function milliseconds(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}

/** A bounded whole number of bytes from the environment; undefined when absent or bad. */
function bytes(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : undefined;
}

/**
 * The recordings in the image file `RINGDOWN_RECORDINGS` names, or none (traced when it cannot
 * open). The image is scanned once at boot and again only after a recording ends: a scan reads the
 * whole image, and done for every Speak (is its clip a recording?) it would make the firmware late.
 */
function openRecordings():
  | {
      store: RecordingStore;
      archive: RecordingArchive;
      reader: RecordingReader;
      recordedClipMs: (name: string) => number | undefined;
    }
  | undefined {
  const path = getenv('RINGDOWN_RECORDINGS');
  if (path === undefined || path === '') return undefined;
  let flash: FlashRecordings;
  try {
    flash = new FlashRecordings(
      new FileStorage({
        io: File,
        path,
        byteLength: bytes(getenv('RINGDOWN_RECORDINGS_BYTES')) ?? DEFAULT_RECORDINGS_BYTES,
      }),
    );
  } catch (e) {
    trace(`ringdown: RINGDOWN_RECORDINGS ${path}: ${e instanceof Error ? e.message : String(e)}; no recordings\n`);
    return undefined;
  }
  // Each kept recording's length in ms, as the simulator gives it (rounded from its samples).
  const scan = (): Map<string, number> => new Map(flash.recordings().map((r) => [r.name, Math.round(r.samples / 8)]));
  let kept = scan();
  // The room too is worked out at boot and after a recording ends (a Record asks before and after its beep).
  let room = flash.room();
  const rescan = (): void => {
    kept = scan();
    room = flash.room();
  };
  const store: RecordingStore = {
    list: () => [...kept.keys()],
    room: () => room,
    open: (name) => {
      const writer = flash.open(name);
      return {
        append: (samples) => writer.append(samples),
        flush: () => writer.flush(),
        close: () => {
          writer.close();
          rescan();
        },
        discard: () => {
          writer.discard();
          rescan();
        },
      };
    },
  };
  // The device link reads them back and may remove some: the lengths are worked out again after.
  const archive: RecordingArchive = {
    recordings: () => flash.recordings(),
    readRange: (id, from, count) => flash.readRange(id, from, count),
    remove: (name) => {
      const removed = flash.remove(name);
      rescan();
      return removed;
    },
  };
  return { store, archive, reader: flash, recordedClipMs: (name) => kept.get(name) };
}

/** A flash image in the host file the environment variable `name` gives (none without it; traced when it cannot open). */
function imageFile(name: string, byteLength: number): ByteStore | undefined {
  const path = getenv(name);
  if (path === undefined || path === '') return undefined;
  try {
    return new FileStorage({ io: File, path, byteLength });
  } catch (e) {
    trace(`ringdown: ${name} ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
    return undefined;
  }
}

/**
 * The device link's port (src/link): the tty `RINGDOWN_LINK` names (one end of a pseudo-terminal
 * pair; `ringdown pull/push/status` open the other), through Moddable's lin Serial. The trace
 * stays on the console; the port carries only the link's frames.
 */
function openHostPort(clock: Clock): HostPort | undefined {
  const device = getenv('RINGDOWN_LINK');
  if (device === undefined || device === '') return undefined;
  let serial: SerialLog;
  try {
    serial = new SerialLog({ io: Serial as unknown as SerialClass, clock, device, ...LIN_LINK_PORT });
  } catch (e) {
    trace(`ringdown: RINGDOWN_LINK ${device}: ${e instanceof Error ? e.message : String(e)}; no link\n`);
    return undefined;
  }
  const port: HostPort = {
    send: (line) => serial.write(line),
    onReceive: undefined,
  };
  serial.onReceive = (bytes) => port.onReceive?.(bytes);
  trace(`ringdown: link on ${device}\n`);
  return port;
}

/**
 * The ESP32 boards' player on the simulated AudioOut, each sound's samples written to `dir`
 * (see above). Its AudioOut keeps time on the firmware's own clock (`base`), outside the idle
 * count: a tone loops for ever and must not keep the run from ending. A clip playing holds the
 * idle clock instead (a timer far away), as the simulated player's clip timer does.
 */
function renderingPlayer(options: {
  dir: string;
  base: Clock;
  clock: Clock;
  clip: (name: string) => Uint8Array;
  recordings: RecordingReader | undefined;
}): AudioPlayer & { endRun(): void } {
  const { clock } = options;
  let sounds = 0;
  let file: File | undefined;
  let port: SimAudioOutPort | undefined;
  const io = simAudioOut({
    clock: options.base,
    onPlayed: (samples) => file?.write(samples.slice().buffer),
    onOpen: (opened) => (port = opened),
  });
  const player = new AudioOutPlayer({
    io: io as unknown as AudioOutClass,
    clock,
    clip: (name) => {
      // AudioOut holds on to memory the collector never moves, as a flash resource is.
      const bytes = options.clip(name);
      const fixed = new Uint8Array(new SharedArrayBuffer(bytes.length));
      fixed.set(bytes);
      return fixed;
    },
    ...(options.recordings !== undefined ? { recordings: options.recordings } : {}),
  });
  let hold: TimerHandle | undefined;
  const release = (): void => {
    if (hold === undefined) return;
    clock.cancel(hold);
    hold = undefined;
    // A timer of its own, so the idle clock looks again at what is left.
    clock.schedule(0, () => undefined);
  };
  // The sound just started gets the samples from here on; the one it replaced had its last
  // samples written when the player flushed it.
  const next = (name: string | undefined): void => {
    file?.close();
    file =
      name === undefined
        ? undefined
        : new File(`${options.dir}/${String(++sounds).padStart(3, '0')}-${name}.raw`, true);
  };
  return {
    play: (clip, onEnd) => {
      release();
      hold = clock.schedule(24 * 3600 * 1000, () => undefined);
      player.play(clip, () => {
        release();
        onEnd();
      });
      next(clip);
    },
    playTone: (tone) => {
      release();
      player.playTone(tone);
      next(tone.name);
    },
    stop: () => {
      release();
      player.stop();
      next(undefined);
    },
    // The run has ended: the sound playing keeps what it played up to now, and nothing after.
    endRun: () => {
      port?.settle();
      next(undefined);
    },
  };
}

/** The samples of an 8 kHz 16-bit mono WAV on the host, or why there are none. */
function readVoice(path: string): Int16Array | string {
  let buffer: ArrayBuffer;
  try {
    const file = new File(path);
    buffer = file.length > 0 ? file.read(ArrayBuffer) : new ArrayBuffer(0);
    file.close();
  } catch (e) {
    return `cannot read the file (${e instanceof Error ? e.message : String(e)})`;
  }
  const wav = readWavSamples(new Uint8Array(buffer));
  if (typeof wav === 'string') return wav;
  return deviceFormatProblem(wav.info) ?? wav.samples;
}

/** The board clock, counted from `zero` (the script's start) so traces line up with `ringdown sim`. */
class ShiftedClock implements Clock {
  zero = 0;
  constructor(private readonly clock: Clock) {}
  now(): number {
    return this.clock.now() - this.zero;
  }
  schedule(ms: number, callback: () => void): TimerHandle {
    return this.clock.schedule(ms, callback);
  }
  cancel(handle: TimerHandle): void {
    this.clock.cancel(handle);
  }
}

export function createBoard(): Board {
  const base = new ModdableClock();
  const idle = new IdleClock(base);
  const clock = new ShiftedClock(idle);
  const caller = new ScriptedCaller(clock);
  const script = getenv('RINGDOWN_EVENTS') ?? (typeof config.events === 'string' ? config.events : DEFAULT_EVENTS);
  // RINGDOWN_CLIP_MS: every clip lasts that long (`ringdown sim --clip-ms`); otherwise a clip
  // lasts as long as its MAUD resource, and one the build lacks config.clipMs.
  const fixedMs = milliseconds(getenv('RINGDOWN_CLIP_MS'));
  const clipMs = fixedMs ?? milliseconds(config.clipMs) ?? DEFAULT_CLIP_MS;
  const resources = resourceReader(fixedMs);
  const recordings = openRecordings();
  const clipLength = (clip: string): number | undefined => {
    const recorded = recordings?.recordedClipMs(clip);
    if (recorded !== undefined) return recorded;
    const bytes = resources(`${clip}.maud`);
    return bytes === undefined ? undefined : maudDurationMs(bytes.subarray(0, 12));
  };
  const audioIn = new SimAudioInput(clock);
  caller.onSay = (file) => {
    const voice = readVoice(file);
    if (typeof voice !== 'string') return audioIn.say(voice);
    trace(`ringdown: say:${file}: ${voice}\n`);
    // As the simulator traces a say: it has no audio for.
    trace(`${JSON.stringify({ t: clock.now(), type: 'error', message: `no audio for say:${file}` })}\n`);
  };
  const audioDir = getenv('RINGDOWN_AUDIO_OUT');
  const audio: AudioPlayer & { endRun?: () => void } =
    audioDir !== undefined && audioDir !== ''
      ? renderingPlayer({
          dir: audioDir,
          base,
          clock,
          clip: (name) => resources(`${name}.maud`) ?? maudHeader(clipMs),
          recordings: recordings?.reader,
        })
      : new SimAudio(clock, (clip) => clipLength(clip) ?? clipMs);
  const hostPort = openHostPort(base);
  // The uploaded menu's two slots (64 KB) and the call log (64 KB), each in a host file when named.
  const menuStorage = imageFile('RINGDOWN_MENUS', 64 * 1024);
  const storage = imageFile('RINGDOWN_CALLLOG', 64 * 1024);
  const untilMs = milliseconds(getenv('RINGDOWN_UNTIL_MS'));
  const events = parseEvents(script);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    audio.endRun?.();
    const memory = memoryNote();
    if (memory !== undefined) trace(`${memory}\n`);
    trace(`${JSON.stringify({ t: clock.now(), type: 'end' })}\n`);
  };
  if (typeof events === 'string') trace(`ringdown: RINGDOWN_EVENTS/config.events: ${events}\n`);
  else {
    // Started once the entry has loaded the menu: the first timer runs after that turn, but reads
    // its due time, from before the load; the script starts from a timer due at the real time.
    const start = (): void => {
      clock.zero = base.now();
      trace(`ringdown: caller script starts at ${clock.zero} ms\n`);
      // Like the simulator: with an end time the run lasts exactly that long, else until idle.
      if (untilMs !== undefined) base.schedule(untilMs, end);
      else idle.onIdle = end;
      caller.play(events);
    };
    base.schedule(0, () => base.schedule(Math.max(0, base.ticks() - base.now()), start));
  }
  return {
    clock,
    audio,
    line: new SimLineFeed(clock),
    hook: caller,
    dtmf: caller,
    ringer: silentRinger,
    outputs: new SimOutputs(clock),
    bell: caller.bell,
    resources,
    audioIn,
    ...(recordings !== undefined
      ? {
          recordings: recordings.store,
          recordingArchive: recordings.archive,
          recordedClipMs: recordings.recordedClipMs,
        }
      : {}),
    ...(hostPort !== undefined ? { hostPort } : {}),
    ...(menuStorage !== undefined ? { menuStorage } : {}),
    ...(storage !== undefined ? { storage } : {}),
  };
}
