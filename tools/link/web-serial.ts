/**
 * The device link from a web page: a Web Serial port (`navigator.serial`, Chromium browsers) as
 * a LinkPort, and the two things the studio does with it: get the recordings as WAVs, and send
 * the menu being edited. No DOM or Node APIs beyond the streams both have, so the studio page
 * bundles it and a test drives it with a stand-in port.
 */
import { bytesSamples, Kind } from '../../src/link/protocol.js';
import { encodeWav } from '../../src/audio/wav.js';
import { LinkError, type LinkPort, type LinkClient } from './client.js';
import { listRecordings, readRecording, sendMenu } from './transfer.js';

/** A Web Serial port, as far as the link uses it. */
export interface WebSerialPort {
  open(options: { baudRate: number }): Promise<void>;
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  close(): Promise<void>;
}

/** Opens `port` (115200 baud, as `ringdown pull/push` set a tty) as a LinkPort. */
export async function openWebSerial(port: WebSerialPort): Promise<LinkPort> {
  await port.open({ baudRate: 115200 });
  if (port.readable === null || port.writable === null)
    throw new LinkError('failed', 'the port cannot be read or written');
  const reader = port.readable.getReader();
  const writer = port.writable.getWriter();
  let receive: ((bytes: Uint8Array) => void) | undefined;
  let open = true;
  const pump = async (): Promise<void> => {
    while (open) {
      const { value, done } = await reader.read();
      if (done) break;
      if (value !== undefined) receive?.(value);
    }
  };
  const pumping = pump().catch(() => undefined);
  return {
    // Writes queue on the writer in order; a failed one shows as a request without an answer.
    write: (bytes) => void writer.write(bytes).catch(() => undefined),
    onData: (r) => {
      receive = r;
    },
    close: () => {
      open = false;
      void reader
        .cancel()
        .catch(() => undefined)
        .then(() => pumping)
        .then(() => {
          reader.releaseLock();
          writer.releaseLock();
          return port.close();
        })
        .catch(() => undefined);
    },
  };
}

/** Every recording on the device, whole, as an 8 kHz WAV file's bytes. */
export async function getRecordings(
  client: LinkClient,
  progress: (name: string) => void = () => undefined,
): Promise<{ name: string; wav: Uint8Array }[]> {
  const out: { name: string; wav: Uint8Array }[] = [];
  for (const r of await listRecordings(client)) {
    progress(r.name);
    const chunks: Uint8Array[] = [];
    const bytes = await readRecording(client, r, 0, (chunk) => void chunks.push(chunk));
    const all = new Uint8Array(bytes);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    out.push({ name: r.name, wav: encodeWav(bytesSamples(all)) });
  }
  return out;
}

/**
 * Sends the menu being edited (its text, already checked by the page) with no clips of its own:
 * its Speaks play the device's clips and recordings of their names. Refused while a call is on.
 * Returns the menu's CRC-32, as the device's status names it.
 */
export async function sendMenuText(client: LinkClient, text: string): Promise<number> {
  const status = await client.json(Kind.STATUS);
  if (status.busy === true) throw new LinkError('busy', 'a call is in progress; try again when the line is idle');
  return sendMenu(client, new TextEncoder().encode(text), {});
}
