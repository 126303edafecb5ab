/**
 * The native DTMF filters on XS (the lin firmware's engine, built by the Moddable SDK): every file
 * of the bench battery through two receivers side by side, one with its TypeScript arithmetic and
 * one with drivers/dtmf-native/dtmf-native (C), in 256-sample blocks as an audio input delivers them.
 * Prints one JSON line per file (`native-dtmf: {...}`): both receivers' key events and the
 * milliseconds each spent in `push`, and those the arithmetic alone takes over every block (TypeScript's
 * `TS_DTMF_FILTERS` and the native ones, as if no block were quiet), then `native-dtmf: done`. tools/native-dtmf-lane.ts writes
 * the battery (RINGDOWN_DTMF_BATTERY: a folder with index.json and one raw 16-bit file each),
 * builds this app, runs it under mcsim and compares.
 */
import { File } from 'file';
import Time from 'time';
import { getenv } from '../../boards/lin/host-env.js';
import { nativeDtmfFilters } from '../../drivers/dtmf-native/dtmf-native.js';
import {
  DTMF_FILTER_BLOCK,
  DtmfDetector,
  TS_DTMF_FILTERS,
  dtmfFilterConstants,
  type DtmfFilters,
  type DtmfTaperWork,
} from '../../src/dsp/dtmf-detector.js';

interface Entry {
  name: string;
  file: string;
}

const BLOCK = 256;
/** Samples read from the file at a time (64 KB), each chunk timed through both receivers. */
const CHUNK = 32768;

function receiver(events: string[], filters?: DtmfFilters): DtmfDetector {
  return new DtmfDetector({
    onKey: (e) => events.push(`${e.key}${e.down ? 'v' : '^'}@${e.sample}`),
    ...(filters !== undefined ? { filters } : {}),
  });
}

function pushAll(d: DtmfDetector, samples: Int16Array): number {
  const t0 = Time.ticks;
  for (let at = 0; at < samples.length; at += BLOCK) d.push(samples, at, Math.min(BLOCK, samples.length - at));
  return Time.ticks - t0;
}

const constants = dtmfFilterConstants();
const bins = constants.coef.length;
const re = new Float32Array(bins * 5);
const im = new Float32Array(bins * 5);
const tap = new Float32Array(bins * 5).fill(1);
const work: DtmfTaperWork = {
  re,
  im,
  tapRe: tap,
  tapIm: tap,
  taps: 5,
  scale: 1,
  power: new Float32Array(bins),
  lastRe: new Float32Array(bins),
  lastIm: new Float32Array(bins),
  rotRe: constants.cos,
  rotIm: constants.sin,
  advRe: new Float64Array(bins),
  advIm: new Float64Array(bins),
  advanced: 8,
};

/** The arithmetic alone over every block of the samples (as if none were quiet; a window every two), in ms. */
function filtersAlone(filters: DtmfFilters, samples: Int16Array): number {
  const { coef, cos, sin } = constants;
  const t0 = Time.ticks;
  for (
    let at = 0, slot = 0;
    at + DTMF_FILTER_BLOCK <= samples.length;
    at += DTMF_FILTER_BLOCK, slot = slot === 4 ? 0 : slot + 1
  ) {
    filters.energy(samples, at, DTMF_FILTER_BLOCK);
    filters.goertzel(samples, at, DTMF_FILTER_BLOCK, coef, cos, sin, re, im, 5, slot);
    if ((at & DTMF_FILTER_BLOCK) !== 0) filters.taper(work, slot);
  }
  return Time.ticks - t0;
}

function run(dir: string): void {
  const index = JSON.parse(new File(`${dir}/index.json`).read(String)) as Entry[];
  for (const entry of index) {
    const file = new File(`${dir}/${entry.file}`);
    const ts: string[] = [];
    const native: string[] = [];
    const plain = receiver(ts);
    const fast = receiver(native, nativeDtmfFilters);
    let tsMs = 0;
    let nativeMs = 0;
    let filtersTsMs = 0;
    let filtersNativeMs = 0;
    let samples = 0;
    let chunk = 0;
    while (file.position < file.length) {
      const bytes = Math.min(CHUNK * 2, file.length - file.position);
      const block = new Int16Array(file.read(ArrayBuffer, bytes));
      samples += block.length;
      // Alternate which goes first, so neither always finds the samples in the cache.
      if (chunk++ % 2 === 0) {
        tsMs += pushAll(plain, block);
        nativeMs += pushAll(fast, block);
      } else {
        nativeMs += pushAll(fast, block);
        tsMs += pushAll(plain, block);
      }
      filtersTsMs += filtersAlone(TS_DTMF_FILTERS, block);
      filtersNativeMs += filtersAlone(nativeDtmfFilters, block);
    }
    file.close();
    plain.flush();
    fast.flush();
    trace(
      `native-dtmf: ${JSON.stringify({ name: entry.name, samples, ts, native, tsMs, nativeMs, filtersTsMs, filtersNativeMs })}\n`,
    );
  }
}

const dir = getenv('RINGDOWN_DTMF_BATTERY');
if (dir === undefined) trace('native-dtmf: error RINGDOWN_DTMF_BATTERY is not set\n');
else {
  try {
    run(dir);
  } catch (e) {
    trace(`native-dtmf: error ${e instanceof Error ? e.message : String(e)}\n`);
  }
}
trace('native-dtmf: done\n');
