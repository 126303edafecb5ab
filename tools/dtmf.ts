/**
 * `ringdown dtmf decode FILE.wav` lists the keys in a recording with their start and end times;
 * `ringdown dtmf encode KEYS --out FILE.wav [--tone-ms N] [--gap-ms N] [--level-dbfs L]` writes a
 * standard test signal. For users checking a line with a recorder, and for the bench.
 */
import { deviceFormatProblem, readWavInfo, readWavSamples } from '../src/audio/wav.js';
import { decodeDtmf } from '../src/dsp/dtmf-decode.js';
import { keyFrequencies } from '../src/dsp/dtmf-keys.js';
import { renderDtmf, type DtmfSignalOptions } from '../src/dsp/dtmf-signal.js';
import { Command, CommandGroup } from './command.js';
import { readRegularFile } from './read-file.js';
import { recordingTooLong, writeWavFile } from './wav-file.js';

/** The largest recording `dtmf decode` reads: 256 MiB, 4.6 hours at 8 kHz. */
export const MAX_DECODE_BYTES = 256 * 1024 * 1024;

const DECODE = new Command({
  name: 'dtmf decode',
  summary: 'the keys in a WAV',
  description: 'The keys in an 8 kHz mono 16-bit WAV, one line each (KEY START_MS END_MS).',
  positionals: [{ name: 'FILE.wav' }],
  options: [{ name: 'json', type: 'boolean', description: 'one JSON object per key: {"key", "startMs", "endMs"}' }],
  exit: '',
  examples: [],
});

const ENCODE = new Command({
  name: 'dtmf encode',
  summary: 'a WAV of keys',
  description: 'A WAV of KEYS (0-9 * # A-D) as DTMF tones.',
  positionals: [{ name: 'KEYS' }],
  options: [
    { name: 'out', type: 'string', short: 'o', value: 'FILE.wav', required: true, description: 'the WAV to write' },
    { name: 'tone-ms', type: 'string', value: 'N', default: '100', description: "each tone's length" },
    { name: 'gap-ms', type: 'string', value: 'N', default: '100', description: 'the pause between tones' },
    { name: 'level-dbfs', type: 'string', value: 'L', default: '-13', description: "each frequency's level" },
  ],
  exit: '',
  examples: [],
});

export const DTMF = new CommandGroup(
  'dtmf',
  'decode the keys in a WAV, or encode keys as a WAV',
  `decode: the keys in an 8 kHz mono 16-bit WAV, one line each (KEY START_MS END_MS).
encode: a WAV of KEYS (0-9 * # A-D) as DTMF tones.`,
  [DECODE, ENCODE],
  '0 ok (also when no key is found), 1 the WAV could not be written (nothing changed), 2 usage or input error',
  ['ringdown dtmf encode 159#D --out keys.wav && ringdown dtmf decode keys.wav'],
);

/** 0 dBm0 is 3.14 dB below a full-scale sine (G.711), so dBFS + 3.14 is dBm0. */
const DBM0_OVER_DBFS = 3.14;

type Out = (line: string) => void;

export function runDtmf(argv: string[], out: Out, err: Out): number {
  const picked = DTMF.pick(argv);
  if (typeof picked === 'string') {
    err(picked);
    return 2;
  }
  return picked.command === DECODE ? decode(picked.rest, out, err) : encode(picked.rest, out, err);
}

function decode(argv: string[], out: Out, err: Out): number {
  const args = DECODE.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const file = args.positionals[0]!;
  const bytes = readRegularFile(file, MAX_DECODE_BYTES, 'a recording to decode');
  if (!(bytes instanceof Uint8Array)) {
    err(`${file}: ${bytes.problem}`);
    return 2;
  }
  // The format first: an 8-bit, stereo or 44.1 kHz file gets the sox command that converts it.
  const info = readWavInfo(bytes);
  const problem = typeof info === 'string' ? info : deviceFormatProblem(info);
  if (problem !== undefined) {
    err(
      `${file}: ${problem}${typeof info === 'string' ? '' : ` (convert with: sox ${file} -r 8000 -c 1 -b 16 out.wav)`}`,
    );
    return 2;
  }
  const read = readWavSamples(bytes);
  if (typeof read === 'string') {
    err(`${file}: ${read}`);
    return 2;
  }
  const keys = decodeDtmf(read.samples);
  if (values.json === true) {
    for (const k of keys)
      out(
        JSON.stringify({
          key: k.key,
          startMs: Math.round((k.start * 1000) / 8000),
          endMs: Math.round((k.end * 1000) / 8000),
        }),
      );
    return 0;
  }
  for (const k of keys) {
    const ms = Math.round(((k.end - k.start) * 1000) / 8000);
    out(
      `${(k.start / 8000).toFixed(3).padStart(8)} s  ${(k.end / 8000).toFixed(3).padStart(8)} s  ${k.key}  (${ms} ms)`,
    );
  }
  out(
    `${keys.length} key${keys.length === 1 ? '' : 's'}${keys.length > 0 ? `: ${keys.map((k) => k.key).join('')}` : ''}`,
  );
  return 0;
}

function encode(argv: string[], out: Out, err: Out): number {
  const args = ENCODE.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const keys = args.positionals[0]!;
  const file = values.out!;
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
      if (block === undefined) {
        block = renderDtmf(key, options).samples.subarray(gap);
        rendered.set(key, block);
      }
      yield block;
    }
  }
  const problem = writeWavFile(file, total, blocks(), 'dtmf encode');
  if (problem !== undefined) {
    err(problem);
    return 1;
  }
  out(
    `${file}: ${keys.length} keys, ${toneMs} ms on, ${gapMs} ms off, ${level} dBFS per tone, ${(total / 8000).toFixed(3)} s`,
  );
  return 0;
}

/** A number option within [min, max], or undefined after saying what is wrong. */
function number(text: string | undefined, name: string, min: number, max: number, err: Out): number | undefined {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
    err(
      `ringdown dtmf encode: ${name} must be a number from ${min} to ${max}${name === '--level-dbfs' ? ' (two tones above -6 dBFS each would clip)' : ''}; got '${text}'`,
    );
    return undefined;
  }
  return v;
}
