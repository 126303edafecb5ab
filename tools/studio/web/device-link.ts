/**
 * The studio's "Send to device" and "Get recordings": the device link (docs/link.md) over the
 * browser's Web Serial, where it has one (Chromium-based browsers, on localhost or https); else
 * a note pointing to `ringdown push` and `ringdown pull`. The protocol is tools/link/web-serial.ts.
 */
import { LinkClient } from '../../link/client.js';
import { getRecordings, openWebSerial, sendMenuText, type WebSerialPort } from '../../link/web-serial.js';

interface Serial {
  requestPort(): Promise<WebSerialPort>;
}

/** Fills `host` with the two buttons (or the note); `menuText` is the menu being edited. */
export function mountDeviceLink(
  host: HTMLElement,
  menuText: () => string,
  save: (name: string, blob: Blob) => void,
): void {
  const serial = (navigator as unknown as { serial?: Serial }).serial;
  if (serial === undefined) {
    host.textContent = 'Device: no Web Serial in this browser; use ringdown push / ringdown pull';
    return;
  }
  const said = document.createElement('span');
  said.setAttribute('role', 'status');
  const run = async (work: (client: LinkClient) => Promise<string>): Promise<void> => {
    let port: WebSerialPort;
    try {
      port = await serial.requestPort();
    } catch {
      return; // no port chosen
    }
    let client: LinkClient | undefined;
    try {
      client = new LinkClient(await openWebSerial(port));
      said.textContent = await work(client);
    } catch (e) {
      said.textContent = `device: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      client?.close();
    }
  };
  const button = (label: string, work: (client: LinkClient) => Promise<string>): HTMLButtonElement => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', () => {
      b.disabled = true;
      void run(work).finally(() => {
        b.disabled = false;
      });
    });
    return b;
  };
  host.replaceChildren(
    button('Send to device', async (client) => {
      said.textContent = 'sending the menu...';
      const crc = await sendMenuText(client, menuText());
      return `the device runs this menu from the next call (crc32 ${crc.toString(16).padStart(8, '0')})`;
    }),
    button('Get recordings', async (client) => {
      const recordings = await getRecordings(client, (name) => {
        said.textContent = `getting ${name}...`;
      });
      for (const r of recordings) save(`${r.name}.wav`, new Blob([r.wav.slice().buffer], { type: 'audio/wav' }));
      return `${recordings.length} recordings`;
    }),
    said,
  );
}
