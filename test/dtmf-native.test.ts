/**
 * The DTMF receiver's native filters (drivers/dtmf-native/dtmf-native.c) against its TypeScript reference
 * (`TS_DTMF_FILTERS`, src/dsp/dtmf-filters.ts) on every file of the bench battery
 * (test/dtmf/battery.ts): the receiver runs with the reference, every call it makes (energy,
 * Goertzel filters, window) is logged with its arguments and results, and the same C file compiled
 * by the host's gcc (test/native-dtmf/harness.c) replays the log: every result bit for bit. Equal
 * results give equal decisions, so equal keys at equal samples; the lin lane
 * (test/lanes/native-dtmf-lane.ts) checks the keys themselves, through the Moddable module on XS.
 * Skipped, with the reason, without gcc or the battery's speech tools (espeak-ng, sox).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { battery } from './dtmf/battery.js';
import {
  DtmfDetector,
  TS_DTMF_FILTERS,
  type DtmfFilters,
  type DtmfKeyEvent,
  type DtmfTaperWork,
} from '../src/dsp/dtmf-detector.js';
import { REPO_ROOT } from './xs/bundle.js';
import { needs } from './outside-tool.js';

/** Compiles the harness; its path, or the compiler's complaint. */
function compile(flags: string[]): { path: string } | { error: string } {
  const dir = join(REPO_ROOT, 'build', 'native-dtmf');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `harness${flags.join('').replace(/[^a-z0-9]/gi, '-')}`);
  const run = spawnSync(
    'gcc',
    [
      ...flags,
      '-std=c11',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-o',
      path,
      join(REPO_ROOT, 'test', 'native-dtmf', 'harness.c'),
    ],
    { encoding: 'utf8' },
  );
  return run.status === 0 ? { path } : { error: `${run.stdout}${run.stderr}` };
}

/** A growing little-endian byte log. */
class Log {
  buffer = Buffer.alloc(1 << 20);
  length = 0;
  #room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const bigger = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + n));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
  tag(c: string): void {
    this.#room(1);
    this.buffer[this.length++] = c.charCodeAt(0);
  }
  int(v: number): void {
    this.#room(4);
    this.length = this.buffer.writeInt32LE(v, this.length);
  }
  double(v: number): void {
    this.#room(8);
    this.length = this.buffer.writeDoubleLE(v, this.length);
  }
  view(v: ArrayBufferView): void {
    this.#room(v.byteLength);
    this.buffer.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), this.length);
    this.length += v.byteLength;
  }
}

/** `TS_DTMF_FILTERS`, logging every call in the harness's format. */
class Recorder implements DtmfFilters {
  readonly log = new Log();
  constants: Float32Array[] = [];
  tap: Float32Array[] = [];
  rot: Float32Array[] = [];
  taps = 5;
  energy(src: Int16Array, at: number, count: number): number {
    const e = TS_DTMF_FILTERS.energy(src, at, count);
    this.log.tag('E');
    this.log.int(count);
    this.log.view(src.subarray(at, at + count));
    this.log.double(e);
    return e;
  }
  goertzel(
    src: Int16Array,
    at: number,
    count: number,
    coef: Float32Array,
    cos: Float32Array,
    sin: Float32Array,
    re: Float32Array,
    im: Float32Array,
    stride: number,
    slot: number,
  ): void {
    TS_DTMF_FILTERS.goertzel(src, at, count, coef, cos, sin, re, im, stride, slot);
    this.constants = [coef, cos, sin];
    this.log.tag('G');
    this.log.int(count);
    this.log.view(src.subarray(at, at + count));
    for (const values of [re, im])
      this.log.view(Float32Array.from({ length: coef.length }, (_, k) => values[k * stride + slot]!));
  }
  taper(work: DtmfTaperWork, first: number): void {
    const { re, im, tapRe, tapIm, taps, scale, power, lastRe, lastIm, rotRe, rotIm, advRe, advIm, advanced } = work;
    this.tap = [tapRe, tapIm];
    this.rot = [rotRe, rotIm];
    this.taps = taps;
    this.log.tag('W');
    this.log.int(first);
    this.log.int(advanced);
    this.log.double(scale);
    for (const v of [re, im, lastRe, lastIm]) this.log.view(v);
    TS_DTMF_FILTERS.taper(work, first);
    for (const v of [power, lastRe, lastIm]) this.log.view(v);
    this.log.view(advRe.subarray(0, advanced));
    this.log.view(advIm.subarray(0, advanced));
  }
  /** The whole log, its header first. */
  bytes(): Buffer {
    const bins = this.constants[0]?.length ?? this.tap[0]!.length / this.taps;
    const head = new Log();
    head.int(bins);
    head.int(this.taps);
    for (const v of this.constants.length > 0 ? this.constants : [0, 1, 2].map(() => new Float32Array(bins)))
      head.view(v);
    for (const v of this.tap.length > 0 ? this.tap : [0, 1].map(() => new Float32Array(bins * this.taps))) head.view(v);
    for (const v of this.rot.length > 0 ? this.rot : [0, 1].map(() => new Float32Array(bins))) head.view(v);
    return Buffer.concat([head.buffer.subarray(0, head.length), this.log.buffer.subarray(0, this.log.length)]);
  }
}

/** The keys the receiver finds, pushed in 256-sample blocks (an audio input's 32 ms). */
function keys(samples: Int16Array, filters?: DtmfFilters): string[] {
  const events: DtmfKeyEvent[] = [];
  const d = new DtmfDetector({ onKey: (e) => events.push(e), ...(filters !== undefined ? { filters } : {}) });
  for (let at = 0; at < samples.length; at += 256) d.push(samples, at, Math.min(256, samples.length - at));
  d.flush();
  return events.map((e) => `${e.key}${e.down ? 'v' : '^'}@${e.sample}`);
}

t.test(
  'native filters (C by gcc) give every result of every call the receiver makes on every battery file, bit for bit',
  needs('gcc', 'espeak-ng', 'sox'),
  async (t) => {
    const conditions = battery(tmpdir());
    for (const flags of [['-O2'], ['-O3', '-march=native', '-ffp-contract=fast']]) {
      const harness = compile(flags);
      if ('error' in harness) {
        t.fail(`gcc ${flags.join(' ')}: ${harness.error}`);
        continue;
      }
      const calls = [0, 0, 0];
      for (const c of conditions) {
        const recorder = new Recorder();
        const found = keys(c.samples, recorder);
        t.same(found, keys(c.samples), `${c.name}: the recording receiver finds what the receiver finds`);
        const run = spawnSync(harness.path, [], { input: recorder.bytes(), encoding: 'utf8', maxBuffer: 1 << 20 });
        const m = /calls (\d+) (\d+) (\d+), mismatches (\d+)/.exec(run.stdout ?? '');
        t.ok(
          run.status === 0 && m !== null && m[4] === '0',
          `${c.name}: ${(run.stdout ?? '').trim().replace(/\n/g, '; ')} (${found.length / 2} keys; gcc ${flags.join(' ')})`,
        );
        if (m !== null) for (let i = 0; i < 3; i++) calls[i]! += Number(m[i + 1]);
      }
      t.ok(
        calls.every((n) => n > 100_000),
        `calls checked: ${calls[0]} energy, ${calls[1]} Goertzel, ${calls[2]} window (gcc ${flags.join(' ')})`,
      );
    }
  },
);
