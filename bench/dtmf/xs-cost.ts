/**
 * Our receiver's cost on XS (xsnap-worker, Moddable's engine): the `compute` meter per second of
 * audio, each signal one crank pushing 160-sample blocks (20 ms, as an audio input delivers them),
 * less an empty crank's; and the heap slots each crank leaves after a `gc()` before it (no
 * allocation per block: silence and noise leave none; keys leave their events).
 */
import { bundleForXs } from '../../test/xs/bundle.js';
import { XsWorker, type XsResult } from '../../test/xs/xsnap.js';

const ENTRY = `
import { DtmfDetector } from './src/dsp/dtmf-detector.js';
import { dtmfPairRms, renderDtmf, whiteNoise } from './src/dsp/dtmf-signal.js';
const signals = {
  keys: renderDtmf('123A456B789C*0#D'.repeat(2), { toneMs: 100, gapMs: 100 }).samples,
  noise: Int16Array.from(whiteNoise(8000 * 5, dtmfPairRms(-20), 3), (v) => Math.round(v)),
  silence: new Int16Array(8000 * 5),
};
const found = [];
const detector = new DtmfDetector({ onKey: (e) => { if (e.down) found.push(e.key); } });
globalThis.dtmfRun = (name) => {
  const samples = signals[name];
  found.length = 0;
  for (let at = 0; at < samples.length; at += 160) detector.push(samples, at, Math.min(160, samples.length - at));
  detector.flush();
  print(name + ' ' + found.length + ' ' + samples.length / 8000);
};
`;

export interface XsSignalCost {
  signal: string;
  computePerSecond: number;
  keys: number;
  heapSlots: number;
  /** Wall time per second of audio on this computer's XS (ms; one run, the empty crank's time taken off). */
  msPerSecond: number;
}

function check(result: XsResult, what: string): XsResult {
  if (!result.ok) throw new Error(`XS failed in ${what}: ${result.error ?? 'unknown error'}`);
  return result;
}

/** Compute per second of audio for 32 keys with pauses, line noise at -20 dBm0, and silence. */
export async function xsCost(): Promise<XsSignalCost[] | string> {
  let xs: XsWorker;
  try {
    xs = new XsWorker({ meteringLimit: 1e10 });
  } catch (e) {
    return `not measured (${e instanceof Error ? e.message : String(e)})`;
  }
  try {
    check(await xs.evaluate(await bundleForXs({ entry: { contents: ENTRY } })), 'loading the receiver');
    const e0 = process.hrtime.bigint();
    const empty = check(await xs.evaluate('undefined'), 'empty crank').meters.compute;
    const emptyMs = Number(process.hrtime.bigint() - e0) / 1e6;
    const costs: XsSignalCost[] = [];
    for (const signal of ['keys', 'noise', 'silence']) {
      const before = check(await xs.evaluate('gc()'), 'gc').meters.currentHeapCount;
      const t0 = process.hrtime.bigint();
      const run = check(await xs.evaluate(`dtmfRun(${JSON.stringify(signal)})`), signal);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6 - emptyMs;
      const line = run.prints.find((p) => p.startsWith(`${signal} `)) ?? '';
      const [, keys = 'NaN', seconds = 'NaN'] = line.split(' ');
      costs.push({
        signal,
        computePerSecond: (run.meters.compute - empty) / Number(seconds),
        keys: Number(keys),
        heapSlots: run.meters.currentHeapCount - before,
        msPerSecond: ms / Number(seconds),
      });
    }
    return costs;
  } catch (e) {
    return `not measured (${e instanceof Error ? e.message : String(e)})`;
  } finally {
    await xs.close();
  }
}
