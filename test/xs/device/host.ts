/**
 * The host side of the device entry on XS: stand-ins for the Moddable modules `main.ts` and the
 * `lin` board import (`Resource`, `mc/config`, `timer`, `time`), all on one virtual clock, and the
 * `trace` global collecting lines. The XS lane bundles `main.ts` with these in place of the SDK's.
 */
import { VirtualClock } from '../../../sim/virtual-clock.js';

declare const globalThis: {
  trace?: (text: string) => void;
  RINGDOWN_DEVICE?: { resources: Record<string, string>; config: Record<string, unknown>; clipMs: number };
};

export const clock = new VirtualClock();
export const traced: string[] = [];
globalThis.trace = (text: string) => {
  traced.push(text);
};

const device = globalThis.RINGDOWN_DEVICE;
if (device === undefined) throw new Error('RINGDOWN_DEVICE was not injected');
export const config = device.config;

/** A MAUD header (as wav2maud writes it) lasting `ms` at 8 kHz: every clip exists on this host. */
function maud(ms: number): ArrayBuffer {
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  bytes.set([0x6d, 0x61, 1, 16]);
  view.setUint16(4, 8000, true);
  bytes[6] = 1;
  bytes[7] = 1;
  view.setUint32(8, (ms * 8000) / 1000, true);
  return bytes.buffer;
}

/** The build's resources: the injected text files, and a MAUD clip for any name. */
export function resource(path: string): ArrayBuffer | undefined {
  if (path.endsWith('.maud')) return maud(device?.clipMs ?? 0);
  const text = device?.resources[path];
  return text === undefined ? undefined : (new TextEncoder().encode(text).buffer as ArrayBuffer);
}

declare const issueCommand: (message: ArrayBuffer) => ArrayBuffer;

/** Timer firings before a run is stopped as runaway. */
const MAX_FIRINGS = 100_000;

/**
 * Runs the virtual clock until nothing is pending, then sends the traced lines to the runner
 * through `issueCommand`. Called after `main.ts` has run (the lane's generated entry).
 */
export function finish(): void {
  let firings = 0;
  while (clock.step() && ++firings < MAX_FIRINGS) {
    // every timer the phone and the scripted caller set
  }
  issueCommand(new TextEncoder().encode(JSON.stringify({ firings, lines: traced })).buffer as ArrayBuffer);
}
