/**
 * `ringdown dtmf decode FILE.wav` lists the keys in a recording with their start and end times;
 * `ringdown dtmf encode KEYS --out FILE.wav [--tone-ms N] [--gap-ms N] [--level-dbfs L]` writes a
 * standard test signal. For users checking a line with a recorder, and for the bench.
 */
import { parseArgs } from 'node:util';
import { deviceFormatProblem, readWavInfo, readWavSamples } from '../src/audio/wav.js';
import { decodeDtmf } from '../src/dsp/dtmf-decode.js';
import { keyFrequencies } from '../src/dsp/dtmf-keys.js';
import { renderDtmf, type DtmfSignalOptions } from '../src/dsp/dtmf-signal.js';
import { readRegularFile } from './read-file.js';
import { recordingTooLong, writeWavFile } from './wav-file.js';

/** The largest recording `dtmf decode` reads: 256 MiB, 4.6 hours at 8 kHz. */
export const MAX_DECODE_BYTES = 256 * 1024 * 1024;

export const DTMF_USAGE = [
  'usage: ringdown dtmf decode FILE.wav',
  '       ringdown dtmf encode KEYS --out FILE.wav [--tone-ms N] [--gap-ms N] [--level-dbfs L]',
].join('\n');

export const DTMF_HELP = `${DTMF_USAGE}

decode: the keys in an 8 kHz mono 16-bit WAV, one line each (KEY START_MS END_MS).
encode: a WAV of KEYS (0-9 * # A-D) as DTMF tones.

options (encode):
  -o, --out FILE       the WAV to write (required)
  --tone-ms N          each tone's length (default 100)
  --gap-ms N           the pause between tones (default 100)
  --level-dbfs L       each frequency's level (default -10)
options (decode):
  --json               one JSON object per key: {"key", "startMs", "endMs"}
  -h, --help           this help

exit status: 0 ok (also when no key is found), 1 the WAV could not be written (nothing changed), 2 usage or input error

example:
  ringdown dtmf encode 159#D --out keys.wav && ringdown dtmf decode keys.wav`;

/** 0 dBm0 is 3.14 dB below a full-scale sine (G.711), so dBFS + 3.14 is dBm0. */
const DBM0_OVER_DBFS = 3.14;

type Out = (line: string) => void;

export function runDtmf(argv: string[], out: Out, err: Out): number {
  const [sub, ...rest] = argv;
  if (sub === 'decode') return decode(rest, out, err);
  if (sub === 'encode') return encode(rest, out, err);
  err(DTMF_USAGE);
  return 2;
}

function decode(argv: string[], out: Out, err: Out): number {
  const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: true });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    err(DTMF_USAGE);
    return 2;
  }
  const bytes = readRegularFile(file, MAX_DECODE_BYTES, 'a recording to decode');
  if (!(bytes instanceof Uint8Array)) {
    err(`${file}: ${bytes.problem}`);
    return 2;
  }
  // The format first: an 8-bit, stereo or 44.1 kHz file gets the sox command that converts it.
  const info = readWavInfo(bytes);
  const problem = typeof info === 'string' ? info : deviceFormatProblem(info);
  if (problem !== undefined) {
    err(`${file}: ${problem}${typeof info === 'string' ? '' : ` (convert with: sox ${file} -r 8000 -c 1 -b 16 out.wav)`}`);
    return 2;
  }
  const read = readWavSamples(bytes);
  if (typeof read === 'string') {
    err(`${file}: ${read}`);
    return 2;
  }
  const keys = decodeDtmf(read.samples);
  if (values.json === true) {
    for (const k of keys) out(JSON.stringify({ key: k.key, startMs: Math.round((k.start * 1000) / 8000), endMs: Math.round((k.end * 1000) / 8000) }));
    return 0;
  }
  for (const k of keys) {
    const ms = Math.round(((k.end - k.start) * 1000) / 8000);
    out(`${(k.start / 8000).toFixed(3).padStart(8)} s  ${(k.end / 8000).toFixed(3).padStart(8)} s  ${k.key}  (${ms} ms)`);
  }
  out(`${keys.length} key${keys.length === 1 ? '' : 's'}${keys.length > 0 ? `: ${keys.map((k) => k.key).join('')}` : ''}`);
  return 0;
}

/** Joins `--name -20` into `--name=-20`, so negative numbers read as values (as users type them). */
function joinNegativeValues(argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      joined.push(`${a}=${next}`);
      i++;
    } else {
      joined.push(a);
    }
  }
  return joined;
}

function encode(argv: string[], out: Out, err: Out): number {
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(argv),
    options: {
      out: { type: 'string' },
      'tone-ms': { type: 'string', default: '100' },
      'gap-ms': { type: 'string', default: '100' },
      'level-dbfs': { type: 'string', default: '-13' },
    },
    allowPositionals: true,
  });
  const keys = positionals[0];
  if (keys === undefined || positionals.length > 1 || values.out === undefined) {
    err(DTMF_USAGE);
    return 2;
  }
  for (let i = 0; i < keys.length; i++) {
    if (keyFrequencies(keys[i]!) === undefined) {
      err(`ringdown dtmf encode: KEYS: '${keys[i]}' at position ${i + 1} is not a DTMF key (0-9 * # A B C D)`);
      return 2;
    }
  }
  if (keys.length === 0) {
    err('ringdown dtmf encode: KEYS is empty');
    return 2;
  }
  const toneMs = number(values['tone-ms'], '--tone-ms', 1, 60000, err);
  const gapMs = number(values['gap-ms'], '--gap-ms', 0, 60000, err);
  const level = number(values['level-dbfs'], '--level-dbfs', -90, -6.03, err);
  if (toneMs === undefined || gapMs === undefined || level === undefined) return 2;
  const options: DtmfSignalOptions = { toneMs, gapMs, levelDbm0: level + DBM0_OVER_DBFS };
  // Sample counts as renderDtmf makes them: a gap, then each key's tone and the gap after it.
  const gap = Math.round((gapMs * 8000) / 1000);
  const perKey = Math.round((toneMs * 8000) / 1000) + gap;
  const total = gap + keys.length * perKey;
  const tooLong = recordingTooLong((total * 1000) / 8000);
  if (tooLong !== undefined) {
    err(`ringdown dtmf encode: ${tooLong}; nothing written (hint: fewer keys, or shorter --tone-ms and --gap-ms)`);
    return 2;
  }
  // One key at a time, each of the 16 keys rendered once: memory stays at 16 tones and gaps
  // (at most 31 MB for 60 s tones and gaps), however many keys.
  const rendered = new Map<string, Int16Array>();
  function* blocks(): Generator<Int16Array> {
    yield new Int16Array(gap);
    for (const key of keys!) {
      let block = rendered.get(key);
      if (block === undefined) rendered.set(key, (block = renderDtmf(key, options).samples.subarray(gap)));
      yield block;
    }
  }
  const problem = writeWavFile(values.out, total, blocks(), 'dtmf encode');
  if (problem !== undefined) {
    err(problem);
    return 1;
  }
  out(`${values.out}: ${keys.length} keys, ${toneMs} ms on, ${gapMs} ms off, ${level} dBFS per tone, ${(total / 8000).toFixed(3)} s`);
  return 0;
}

/** A number option within [min, max], or undefined after saying what is wrong. */
function number(text: string | undefined, name: string, min: number, max: number, err: Out): number | undefined {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
    err(`ringdown dtmf encode: ${name} must be a number from ${min} to ${max}${name === '--level-dbfs' ? ' (two tones above -6 dBFS each would clip)' : ''}; got '${text}'`);
    return undefined;
  }
  return v;
}
