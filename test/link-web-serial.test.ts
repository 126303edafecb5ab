/**
 * The studio's device link (tools/link/web-serial.ts) over a stand-in Web Serial port wired to an
 * in-process device: the recordings come off as the CLI's do, the edited menu switches, a menu
 * the device refuses says why, and the port is closed after.
 */
import t from 'tap';
import { callerVoice } from '../sim/test-voice.js';
import { encodeWav } from '../src/audio/wav.js';
import { LinkClient } from '../tools/link/client.js';
import { getRecordings, openWebSerial, sendMenuText, type WebSerialPort } from '../tools/link/web-serial.js';
import { blankStores, TestDevice } from './link-harness.js';

function webSerial(device: TestDevice): { port: WebSerialPort; state: { baud: number; closed: boolean } } {
  const inner = device.port();
  const state = { baud: 0, closed: false };
  const port: WebSerialPort = {
    open: async (options) => {
      state.baud = options.baudRate;
    },
    readable: new ReadableStream<Uint8Array>({ start: (c) => inner.onData((bytes) => c.enqueue(bytes)) }),
    writable: new WritableStream<Uint8Array>({ write: (chunk) => inner.write(chunk) }),
    close: async () => {
      state.closed = true;
    },
  };
  return { port, state };
}

t.test('studio link over Web Serial: get the recordings, send the menu', async (t) => {
  const device = new TestDevice(blankStores());
  const voice = callerVoice(2);
  const w = device.recordings.open('guest-1');
  w.append(voice);
  w.close();
  const { port, state } = webSerial(device);
  const client = new LinkClient(await openWebSerial(port), { timeoutMs: 500 });
  t.equal(state.baud, 115200);
  const got = await getRecordings(client);
  t.same(
    got.map((r) => r.name),
    ['guest-1'],
  );
  t.same(Buffer.from(got[0]!.wav), Buffer.from(encodeWav(voice)), 'the WAV is the recording, byte for byte');
  const menu = '<Response>\n  <Speak clip="guest-1">The last message.</Speak>\n  <Hangup/>\n</Response>\n';
  const crc = await sendMenuText(client, menu);
  t.same(device.changes, ['menu'], 'the device switched its menu');
  t.equal(device.menus.active() !== undefined, true);
  t.match(crc.toString(16), /^[0-9a-f]+$/);
  await t.rejects(sendMenuText(client, '<Response><Nonsense/></Response>'), {
    code: 'refused',
    message: /menu not switched: uploaded menu.xml:1:11: error/,
  });
  client.close();
  await new Promise((r) => setTimeout(r, 50));
  t.ok(state.closed, 'the port is closed');
});
