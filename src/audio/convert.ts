/**
 * Audio conversion to the device's clip format (8 kHz, mono, 16-bit PCM) on plain arrays, no Node
 * APIs: WAV decoding of any common layout, mixing to mono, band-limited resampling, the telephone
 * band-pass, silence trimming and peak normalisation. Replaces sox for clips: `ringdown clips`
 * needs nothing but Node.
 */
import { readWavInfo } from './wav.js';

/** Decoded audio: one Float32Array per channel, samples in -1..1 (full scale is ±1). */
export interface Pcm {
  sampleRate: number;
  channels: Float32Array[];
  /** How it was stored, for reports: `16-bit PCM WAV`, `MP3`, ... */
  source: string;
  /** Samples at or beyond full scale in the source (any channel): a sign it was recorded too hot. */
  clipped: number;
}

/** WAV sample formats (the fmt chunk's format tag, or an extensible file's sub-format). */
const PCM = 1;
const FLOAT = 3;
const ALAW = 6;
const MULAW = 7;
const EXTENSIBLE = 0xfffe;

function alaw(v: number): number {
  v ^= 0x55;
  const exponent = (v >> 4) & 7;
  const mantissa = v & 15;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return (v & 0x80 ? magnitude : -magnitude) / 32768;
}

function mulaw(v: number): number {
  v = ~v & 0xff;
  const exponent = (v >> 4) & 7;
  const magnitude = ((((v & 15) << 3) + 0x84) << exponent) - 0x84;
  return (v & 0x80 ? -magnitude : magnitude) / 32768;
}

/**
 * Decodes a WAV of any common layout: integer PCM of 8 (unsigned), 16, 24 or 32 bits, 32- or
 * 64-bit float, A-law, µ-law, plain or WAVE_FORMAT_EXTENSIBLE, any rate and channel count, with
 * any other chunks (LIST, bext, cue...) before or after the data. A message when it cannot.
 */
export function decodeWav(bytes: Uint8Array): Pcm | string {
  const info = readWavInfo(bytes);
  if (typeof info === 'string') return info;
  let format = info.format;
  if (format === EXTENSIBLE) {
    if (info.subFormat === undefined) return 'WAVE_FORMAT_EXTENSIBLE without its sub-format';
    format = info.subFormat;
  }
  const bits = info.bitsPerSample;
  const channels = info.channels;
  if (channels < 1 || channels > 64) return `${channels} channels`;
  if (info.sampleRate < 1000 || info.sampleRate > 768000)
    return `sample rate ${info.sampleRate} Hz is not audio this tool converts (1000 to 768000 Hz)`;
  const ok =
    (format === PCM && (bits === 8 || bits === 16 || bits === 24 || bits === 32)) ||
    (format === FLOAT && (bits === 32 || bits === 64)) ||
    ((format === ALAW || format === MULAW) && bits === 8);
  if (!ok)
    return `WAV format ${format} with ${bits}-bit samples is not one this tool decodes (integer PCM, float, A-law or µ-law)`;
  // The block align may pad samples (24-bit in 32-bit containers): read each sample at its slot.
  const width = bits >> 3;
  const frameBytes = Math.max(info.blockAlign ?? 0, width * channels);
  const frames = Math.floor(info.dataBytes / frameBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, frames * frameBytes);
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Float32Array(frames));
  let clipped = 0;
  for (let f = 0; f < frames; f++) {
    let atFullScale = false;
    for (let c = 0; c < channels; c++) {
      const at = f * frameBytes + c * width;
      let v: number;
      if (format === FLOAT) {
        v = bits === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
        if (!Number.isFinite(v)) v = 0;
        if (Math.abs(v) >= 1) atFullScale = true;
      } else if (format === ALAW || format === MULAW) {
        v = format === ALAW ? alaw(view.getUint8(at)) : mulaw(view.getUint8(at));
      } else if (bits === 8) {
        const raw = view.getUint8(at);
        v = (raw - 128) / 128;
        if (raw === 0 || raw === 255) atFullScale = true;
      } else if (bits === 16) {
        const raw = view.getInt16(at, true);
        v = raw / 32768;
        if (raw === -32768 || raw === 32767) atFullScale = true;
      } else if (bits === 24) {
        const raw = (view.getInt8(at + 2) << 16) | (view.getUint8(at + 1) << 8) | view.getUint8(at);
        v = raw / 8388608;
        if (raw === -8388608 || raw === 8388607) atFullScale = true;
      } else {
        const raw = view.getInt32(at, true);
        v = raw / 2147483648;
        if (raw === -2147483648 || raw === 2147483647) atFullScale = true;
      }
      out[c]![f] = v;
    }
    if (atFullScale) clipped++;
  }
  const kind = format === FLOAT ? 'float' : format === ALAW ? 'A-law' : format === MULAW ? 'µ-law' : 'PCM';
  return { sampleRate: info.sampleRate, channels: out, source: `${bits}-bit ${kind} WAV`, clipped };
}

/** The average of the channels (a stereo recording of one voice keeps its level). */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const frames = channels[0]?.length ?? 0;
  const out = new Float32Array(frames);
  for (const ch of channels) for (let i = 0; i < frames; i++) out[i]! += ch[i]!;
  const scale = 1 / channels.length;
  for (let i = 0; i < frames; i++) out[i]! *= scale;
  return out;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (for the Kaiser window). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/** Stop-band attenuation the resampler's filter is designed for. */
export const RESAMPLE_STOPBAND_DB = 90;

/**
 * Resamples to `outRate` with a Kaiser-windowed sinc low-pass (the anti-alias filter): flat to
 * `passHz` (default 0.425 × the lower rate: 3400 Hz at 8 kHz), at least RESAMPLE_STOPBAND_DB down
 * from the lower rate's Nyquist frequency on, so nothing above 4 kHz folds into a phone clip.
 * Each of the (at most 2048) output phases has its own filter, normalised to unity gain at DC.
 */
export function resample(input: Float32Array, inRate: number, outRate: number, passHz?: number): Float32Array {
  if (inRate === outRate && passHz === undefined) return input.slice();
  const nyquist = Math.min(inRate, outRate) / 2;
  const pass = Math.min(passHz ?? nyquist * 0.85, nyquist * 0.95);
  const cutoff = (pass + nyquist) / 2 / inRate; // cycles per input sample
  const transition = (nyquist - pass) / inRate;
  const atten = RESAMPLE_STOPBAND_DB;
  const beta = 0.1102 * (atten - 8.7);
  const half = Math.ceil((atten - 8) / (2.285 * 2 * Math.PI * transition) / 2);
  const outLength = Math.floor((input.length * outRate) / inRate);
  const g = gcd(inRate, outRate);
  const exactPhases = outRate / g;
  const phases = Math.min(exactPhases, 2048);
  const taps = 2 * half + 1;
  const table = new Float32Array(phases * taps);
  const built = new Uint8Array(phases);
  const i0beta = besselI0(beta);
  const filterFor = (phase: number): number => {
    const base = phase * taps;
    if (built[phase] === 0) {
      const frac = phase / phases;
      let sum = 0;
      for (let k = 0; k < taps; k++) {
        const d = k - half - frac; // input sample (floor(t) - half + k) minus t
        const x = 2 * cutoff * d;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const r = d / (half + 1);
        const w = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0beta;
        const h = 2 * cutoff * sinc * w;
        table[base + k] = h;
        sum += h;
      }
      for (let k = 0; k < taps; k++) table[base + k]! /= sum;
      built[phase] = 1;
    }
    return base;
  };
  const out = new Float32Array(outLength);
  for (let n = 0; n < outLength; n++) {
    // t = n * inRate / outRate, kept exact with integers: whole part and phase.
    const num = n * (inRate / g);
    const den = outRate / g;
    const whole = Math.floor(num / den);
    const phase =
      phases === exactPhases
        ? num - whole * den
        : Math.min(phases - 1, Math.round(((num - whole * den) / den) * phases));
    const base = filterFor(phase === phases ? 0 : phase);
    const start = whole - half;
    let acc = 0;
    const from = Math.max(0, -start);
    const to = Math.min(taps, input.length - start);
    for (let k = from; k < to; k++) acc += input[start + k]! * table[base + k]!;
    out[n] = acc;
  }
  return out;
}

/**
 * A second-order Butterworth high-pass (RBJ biquad): with the resampler's low-pass at 3.4 kHz it
 * makes the telephone band (ITU-T G.712 passes about 300-3400 Hz; rumble below is wasted level).
 */
export function highPass(input: Float32Array, rate: number, hz: number): Float32Array {
  const w0 = (2 * Math.PI * hz) / rate;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b0 = (1 + cos) / 2 / a0;
  const b1 = -(1 + cos) / a0;
  const b2 = b0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  const out = new Float32Array(input.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    out[i] = y;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
  }
  return out;
}

export function peakOf(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]!));
  return peak;
}

export function dbfs(amplitude: number): number {
  return amplitude > 0 ? 20 * Math.log10(amplitude) : -Infinity;
}

export interface ConvertOptions {
  /** Output rate (default 8000). */
  rate?: number;
  /** High-pass corner in Hz (default 250; 0 for none). */
  highPassHz?: number;
  /** Peak level to normalise to, in dBFS (default -3; undefined keeps the level). */
  peakDbfs?: number | null;
  /**
   * Trim silence (below `peak - 40 dB`) at either end down to `keepMs` of it (default: no trim).
   */
  trimKeepMs?: number;
}

export interface ConvertReport {
  /** The source: rate, channels, how it was stored, length. */
  inRate: number;
  inChannels: number;
  source: string;
  inMs: number;
  /** Peak of the source (mixed to mono), dBFS. */
  inPeakDbfs: number;
  /** Source samples at full scale. */
  clipped: number;
  /** Silence removed at the start and end, ms. */
  trimmedLeadMs: number;
  trimmedTailMs: number;
  /** Gain applied to reach the peak level, dB. */
  gainDb: number;
  outMs: number;
}

/** Converts decoded audio to the device format; the samples and what was done. */
export function convertToClip(pcm: Pcm, options: ConvertOptions = {}): { samples: Int16Array; report: ConvertReport } {
  const rate = options.rate ?? 8000;
  const mono = mixToMono(pcm.channels);
  const inPeak = peakOf(mono);
  let x = resample(mono, pcm.sampleRate, rate, 0.425 * Math.min(rate, pcm.sampleRate));
  const hp = options.highPassHz ?? 250;
  if (hp > 0) x = highPass(x, rate, hp);
  let lead = 0;
  let tail = 0;
  if (options.trimKeepMs !== undefined) {
    const threshold = peakOf(x) * 0.01; // -40 dB below the peak
    const keep = Math.round((options.trimKeepMs * rate) / 1000);
    let first = 0;
    while (first < x.length && Math.abs(x[first]!) < threshold) first++;
    let last = x.length - 1;
    while (last > first && Math.abs(x[last]!) < threshold) last--;
    if (first >= x.length) {
      first = 0;
      last = x.length - 1;
    }
    const start = Math.max(0, first - keep);
    const end = Math.min(x.length, last + 1 + keep);
    lead = start;
    tail = x.length - end;
    x = x.subarray(start, end);
  }
  const peak = peakOf(x);
  const target = options.peakDbfs === null ? undefined : (options.peakDbfs ?? -3);
  const gain = target === undefined || peak === 0 ? 1 : 10 ** (target / 20) / peak;
  const samples = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = Math.round(x[i]! * gain * 32768);
    samples[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  const ms = (n: number, r: number): number => Math.round((n * 1000) / r);
  return {
    samples,
    report: {
      inRate: pcm.sampleRate,
      inChannels: pcm.channels.length,
      source: pcm.source,
      inMs: ms(mono.length, pcm.sampleRate),
      inPeakDbfs: dbfs(inPeak),
      clipped: pcm.clipped,
      trimmedLeadMs: ms(lead, rate),
      trimmedTailMs: ms(tail, rate),
      gainDb: 20 * Math.log10(gain),
      outMs: ms(samples.length, rate),
    },
  };
}

/** One line saying what a conversion did, for `ringdown clips`. */
export function describeConversion(r: ConvertReport): string {
  const channels = r.inChannels === 1 ? 'mono' : r.inChannels === 2 ? 'stereo' : `${r.inChannels} channels`;
  const peak = Number.isFinite(r.inPeakDbfs) ? `peak ${r.inPeakDbfs.toFixed(1)} dBFS` : 'silent';
  const clipping = r.clipped > 0 ? `CLIPPED: ${r.clipped} samples at full scale (record it quieter)` : 'no clipping';
  const trim =
    r.trimmedLeadMs === 0 && r.trimmedTailMs === 0
      ? 'no silence trimmed'
      : `trimmed silence ${(r.trimmedLeadMs / 1000).toFixed(2)} s at the start, ${(r.trimmedTailMs / 1000).toFixed(2)} s at the end`;
  return `${r.source}, ${r.inRate} Hz ${channels}, ${(r.inMs / 1000).toFixed(2)} s; ${peak}, ${clipping}; ${trim}; gain ${r.gainDb >= 0 ? '+' : ''}${r.gainDb.toFixed(1)} dB; now ${(r.outMs / 1000).toFixed(2)} s at 8 kHz mono 16-bit`;
}
