import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { renderCall } from '../sim/render-wav.js';
import { encodeWav, readWavSamples, wavHeader } from '../src/audio/wav.js';
import { callBlocks } from '../tools/sim.js';
import { BLOCK_SAMPLES, streamWav } from '../tools/wav-file.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { dbm0ToAmplitude } from '../src/tones/synth.js';
import { NORTH_AMERICA, UNITED_KINGDOM, type LineProfile } from '../src/line/profile.js';
import { cadence, goertzel } from './tone-measure.js';

function ringdown(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function samplesOf(path: string): Int16Array {
  const wav = readWavSamples(readFileSync(path));
  if (typeof wav === 'string') throw new Error(`${path}: ${wav}`);
  if (wav.info.sampleRate !== 8000) throw new Error(`${path}: ${wav.info.sampleRate} Hz`);
  return wav.samples;
}

t.test(
  'renderCall: clips at their start, cut where they were cut, tones from their start, silence elsewhere',
  async (t) => {
    const clip = new Int16Array(1000).fill(7);
    const out = renderCall({
      segments: [
        { kind: 'clip', name: 'a', start: 100, end: 225 },
        { kind: 'clip', name: 'a', start: 300, end: 350 },
        { kind: 'clip', name: 'missing', start: 400, end: 450 },
        { kind: 'tone', name: 'reorder', start: 500, tone: NORTH_AMERICA.tones.reorder },
      ],
      endMs: 1000,
      clip: (name) => (name === 'a' ? clip : undefined),
    });
    t.equal(out.length, 8000, '1000 ms at 8 kHz');
    const nonZero = (from: number, to: number): number => out.subarray(from, to).filter((v) => v !== 0).length;
    t.equal(nonZero(0, 800), 0, 'silence before the first clip');
    t.same([...new Set(out.subarray(800, 1800))], [7], 'the whole clip from 100 ms');
    t.equal(nonZero(1800, 2400), 0);
    t.same([...new Set(out.subarray(2400, 2800))], [7], 'the cut clip for 50 ms only');
    t.equal(nonZero(2800, 4000), 0, 'a clip without a file is silence');
    t.ok(nonZero(4000, 4010) > 0, 'the tone starts at 500 ms');
    t.same(cadence(out.subarray(4000), 8000), [250, 250], 'reorder 250 on, 250 off until the end');
  },
);

interface Played {
  clip: string;
  start: number;
  end: number;
}

/** Each clip the trace played, with the time it stopped (its end or where it was cut). */
function playedClips(trace: TraceEvent[]): Played[] {
  const played: Played[] = [];
  for (const e of trace) {
    if (e.type === 'play') played.push({ clip: e.clip, start: e.t, end: e.t + e.ms });
    if (e.type === 'play-cut') {
      const last = played[played.length - 1];
      if (last?.clip === e.clip) last.end = e.t;
    }
  }
  return played;
}

function toneCheck(t: Test, tone: Int16Array, profile: LineProfile): void {
  const spec = profile.tones.reorder;
  const period = spec.cadenceMs.reduce((a, b) => a + b, 0);
  const runs = cadence(tone, 8000);
  const whole = runs.slice(0, Math.floor((tone.length / 8 - 1) / period) * spec.cadenceMs.length);
  t.ok(whole.length >= 2 * spec.cadenceMs.length, `at least two whole cadence periods (${whole.length} runs)`);
  t.same(
    whole,
    whole.map((_, i) => spec.cadenceMs[i % spec.cadenceMs.length]),
    `${profile.name} reorder cadence ${spec.cadenceMs.join('/')} ms, measured`,
  );
  // Frequencies, measured in the first "on" stretch (Goertzel over all of it).
  const on = tone.subarray(0, spec.cadenceMs[0]! * 8);
  const present = spec.frequencies.map((f) => goertzel(on, f, 8000));
  const others = [350, 425, 440, 450, 500, 700, 1000, 1400].filter((f) =>
    spec.frequencies.every((g) => Math.abs(f - g) > 20),
  );
  const strongestOther = Math.max(...others.map((f) => goertzel(on, f, 8000)));
  // A sine of amplitude A gives Goertzel power (A/2)² (normalised): the level in dBm0 checks out too.
  const expected = (dbm0ToAmplitude(spec.levelDbm0) / 32768 / 2) ** 2;
  for (const [i, f] of spec.frequencies.entries()) {
    t.ok(
      Math.abs(present[i]! / expected - 1) < 0.05,
      `${f} Hz at ${spec.levelDbm0} dBm0 (power ${present[i]!.toExponential(3)}, expected ${expected.toExponential(3)})`,
    );
    t.ok(
      present[i]! > 100 * strongestOther,
      `${f} Hz is present (${present[i]!.toExponential(2)} vs at most ${strongestOther.toExponential(2)} elsewhere)`,
    );
  }
}

for (const profile of [NORTH_AMERICA, UNITED_KINGDOM]) {
  t.test(
    `sim --wav (${profile.name}): the WAV is as long as the trace, each clip at its play time, the reorder tone after hangup`,
    async (t) => {
      const top = mkdtempSync(join(tmpdir(), 'ringdown-wav-'));
      const menu = join(top, 'door-phone.xml');
      copyFileSync('examples/door-phone.xml', menu);
      const dir = join(top, 'clips');
      const clips = ringdown('clips', menu, '--out', dir);
      t.equal(clips.code, 0, clips.err);
      const file = join(top, 'call.wav');
      const sim = ringdown(
        'sim',
        menu,
        '--events',
        'offhook@0 2@3 1@5.5 onhook@20',
        '--profile',
        profile.name,
        '--jsonl',
        '--wav',
        file,
      );
      t.equal(sim.code, 0, sim.err);
      t.equal(sim.err, '');
      const trace = sim.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as TraceEvent);
      const samples = samplesOf(file);
      const end = trace[trace.length - 1]!;
      t.equal(end.type, 'end');
      t.equal(samples.length, end.t * 8, `length ${samples.length} samples = end t ${end.t} ms × 8`);

      const played = playedClips(trace);
      t.same(
        played.map((p) => p.clip),
        [
          'welcome-for-the-office-press-1',
          'leave-parcels-in-the-box-by-the-gate-press-1-if-194afaee',
          'please-leave-the-parcel-with-the-neighbour-at-number-12',
          'thank-you-goodbye',
        ],
      );
      t.equal(samples.subarray(0, played[0]!.start * 8).filter((v) => v !== 0).length, 0, 'silence during the Delay');
      for (const p of played) {
        const clip = samplesOf(join(dir, `${p.clip}.wav`));
        const n = Math.min(clip.length, (p.end - p.start) * 8);
        const heard = samples.subarray(p.start * 8, p.start * 8 + n);
        t.ok(
          n > 0 && heard.every((v, i) => v === clip[i]),
          `${p.clip}: ${n} samples at ${p.start} ms are the clip's own`,
        );
        t.ok(
          clip.some((v, i) => i < n && v !== 0),
          `${p.clip} is not silence`,
        );
      }
      const hangup = trace.find((e) => e.type === 'hangup');
      const onhook = trace.find((e) => e.type === 'onhook');
      t.ok(hangup !== undefined && onhook !== undefined);
      t.equal(played[played.length - 1]!.end, hangup!.t, 'the goodbye clip plays to its end, then the menu hangs up');
      const tone = samples.subarray(hangup!.t * 8, onhook!.t * 8);
      t.ok(Math.abs(tone[1]!) > 0, 'the tone starts at the hangup');
      toneCheck(t, tone, profile);
      t.equal(samples.subarray(onhook!.t * 8).length, 0, 'the recording ends when the handset goes down');
    },
  );
}

/** Runs ringdown in a child process and reports its peak memory (resident set, MB). */
function measured(...args: string[]): { code: number | null; out: string; err: string; peakMb: number } {
  const code = `import { main } from './dist/tools/cli.js';
process.exitCode = await main(JSON.parse(process.argv[1]));
process.stderr.write('peak-kb=' + process.resourceUsage().maxRSS + '\\n');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, JSON.stringify(args)], {
    encoding: 'utf8',
    timeout: 100_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const peak = /peak-kb=(\d+)/.exec(r.stderr);
  return {
    code: r.status,
    out: r.stdout,
    err: r.stderr.replace(/peak-kb=\d+\n/, ''),
    peakMb: peak !== null ? Number(peak[1]) / 1024 : Infinity,
  };
}

t.test(
  'callBlocks: the call in blocks of at most BLOCK_SAMPLES, sample for sample what renderCall gives',
  async (t) => {
    const clip = new Int16Array(30_000).map((_, i) => (i % 200) - 100);
    const options = {
      segments: [
        { kind: 'clip' as const, name: 'a', start: 1000, end: 13_000 },
        { kind: 'tone' as const, name: 'reorder', start: 9000, tone: NORTH_AMERICA.tones.reorder },
        { kind: 'clip' as const, name: 'a', start: 20_000, end: 21_000 },
      ],
      endMs: 35_001,
      clip: (name: string) => (name === 'a' ? clip : undefined),
    };
    const whole = renderCall(options);
    const parts: Int16Array[] = [];
    for (const block of callBlocks(options)) {
      t.ok(block.length <= BLOCK_SAMPLES);
      parts.push(block.slice());
    }
    const joined = new Int16Array(whole.length);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    t.equal(at, whole.length);
    t.same(joined, whole, 'block boundaries fall inside clips and tones without a seam');
    const bytes: Uint8Array[] = [];
    streamWav(whole.length, callBlocks(options), (b) => bytes.push(b.slice()));
    t.same(Buffer.concat(bytes), Buffer.from(encodeWav(whole)), 'the streamed file is the file encodeWav makes');
  },
);

t.test(
  'sim --wav: a run too long for a recording is refused before anything is written; a long one is written in constant memory',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ringdown-long-'));
    const wav = join(dir, 'o.wav');
    for (const until of ['200000', '1000000']) {
      const r = measured('sim', 'examples/door-phone.xml', '--clip-ms', '1000', '--until', until, '--wav', wav);
      t.equal(r.code, 1, `--until ${until}: exit 1`);
      t.match(
        r.err,
        `${wav}: error: the recording would last ${Math.round(Number(until) / 3600)} hours; a WAV this tool writes is at most 4 hours (230 MB at 8 kHz); nothing written (hint: end the run sooner with --until)`,
      );
      t.notOk(existsSync(wav), 'no file, not even an empty one');
    }
    const delays = join(dir, 'delays.xml');
    // The longest call a menu may allow (TimeLimit, 24 h) is still too long to record.
    writeFileSync(delays, `<Response TimeLimit="86400">${'<Delay>3600</Delay>'.repeat(500)}</Response>`);
    const slow = measured('sim', delays, '--wav', wav);
    t.equal(slow.code, 1);
    t.match(slow.err, 'the recording would last 24 hours');
    t.notOk(existsSync(wav));

    // One hour of reorder tone: 57.6 MB of samples, written block by block.
    const hour = measured('sim', 'examples/door-phone.xml', '--clip-ms', '1000', '--until', '3600', '--wav', wav);
    t.equal(hour.code, 0, hour.err);
    t.equal(statSync(wav).size, 44 + 3600 * 16000);
    t.ok(hour.peakMb < 120, `peak memory ${hour.peakMb.toFixed(0)} MB for a 58 MB WAV`);
    t.same(readFileSync(wav).subarray(0, 44), Buffer.from(wavHeader(3600 * 8000)), 'the header says one hour');
  },
);
