/**
 * The ESP32 ADC input's conditioning (drivers/adc-in/adc-in.c: 24 kHz 12-bit conversions,
 * low-passed and decimated to 8 kHz, scaled to 16 bits, each 256-sample block's bias removed),
 * compiled by the host's gcc without ESP-IDF (test/adc-in/harness.c) and fed conversions as the
 * ADC's DMA gives them: tones in the DTMF band keep their level, tones that would fold onto it
 * are stopped, the bias goes, loud input saturates instead of wrapping, and the software receiver
 * finds every key in what comes out. Skipped, with the reason, without gcc.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DtmfDetector } from '../src/dsp/dtmf-detector.js';
import { renderDtmf, rms, whiteNoise } from '../src/dsp/dtmf-signal.js';
import { needs } from './outside-tool.js';
import { REPO_ROOT } from './xs/bundle.js';

const ADC_RATE = 24000;
const BLOCK = 256;
/** 12-bit conversions to 16-bit samples. */
const SCALE = 16;
/** Mid-rail, where VOUT's coupling capacitor and bias put the signal (12-bit units). */
const BIAS = 1900;

/** Compiles the harness; its path, or the compiler's complaint. */
function compile(): { path: string } | { error: string } {
  const dir = join(REPO_ROOT, 'build', 'adc-in');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'harness');
  const source = join(REPO_ROOT, 'test', 'adc-in', 'harness.c');
  const run = spawnSync('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-o', path, source, '-lm'], {
    encoding: 'utf8',
  });
  return run.status === 0 ? { path } : { error: `${run.stdout}${run.stderr}` };
}

/** Runs the conditioning on 12-bit conversions (clamped to 0-4095, as the ADC gives them). */
function condition(harness: string, conversions: ArrayLike<number>): Int16Array {
  const input = Buffer.alloc(conversions.length * 2);
  for (let i = 0; i < conversions.length; i++) {
    input.writeUInt16LE(Math.max(0, Math.min(4095, Math.round(conversions[i]!))), i * 2);
  }
  const run = spawnSync(harness, { input, maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`harness exited ${String(run.status)}`);
  const out = run.stdout;
  return new Int16Array(out.buffer, out.byteOffset, out.length / 2).slice();
}

/** `seconds` of a sine of `amplitude` (12-bit units) at `hz` on the bias, at the ADC's rate. */
function sine(hz: number, amplitude: number, seconds: number): Float64Array {
  const out = new Float64Array(Math.round(seconds * ADC_RATE));
  for (let i = 0; i < out.length; i++) out[i] = BIAS + amplitude * Math.sin((2 * Math.PI * hz * i) / ADC_RATE);
  return out;
}

/** RMS of the output after its first block (the filter and the bias settle in it). */
function settledRms(out: Int16Array): number {
  return rms(out, BLOCK, out.length);
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

t.test('the ADC input conditioning', needs('gcc'), async (t) => {
  const built = compile();
  if ('error' in built) {
    t.fail(`test/adc-in/harness.c does not compile:\n${built.error}`);
    return;
  }
  const harness = built.path;

  t.test('8 kHz out for 24 kHz in, in whole blocks', async (t) => {
    const out = condition(harness, sine(1000, 300, 1));
    t.equal(out.length, Math.floor(ADC_RATE / 3 / BLOCK) * BLOCK, 'every whole block of a second');
  });

  t.test('tones in the DTMF band keep their level, times 16', async (t) => {
    const amplitude = 500;
    for (const hz of [697, 941, 1209, 1633]) {
      const out = settledRms(condition(harness, sine(hz, amplitude, 0.5)));
      const gain = db(out / ((amplitude * SCALE) / Math.SQRT2));
      t.ok(Math.abs(gain) < 0.2, `${hz} Hz: ${gain.toFixed(2)} dB from 16 times the input`);
    }
    const speech = settledRms(condition(harness, sine(3400, amplitude, 0.5)));
    const edge = db(speech / ((amplitude * SCALE) / Math.SQRT2));
    t.ok(edge > -4 && edge < -1, `3400 Hz, the top of telephone speech: ${edge.toFixed(2)} dB`);
  });

  t.test('tones that would fold onto the DTMF band are stopped', async (t) => {
    const amplitude = 1500;
    // At 8 kHz these land on 1209, 697, 941 and 1633 Hz.
    for (const hz of [8000 - 1209, 8000 - 697, 8000 + 941, 8000 + 1633]) {
      const out = settledRms(condition(harness, sine(hz, amplitude, 0.5)));
      const level = db(out / ((amplitude * SCALE) / Math.SQRT2));
      t.ok(level < -50, `${hz} Hz: ${level.toFixed(1)} dB`);
    }
  });

  t.test('the bias is removed block by block', async (t) => {
    const steady = condition(harness, new Float64Array(ADC_RATE / 4).fill(3000));
    t.same([Math.min(...steady.subarray(BLOCK)), Math.max(...steady.subarray(BLOCK))], [0, 0], 'a steady level is 0');
    // The bias drifting over a second (a coupling capacitor charging): each block's mean is 0.
    const drifting = sine(1000, 200, 1).map((v, i) => v + (600 * i) / ADC_RATE);
    const out = condition(harness, drifting);
    let worst = 0;
    for (let at = BLOCK; at + BLOCK <= out.length; at += BLOCK) {
      let sum = 0;
      for (let i = at; i < at + BLOCK; i++) sum += out[i]!;
      worst = Math.max(worst, Math.abs(sum / BLOCK));
    }
    t.ok(worst <= 1, `each block's mean within 1 of 0 (worst ${worst.toFixed(2)})`);
  });

  t.test('full-scale input saturates at 16 bits, never wraps', async (t) => {
    // A 500 Hz square wave from 0 to 4095: the filter's ringing overshoots 16 bits at each edge.
    const square = new Float64Array(ADC_RATE / 4).map((_, i) => (Math.floor(i / 24) % 2 === 0 ? 4095 : 0));
    const out = condition(harness, square);
    const settled = out.subarray(BLOCK);
    t.equal(Math.max(...settled), 32767, 'clipped at the top');
    t.equal(Math.min(...settled), -32768, 'clipped at the bottom');
    // Each half period is 8 output samples: away from its edges a sample has its half's sign.
    let wrong = 0;
    for (let i = BLOCK; i < out.length; i++) {
      // Output i is made when conversion 3i + 2 arrives; the filter delays by 15 conversions.
      const phase = (((3 * i + 2 - 15) % 48) + 48) % 48;
      if (phase < 6 || (phase >= 18 && phase < 30) || phase >= 42) continue;
      if (Math.sign(out[i]!) !== (phase < 24 ? 1 : -1)) wrong++;
    }
    t.equal(wrong, 0, 'no sample has the wrong sign');
  });

  t.test('the receiver finds every key in what comes out', async (t) => {
    const keys = '123A456B789C*0#D';
    const dtmf = renderDtmf(keys, { sampleRate: ADC_RATE, levelDbm0: -20 });
    const noise = whiteNoise(dtmf.samples.length, 2, 27);
    const conversions = new Float64Array(dtmf.samples.length).map(
      (_, i) => BIAS + dtmf.samples[i]! / SCALE + noise[i]!,
    );
    const out = condition(harness, conversions);
    const found: string[] = [];
    const detector = new DtmfDetector({ onKey: (e) => e.down && found.push(e.key) });
    for (let at = 0; at < out.length; at += BLOCK) detector.push(out, at, Math.min(BLOCK, out.length - at));
    t.equal(found.join(''), keys);
  });
});
