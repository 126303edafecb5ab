/**
 * The DTMF receiver's native filters (hal/drivers/dtmf-native.c) against its TypeScript reference
 * (`TS_DTMF_FILTERS`, src/dsp/dtmf-receiver.ts) on every file of the bench battery
 * (bench/dtmf/battery.ts): the C file compiled by the host's gcc (test/native-dtmf/harness.c)
 * gives every 32-sample block's energy and filter values bit for bit, and the receiver fed those
 * values finds the same keys at the same samples as the receiver alone. Skipped, with the reason,
 * without gcc or the battery's speech tools (espeak-ng, sox). The same comparison on XS, through
 * the Moddable module in the lin firmware: tools/native-dtmf-lane.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { battery } from '../bench/dtmf/battery.js';
import { DTMF_FILTER_BLOCK, DtmfDetector, TS_DTMF_FILTERS, dtmfFilterConstants, type DtmfFilters, type DtmfKeyEvent } from '../src/dsp/dtmf-receiver.js';
import { REPO_ROOT } from '../tools/xs/bundle.js';
import { needs } from './outside-tool.js';

const BLOCK = DTMF_FILTER_BLOCK;

/** Compiles the harness; its path, or the compiler's complaint. */
function compile(flags: string[]): { path: string } | { error: string } {
  const dir = join(REPO_ROOT, 'build', 'native-dtmf');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `harness${flags.join('').replace(/[^a-z0-9]/gi, '-')}`);
  const run = spawnSync('gcc', [...flags, '-std=c11', '-Wall', '-Wextra', '-Werror', '-o', path, join(REPO_ROOT, 'test', 'native-dtmf', 'harness.c'), '-lm'], { encoding: 'utf8' });
  return run.status === 0 ? { path } : { error: `${run.stdout}${run.stderr}` };
}

interface Blocks {
  energy: Float64Array;
  re: Float32Array;
  im: Float32Array;
}

/** Every whole block's numbers from the C harness. */
function native(harness: string, samples: Int16Array): Blocks {
  const { coef, cos, sin } = dtmfFilterConstants();
  const bins = coef.length;
  const header = Buffer.alloc(4);
  header.writeInt32LE(bins);
  const input = Buffer.concat([header, Buffer.from(coef.buffer), Buffer.from(cos.buffer), Buffer.from(sin.buffer), Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
  const run = spawnSync(harness, [], { input, maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`harness exited ${run.status}`);
  const blocks = Math.floor(samples.length / BLOCK);
  const size = 8 + 8 * bins;
  const out = run.stdout;
  if (out.length !== blocks * size) throw new Error(`harness wrote ${out.length} bytes, not ${blocks * size}`);
  const result: Blocks = { energy: new Float64Array(blocks), re: new Float32Array(blocks * bins), im: new Float32Array(blocks * bins) };
  for (let b = 0; b < blocks; b++) {
    result.energy[b] = out.readDoubleLE(b * size);
    for (let k = 0; k < bins; k++) {
      result.re[b * bins + k] = out.readFloatLE(b * size + 8 + 4 * k);
      result.im[b * bins + k] = out.readFloatLE(b * size + 8 + 4 * (bins + k));
    }
  }
  return result;
}

/** The same numbers from the TypeScript reference. */
function reference(samples: Int16Array): Blocks {
  const { coef, cos, sin } = dtmfFilterConstants();
  const bins = coef.length;
  const blocks = Math.floor(samples.length / BLOCK);
  const result: Blocks = { energy: new Float64Array(blocks), re: new Float32Array(blocks * bins), im: new Float32Array(blocks * bins) };
  const re = new Float32Array(bins);
  const im = new Float32Array(bins);
  for (let b = 0; b < blocks; b++) {
    result.energy[b] = TS_DTMF_FILTERS.energy(samples, b * BLOCK, BLOCK);
    TS_DTMF_FILTERS.goertzel(samples, b * BLOCK, BLOCK, coef, cos, sin, re, im, 1, 0);
    result.re.set(re, b * bins);
    result.im.set(im, b * bins);
  }
  return result;
}

/** Filters that hand the receiver recorded numbers: block n's for its n-th block (it asks in order). */
function replay(blocks: Blocks, bins: number): DtmfFilters {
  let block = -1;
  return {
    energy(src, at, count) {
      if (count !== BLOCK) throw new Error(`block of ${count}`);
      block++;
      return blocks.energy[block]!;
    },
    goertzel(src, at, count, coef, cos, sin, re, im, stride, slot) {
      for (let k = 0; k < bins; k++) {
        re[k * stride + slot] = blocks.re[block * bins + k]!;
        im[k * stride + slot] = blocks.im[block * bins + k]!;
      }
    },
  };
}

/** The keys the receiver finds, pushed in 256-sample blocks (an audio input's 32 ms). */
function keys(samples: Int16Array, filters?: DtmfFilters): string[] {
  const events: DtmfKeyEvent[] = [];
  const d = new DtmfDetector({ onKey: (e) => events.push(e), ...(filters !== undefined ? { filters } : {}) });
  for (let at = 0; at < samples.length; at += 256) d.push(samples, at, Math.min(256, samples.length - at));
  d.flush();
  return events.map((e) => `${e.key}${e.down ? 'v' : '^'}@${e.sample}`);
}

/** Index of the first difference of two arrays' bits, or -1. */
function firstDifference(a: Float32Array | Float64Array, b: Float32Array | Float64Array): number {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return -1;
}

t.test('the receiver through the DtmfFilters interface (TypeScript reference) finds what it finds alone', async (t) => {
  const conditions = battery(tmpdir()).filter((c) => c.samples.length < 8000 * 30);
  for (const c of conditions) t.same(keys(c.samples, TS_DTMF_FILTERS), keys(c.samples), c.name);
});

t.test('native filters (C by gcc) equal the TypeScript reference bit for bit and give the same keys, on every battery file', needs('gcc', 'espeak-ng', 'sox'), async (t) => {
  const bins = dtmfFilterConstants().coef.length;
  for (const flags of [['-O2'], ['-O3', '-march=native', '-ffp-contract=fast']]) {
    const harness = compile(flags);
    if ('error' in harness) {
      t.fail(`gcc ${flags.join(' ')}: ${harness.error}`);
      continue;
    }
    let blocks = 0;
    let keyEvents = 0;
    for (const c of battery(tmpdir())) {
      const got = native(harness.path, c.samples);
      const want = reference(c.samples);
      const where = [firstDifference(got.energy, want.energy), firstDifference(got.re, want.re), firstDifference(got.im, want.im)];
      t.same(where, [-1, -1, -1], `${c.name}: energy, re, im bit for bit (${flags.join(' ')})`);
      const alone = keys(c.samples);
      t.same(keys(c.samples, replay(got, bins)), alone, `${c.name}: same keys at the same samples (${alone.length / 2} keys)`);
      blocks += got.energy.length;
      keyEvents += alone.length;
    }
    t.ok(blocks > 8000 * 900 / BLOCK && keyEvents > 1000, `${blocks} blocks (${((blocks * BLOCK) / 8000).toFixed(0)} s), ${keyEvents} key events compared (${flags.join(' ')})`);
  }
});
