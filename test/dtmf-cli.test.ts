import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeWav, readWavSamples } from '../src/audio/wav.js';
import { renderDtmf, rms } from '../src/dsp/dtmf-signal.js';

function ringdown(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'ringdown-dtmf-'));

t.test('encode then decode: the keys, their times and the level', async (t) => {
  const file = join(dir, 'keys.wav');
  const e = ringdown(
    'dtmf',
    'encode',
    '159#D',
    '--out',
    file,
    '--tone-ms',
    '80',
    '--gap-ms',
    '120',
    '--level-dbfs',
    '-20',
  );
  t.equal(e.code, 0, e.err);
  t.equal(e.out, `${file}: 5 keys, 80 ms on, 120 ms off, -20 dBFS per tone, 1.120 s\n`);
  const wav = readWavSamples(readFileSync(file));
  if (typeof wav === 'string') throw new Error(wav);
  t.equal(wav.info.sampleRate, 8000);
  // Two tones at -20 dBFS: each 32767 * 0.1 peak, so the pair's RMS during a tone is 32767 * 0.1.
  t.ok(Math.abs(rms(wav.samples, 960, 1600) - 3276.7) < 40, `rms ${rms(wav.samples, 960, 1600)}`);
  const d = ringdown('dtmf', 'decode', file);
  t.equal(d.code, 0, d.err);
  const lines = d.out.trimEnd().split('\n');
  t.equal(lines.pop(), '5 keys: 159#D');
  t.equal(lines.length, 5);
  lines.forEach((line, i) => {
    const m = /^\s+(\d+\.\d{3}) s\s+(\d+\.\d{3}) s {2}(.) {2}\((\d+) ms\)$/.exec(line);
    t.ok(m, line);
    if (m === null) return;
    t.equal(m[3], '159#D'[i]);
    t.ok(Math.abs(Number(m[1]) - (0.12 + 0.2 * i)) <= 0.004, `start ${line}`);
    t.ok(Math.abs(Number(m[2]) - (0.2 + 0.2 * i)) <= 0.004, `end ${line}`);
  });
});

t.test('decode: silence has no keys', async (t) => {
  const file = join(dir, 'silence.wav');
  writeFileSync(file, encodeWav(new Int16Array(8000)));
  t.same(ringdown('dtmf', 'decode', file), { code: 0, out: '0 keys\n', err: '' });
});

t.test('bad input: clear errors, exit 2, nothing written', async (t) => {
  const out = join(dir, 'bad.wav');
  const bad = ringdown('dtmf', 'encode', '12x4', '--out', out);
  t.equal(bad.code, 2);
  t.equal(bad.err, "ringdown dtmf encode: KEYS: 'x' at position 3 is not a DTMF key (0-9 * # A B C D)\n");
  t.equal(ringdown('dtmf', 'encode', '12', '--out', out, '--tone-ms', 'fast').code, 2);
  t.match(
    ringdown('dtmf', 'encode', '12', '--out', out, '--level-dbfs', '0').err,
    /--level-dbfs must be a number from -90 to -6.03/,
  );
  t.notOk(existsSync(out));
  t.match(ringdown('dtmf', 'encode', '12').err, /^ringdown dtmf encode: missing required option --out/);
  t.match(ringdown('dtmf').err, /^ringdown dtmf: decode or encode is missing/);
  const text = join(dir, 'text.wav');
  writeFileSync(text, 'hello');
  t.same(ringdown('dtmf', 'decode', text), {
    code: 2,
    out: '',
    err: `${text}: not a WAV file (no RIFF/WAVE header)\n`,
  });
  const wide = join(dir, 'wide.wav');
  writeFileSync(wide, encodeWav(new Int16Array(100), 16000));
  t.match(ringdown('dtmf', 'decode', wide).err, /16000 Hz; need 8000 Hz \(convert with: sox/);
  t.match(ringdown('dtmf', 'decode', join(dir, 'missing.wav')).err, /cannot read/);
});

t.test(
  'encode: written key by key in constant memory; a signal too long for a recording is refused up front',
  async (t) => {
    const code = `import { main } from './dist/tools/cli.js';
process.exitCode = await main(JSON.parse(process.argv[1]));
process.stderr.write('peak-kb=' + process.resourceUsage().maxRSS + '\\n');`;
    const run = (...args: string[]): { code: number | null; err: string; peakMb: number } => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, JSON.stringify(args)], {
        encoding: 'utf8',
        timeout: 100_000,
      });
      return {
        code: r.status,
        err: r.stderr.replace(/peak-kb=\d+\n/, ''),
        peakMb: Number(/peak-kb=(\d+)/.exec(r.stderr)?.[1] ?? Infinity) / 1024,
      };
    };
    const out = join(dir, 'long.wav');
    const huge = run('dtmf', 'encode', '1'.repeat(2000), '--out', out, '--tone-ms', '60000', '--gap-ms', '60000');
    t.equal(huge.code, 2);
    t.equal(
      huge.err,
      'ringdown dtmf encode: the recording would last 67 hours; a WAV this tool writes is at most 4 hours (230 MB at 8 kHz); nothing written (hint: fewer keys, or shorter --tone-ms and --gap-ms)\n',
    );
    t.notOk(existsSync(out));
    // 60 keys of 50 s tones with 10 s gaps: an hour, 57.6 MB of samples.
    const hour = run('dtmf', 'encode', '12'.repeat(30), '--out', out, '--tone-ms', '50000', '--gap-ms', '10000');
    t.equal(hour.code, 0, hour.err);
    t.equal(statSync(out).size, 44 + (10 + 60 * 60) * 16000);
    t.ok(hour.peakMb < 120, `peak memory ${hour.peakMb.toFixed(0)} MB for a 58 MB WAV`);
    const small = join(dir, 'small.wav');
    t.equal(ringdown('dtmf', 'encode', '159#', '--out', small, '--tone-ms', '70', '--gap-ms', '30').code, 0);
    t.same(
      readFileSync(small),
      Buffer.from(encodeWav(renderDtmf('159#', { toneMs: 70, gapMs: 30, levelDbm0: -13 + 3.14 }).samples)),
      'the same bytes renderDtmf and encodeWav give',
    );
  },
);

t.test('decode: 8-bit and stereo files get the sox hint too; a FIFO or device is refused unread', async (t) => {
  const wav = (channels: number, bits: number): Uint8Array => {
    const bytes = encodeWav(new Int16Array((800 * channels * bits) / 16));
    const view = new DataView(bytes.buffer);
    view.setUint16(22, channels, true);
    view.setUint16(32, (channels * bits) / 8, true);
    view.setUint16(34, bits, true);
    return bytes;
  };
  for (const [name, bytes, problem] of [
    ['eight.wav', wav(1, 8), '8-bit samples; need 16-bit'],
    ['stereo.wav', wav(2, 16), '2 channels; need mono'],
  ] as const) {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    t.same(ringdown('dtmf', 'decode', file), {
      code: 2,
      out: '',
      err: `${file}: ${problem} (convert with: sox ${file} -r 8000 -c 1 -b 16 out.wav)\n`,
    });
  }
  const r = spawnSync(process.execPath, ['bin/ringdown.js', 'dtmf', 'decode', '/dev/zero'], {
    encoding: 'utf8',
    timeout: 20000,
  });
  t.equal(r.status, 2);
  t.equal(r.stderr, '/dev/zero: cannot read the file: it is a device, not a regular file\n');
});
