/**
 * The device's side of the link: reads frames from the port (src/link/frame.ts), answers each
 * request (src/link/protocol.ts) from the stores it is given, and sends the answer back. Pure:
 * it talks to interfaces only (the recordings, the call log's records, the menu slots, a clock),
 * and the board wires it to its serial port and tells it when a call starts and ends.
 *
 * During a call it answers nothing but STATUS (`busy`), and a call that starts during an upload
 * cancels it: the half-sent clip is discarded (an older one of its name is untouched), the staged
 * menu is left unswitched, and a NOTICE says so. An upload with no request for `idleMs` (the host
 * went away) is cancelled the same way. Nothing a frame says can make it throw: a store that fails
 * is answered with a `failed` error, and the upload in progress is dropped.
 */
import type { Clock, TimerHandle } from '../../hal/clock.js';
import type { RecordingArchive, RecordingInfo, RecordingStore, RecordingWriter } from '../../hal/recordings.js';
import { clipNameProblem } from '../clips/catalog.js';
import { crc32 } from '../checksum/crc32.js';
import { FrameReader, MAX_PAYLOAD, encodeFrame, type Frame } from './frame.js';
import type { MenuSlots, SlotStaging } from './menu-slots.js';
import {
  CHUNK_BYTES,
  CHUNK_SAMPLES,
  Kind,
  bytesSamples,
  encodeRecords,
  jsonPayload,
  readJson,
  sampleBytes,
  type ErrorCode,
  type LinkRecord,
} from './protocol.js';

/** The link's protocol version, in STATUS. */
export const LINK_VERSION = 1;

export type LinkRecordingInfo = RecordingInfo;

/** The recordings as the link reads and writes them (FlashRecordings on the device). */
export type LinkRecordings = RecordingStore & RecordingArchive;

export interface LinkServerOptions {
  clock: Clock;
  /** Sends one frame line to the port. */
  send(line: Uint8Array): void;
  recordings?: LinkRecordings;
  /** The call log's records, oldest first. */
  logRecords?: () => LinkRecord[];
  menus?: MenuSlots;
  /** Checks an uploaded package as boot would load it: undefined when good, else why not. */
  checkPackage?: (content: Uint8Array) => string | undefined;
  /** What STATUS reports besides the link's own state (board, menu running, limits, outputs). */
  status: () => Record<string, unknown>;
  /** Told after the link changed the recordings or switched the menu. */
  changed?: (what: 'recordings' | 'menu') => void;
  /** How long an upload may wait for its next request (default 15 s). */
  idleMs?: number;
}

type Upload =
  | {
      kind: 'clip';
      name: string;
      samples: number;
      crc: number;
      writer: RecordingWriter;
      received: number;
      running: number;
    }
  | { kind: 'menu'; bytes: number; crc: number; staging: SlotStaging };

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class LinkServer {
  readonly #options: LinkServerOptions;
  readonly #reader: FrameReader;
  #upload: Upload | undefined;
  #busy = false;
  #idle: TimerHandle | undefined;
  /** Frames answered and refused, for STATUS. */
  #counts = { frames: 0, bad: 0 };
  /**
   * The recordings as last listed: READ looks its id up here, not in a fresh list (listing scans
   * the whole store, and a pull asks for a recording a chunk at a time). Forgotten whenever the
   * recordings may have changed: a call (it may record), a clip kept or discarded, a DELETE.
   */
  #listed: LinkRecordingInfo[] | undefined;

  constructor(options: LinkServerOptions) {
    this.#options = options;
    this.#reader = new FrameReader({
      frame: (frame) => this.#request(frame),
      bad: (reason) => {
        this.#counts.bad++;
        this.#reply(0, Kind.ERROR, jsonPayload({ code: 'bad-frame', message: `bad frame: ${reason}` }));
      },
    });
  }

  /** Bytes that came in on the port. */
  receive(bytes: Uint8Array): void {
    this.#reader.push(bytes);
  }

  /** A call started (true) or ended (false): no link work during a call. */
  setBusy(busy: boolean): void {
    this.#busy = busy;
    this.#listed = undefined;
    if (busy) this.cancel('cancelled: a call started');
  }

  /**
   * Follows the phone's trace: a lifted handset or a ring makes the line busy, the phone back to
   * idle (or a ring that went unanswered) frees it.
   */
  observe(event: { type: string; reason?: string }): void {
    if (event.type === 'offhook' || event.type === 'ring') this.setBusy(true);
    else if (event.type === 'idle' || (event.type === 'ring-stop' && event.reason === 'bound')) this.setBusy(false);
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Whether an upload is in progress. */
  get transferring(): boolean {
    return this.#upload !== undefined;
  }

  /** Drops an upload in progress, with a NOTICE saying why. */
  cancel(reason: string): void {
    if (this.#upload === undefined) return;
    this.#drop();
    this.#reply(0, Kind.NOTICE, jsonPayload({ code: 'cancelled', message: reason }));
  }

  #drop(): void {
    const upload = this.#upload;
    this.#upload = undefined;
    this.#listed = undefined;
    if (this.#idle !== undefined) this.#options.clock.cancel(this.#idle);
    this.#idle = undefined;
    if (upload?.kind === 'clip') {
      try {
        upload.writer.discard();
      } catch {
        // A failing store: the clip was never closed, so it is not kept either way.
      }
    }
  }

  #reply(tag: number, kind: number, payload: Uint8Array): void {
    this.#options.send(encodeFrame({ kind, tag, payload }));
  }

  #request(frame: Frame): void {
    this.#counts.frames++;
    try {
      if (this.#busy && frame.kind !== Kind.STATUS)
        throw new Refusal('busy', 'a call is in progress; try again when the line is idle');
      const answer = this.#answer(frame);
      this.#reply(
        frame.tag,
        answer instanceof Uint8Array ? Kind.DATA : Kind.OK,
        answer instanceof Uint8Array ? answer : jsonPayload(answer),
      );
    } catch (e) {
      const refusal = e instanceof Refusal;
      // A store that failed mid-upload leaves it unusable: drop it (nothing half-made is kept).
      if (!refusal || e.code === 'failed') this.#drop();
      const code: ErrorCode = refusal ? e.code : 'failed';
      const message = e instanceof Error ? e.message : String(e);
      this.#reply(
        frame.tag,
        Kind.ERROR,
        jsonPayload({ code, message: refusal ? message : `the device failed: ${message}` }),
      );
    }
    if (this.#upload !== undefined) this.#armIdle();
  }

  #armIdle(): void {
    const clock = this.#options.clock;
    if (this.#idle !== undefined) clock.cancel(this.#idle);
    const ms = this.#options.idleMs ?? 15000;
    this.#idle = clock.schedule(ms, () => {
      this.#idle = undefined;
      this.cancel(`cancelled: no request for ${ms / 1000} s (the host went away)`);
    });
  }

  #recordings(): LinkRecordings {
    const r = this.#options.recordings;
    if (r === undefined) throw new Refusal('unsupported', 'this board has no recordings store');
    return r;
  }

  /** The recordings: as last listed, or (`fresh`, or none listed yet) listed again. */
  #list(fresh: boolean): LinkRecordingInfo[] {
    if (fresh || this.#listed === undefined) this.#listed = this.#recordings().recordings();
    return this.#listed;
  }

  #menus(): MenuSlots {
    const m = this.#options.menus;
    if (m === undefined) throw new Refusal('unsupported', 'this board has no flash region for an uploaded menu');
    return m;
  }

  #json(frame: Frame): Record<string, unknown> {
    const json = readJson(frame.payload);
    if (json === undefined) throw new Refusal('refused', 'the request is not a JSON object');
    return json;
  }

  #u32(frame: Frame, count: number): number[] {
    if (frame.payload.length < 4 * count)
      throw new Refusal('refused', `the request needs ${4 * count} bytes of numbers, it has ${frame.payload.length}`);
    const view = new DataView(frame.payload.buffer, frame.payload.byteOffset, frame.payload.byteLength);
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(view.getUint32(4 * i, true));
    return out;
  }

  #answer(frame: Frame): Record<string, unknown> | Uint8Array {
    switch (frame.kind) {
      case Kind.STATUS:
        return {
          ...this.#options.status(),
          link: LINK_VERSION,
          busy: this.#busy,
          upload: this.#upload?.kind ?? null,
          room: this.#options.recordings?.room() ?? null,
          menuCapacity: this.#options.menus?.capacity ?? null,
          frames: this.#counts.frames,
          badFrames: this.#counts.bad,
        };
      case Kind.LIST:
        // A board without a recordings store (the Pico has no audio input) has none to list, so a
        // pull still gets its call log; READ and DELETE are refused there.
        return { recordings: this.#options.recordings === undefined ? [] : this.#list(true) };
      case Kind.READ: {
        const [id, from, count] = this.#u32(frame, 3) as [number, number, number];
        const known = (fresh: boolean): boolean => this.#list(fresh).some((r) => r.id === id);
        if (!known(false) && !known(true)) throw new Refusal('refused', `no recording with id ${id}`);
        return sampleBytes(this.#recordings().readRange(id, from, Math.min(count, CHUNK_SAMPLES)));
      }
      case Kind.DELETE: {
        const name = this.#json(frame).name;
        if (typeof name !== 'string') throw new Refusal('refused', 'DELETE needs a name');
        this.#listed = undefined;
        const removed = this.#recordings().remove(name);
        if (removed) this.#options.changed?.('recordings');
        return { removed };
      }
      case Kind.LOG: {
        const [from] = this.#u32(frame, 1) as [number];
        const records = (this.#options.logRecords?.() ?? []).filter((r) => r.seq >= from);
        return encodeRecords(records, MAX_PAYLOAD);
      }
      case Kind.CLIP_BEGIN:
        return this.#clipBegin(this.#json(frame));
      case Kind.CLIP_DATA:
        return this.#clipData(frame);
      case Kind.CLIP_END:
        return this.#clipEnd();
      case Kind.MENU_BEGIN:
        return this.#menuBegin(this.#json(frame));
      case Kind.MENU_DATA:
        return this.#menuData(frame);
      case Kind.MENU_END:
        return this.#menuEnd();
      case Kind.MENU_BUILTIN: {
        if (this.#upload !== undefined) throw new Refusal('state', `an upload (${this.#upload.kind}) is in progress`);
        const staging = this.#menus().begin(0, 0);
        const problem = staging.commit();
        if (problem !== undefined) throw new Refusal('failed', problem);
        this.#options.changed?.('menu');
        return {};
      }
      case Kind.CANCEL:
        this.#drop();
        return {};
      default:
        throw new Refusal('unknown', `unknown request kind 0x${frame.kind.toString(16)}`);
    }
  }

  #clipBegin(json: Record<string, unknown>): Record<string, unknown> {
    const { name, samples, crc } = json;
    if (typeof name !== 'string' || clipNameProblem(name) !== undefined)
      throw new Refusal(
        'refused',
        `clip name ${JSON.stringify(name)} ${typeof name === 'string' ? clipNameProblem(name) : 'is missing'}`,
      );
    if (typeof samples !== 'number' || !Number.isInteger(samples) || samples <= 0)
      throw new Refusal('refused', 'CLIP_BEGIN needs samples > 0');
    if (typeof crc !== 'number' || !Number.isInteger(crc) || crc < 0 || crc > 0xffffffff)
      throw new Refusal('refused', 'CLIP_BEGIN needs a CRC-32');
    const store = this.#recordings();
    const room = store.room();
    if (samples > room)
      throw new Refusal('refused', `clip '${name}' has ${samples} samples; the device has room for ${room}`);
    this.#drop();
    this.#upload = { kind: 'clip', name, samples, crc, writer: store.open(name), received: 0, running: 0 };
    return {};
  }

  /**
   * A data chunk of an upload: its bytes, or undefined for a resend of a chunk already written
   * (answered again, nothing written). `unit` bytes make one counted item (a sample, a byte).
   */
  #chunk(frame: Frame, what: string, received: number, announced: number, unit: number): Uint8Array | undefined {
    const [offset] = this.#u32(frame, 1) as [number];
    const bytes = frame.payload.subarray(4);
    const max = unit === 2 ? CHUNK_SAMPLES * 2 : CHUNK_BYTES;
    if (bytes.length % unit !== 0 || bytes.length > max)
      throw new Refusal(
        'refused',
        `a ${what} chunk of ${bytes.length} bytes: expected a multiple of ${unit} up to ${max}`,
      );
    const n = bytes.length / unit;
    if (offset + n <= received && offset < received) return undefined;
    if (offset !== received) throw new Refusal('state', `expected the ${what}'s data from ${received}, got ${offset}`);
    if (received + n > announced) throw new Refusal('refused', `more than the ${announced} announced`);
    return bytes;
  }

  #clipData(frame: Frame): Record<string, unknown> {
    const upload = this.#upload;
    if (upload?.kind !== 'clip') throw new Refusal('state', 'no clip upload in progress');
    const bytes = this.#chunk(frame, 'clip', upload.received, upload.samples, 2);
    if (bytes === undefined) return { received: upload.received };
    const n = bytes.length / 2;
    upload.writer.append(bytesSamples(bytes));
    upload.running = crc32(bytes, 0, bytes.length, upload.running);
    upload.received += n;
    return { received: upload.received };
  }

  #clipEnd(): Record<string, unknown> {
    const upload = this.#upload;
    if (upload?.kind !== 'clip') throw new Refusal('state', 'no clip upload in progress');
    if (upload.received !== upload.samples || upload.running !== upload.crc) {
      const why =
        upload.received !== upload.samples
          ? `${upload.received} of ${upload.samples} samples came`
          : 'the samples do not match their CRC-32';
      this.#drop();
      throw new Refusal('refused', `clip '${upload.name}' not kept: ${why}`);
    }
    this.#upload = undefined;
    this.#listed = undefined;
    upload.writer.close();
    this.#options.changed?.('recordings');
    return { name: upload.name, samples: upload.samples };
  }

  #menuBegin(json: Record<string, unknown>): Record<string, unknown> {
    const { bytes, crc } = json;
    if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes <= 0)
      throw new Refusal('refused', 'MENU_BEGIN needs bytes > 0');
    if (typeof crc !== 'number' || !Number.isInteger(crc) || crc < 0 || crc > 0xffffffff)
      throw new Refusal('refused', 'MENU_BEGIN needs a CRC-32');
    const menus = this.#menus();
    if (bytes > menus.capacity)
      throw new Refusal(
        'refused',
        `the menu package has ${bytes} bytes; the device's menu slot holds ${menus.capacity}`,
      );
    this.#drop();
    this.#upload = { kind: 'menu', bytes, crc, staging: menus.begin(bytes, crc) };
    return {};
  }

  #menuData(frame: Frame): Record<string, unknown> {
    const upload = this.#upload;
    if (upload?.kind !== 'menu') throw new Refusal('state', 'no menu upload in progress');
    const bytes = this.#chunk(frame, 'menu', upload.staging.written, upload.bytes, 1);
    if (bytes !== undefined) upload.staging.write(bytes);
    return { received: upload.staging.written };
  }

  #menuEnd(): Record<string, unknown> {
    const upload = this.#upload;
    if (upload?.kind !== 'menu') throw new Refusal('state', 'no menu upload in progress');
    this.#upload = undefined;
    if (upload.staging.written !== upload.bytes)
      throw new Refusal('refused', `menu not switched: ${upload.staging.written} of ${upload.bytes} bytes came`);
    const content = upload.staging.content();
    if (crc32(content) !== upload.crc)
      throw new Refusal('refused', 'menu not switched: the bytes do not match their CRC-32');
    const problem = this.#options.checkPackage?.(content);
    if (problem !== undefined) throw new Refusal('refused', `menu not switched: ${problem}`);
    const failed = upload.staging.commit();
    if (failed !== undefined) throw new Refusal('failed', `menu not switched: ${failed}`);
    this.#options.changed?.('menu');
    return { crc: upload.crc };
  }
}
