/**
 * The host's side of the device link (src/link/protocol.ts): one request at a time over a byte
 * port, each answered by the frame with its tag. A request with no answer within `timeoutMs`, or
 * answered by the device's `bad-frame` error (it could not read ours), is sent again, up to
 * `retries` times; every request that changes something is safe to resend. Lines that are not
 * frames are the firmware's trace: they go to `onText`.
 */
import { FrameReader, encodeFrame, type Frame } from '../../src/link/frame.js';
import { Kind, jsonPayload, readJson } from '../../src/link/protocol.js';

/** A byte port: a serial device, a pseudo-terminal, or a pipe to an in-process device. */
export interface LinkPort {
  write(bytes: Uint8Array): void;
  /** Sets the one receiver of incoming bytes. */
  onData(receive: (bytes: Uint8Array) => void): void;
  close(): void;
}

export class LinkError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LinkClientOptions {
  timeoutMs?: number;
  retries?: number;
  onText?: (line: string) => void;
  /** A NOTICE from the device (a transfer cancelled by a call). */
  onNotice?: (code: string, message: string) => void;
}

interface Pending {
  tag: number;
  frame: Uint8Array;
  resolve(frame: Frame): void;
  reject(e: Error): void;
  tries: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class LinkClient {
  #tag = 0;
  #pending: Pending | undefined;
  readonly #reader: FrameReader;
  readonly #timeoutMs: number;
  readonly #retries: number;
  /** Bad frames the host received (the device's answer damaged on the way). */
  badFrames = 0;
  resends = 0;

  constructor(
    private readonly port: LinkPort,
    private readonly options: LinkClientOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#retries = options.retries ?? 4;
    this.#reader = new FrameReader({
      frame: (frame) => this.#received(frame),
      bad: () => {
        // A damaged answer: the timeout resends the request.
        this.badFrames++;
      },
      text: (line) => options.onText?.(new TextDecoder().decode(line)),
    });
    port.onData((bytes) => this.#reader.push(bytes));
  }

  #received(frame: Frame): void {
    if (frame.kind === Kind.NOTICE) {
      const json = readJson(frame.payload);
      this.options.onNotice?.(String(json?.code ?? ''), String(json?.message ?? ''));
      return;
    }
    const pending = this.#pending;
    if (pending === undefined) return;
    if (frame.kind === Kind.ERROR && frame.tag === 0) {
      const json = readJson(frame.payload);
      if (json?.code === 'bad-frame') return this.#send(pending);
    }
    if (frame.tag !== pending.tag) return;
    this.#settle();
    if (frame.kind === Kind.ERROR) {
      const json = readJson(frame.payload);
      pending.reject(new LinkError(String(json?.code ?? 'failed'), String(json?.message ?? 'the device refused')));
    } else pending.resolve(frame);
  }

  #settle(): void {
    const pending = this.#pending;
    if (pending?.timer !== undefined) clearTimeout(pending.timer);
    this.#pending = undefined;
  }

  #send(pending: Pending): void {
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    if (pending.tries > this.#retries) {
      this.#settle();
      pending.reject(
        new LinkError(
          'timeout',
          `no answer from the device after ${pending.tries} tries (is the firmware running and the port right?)`,
        ),
      );
      return;
    }
    if (pending.tries > 0) this.resends++;
    pending.tries++;
    pending.timer = setTimeout(() => this.#send(pending), this.#timeoutMs);
    this.port.write(pending.frame);
  }

  /** Sends a request and waits for its answer; rejects with LinkError for a refusal or no answer. */
  request(kind: number, payload: Uint8Array = new Uint8Array(0)): Promise<Frame> {
    if (this.#pending !== undefined) return Promise.reject(new Error('a request is already waiting'));
    this.#tag = (this.#tag % 255) + 1;
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        tag: this.#tag,
        frame: encodeFrame({ kind, tag: this.#tag, payload }),
        resolve,
        reject,
        tries: 0,
        timer: undefined,
      };
      this.#pending = pending;
      this.#send(pending);
    });
  }

  /** A request (a JSON body, or binary) whose answer is JSON. */
  async json(kind: number, body: unknown = {}): Promise<Record<string, unknown>> {
    const frame = await this.request(kind, body instanceof Uint8Array ? body : jsonPayload(body));
    const json = readJson(frame.payload);
    if (frame.kind !== Kind.OK || json === undefined)
      throw new LinkError('failed', 'the device answered with something other than JSON');
    return json;
  }

  /** A request whose answer is binary. */
  async data(kind: number, payload: Uint8Array): Promise<Uint8Array> {
    const frame = await this.request(kind, payload);
    if (frame.kind !== Kind.DATA) throw new LinkError('failed', 'the device answered without data');
    return frame.payload;
  }

  close(): void {
    const pending = this.#pending;
    this.#settle();
    pending?.reject(new LinkError('closed', 'the port was closed'));
    this.port.close();
  }
}
