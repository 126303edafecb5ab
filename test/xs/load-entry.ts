/**
 * XS side of the cross-engine parser check: loads every document of `globalThis.RINGDOWN_DOCS`
 * with loadMenu on the XS engine and sends each result (or what it threw) back through
 * `issueCommand` as one JSON message, for the Node side to compare with its own.
 */
import { loadMenu } from '../../src/ozml/load.js';

declare const issueCommand: (message: ArrayBuffer) => ArrayBuffer;
declare const globalThis: { RINGDOWN_DOCS?: readonly string[] };

function send(message: object): void {
  const bytes = new TextEncoder().encode(JSON.stringify(message));
  issueCommand(bytes.buffer as ArrayBuffer);
}

(globalThis.RINGDOWN_DOCS ?? []).forEach((doc, index) => {
  try {
    send({ index, result: JSON.stringify(loadMenu(doc)) });
  } catch (error) {
    send({ index, error: String(error) });
  }
});
