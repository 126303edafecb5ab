/**
 * `npm run bench:dtmf`: the battery through our receiver, multimon-ng and spandsp (a small C harness
 * compiled here against Debian's libspandsp-dev), side by side: keys found / missed / false per
 * condition, conditions passed, and processing time per second of audio. Prints figures; never fails
 * on them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../../src/audio/wav.js';
import { decodeDtmf } from '../../src/dsp/dtmf-decode.js';
import { STRICT_DTMF_OPTIONS } from '../../src/dsp/dtmf-detector.js';
import { battery, type Condition } from '../../test/dtmf/battery.js';
import { installTools, loadCorpus } from './corpus.js';
import { BARGE_GAP_MS, BARGE_TONE_MS, bargeIn, matched, realTables, talkOff, type RealReceiver } from './real.js';
import { xsCost } from './xs-cost.js';

interface Result {
  found: string;
  seconds: number;
}

interface Peer {
  name: string;
  /** How its time is measured. */
  timing: string;
  run(c: Condition, files: { wav: string; raw8: string; raw22: string }): Result;
}

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '..', '..', '..', 'bench', 'dtmf', 'spandsp-rx.c');
const work = mkdtempSync(join(tmpdir(), 'ringdown-bench-dtmf-'));

function run(cmd: string, args: string[]): { out: string; seconds: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error !== undefined || r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
  return { out: r.stdout, seconds };
}

const ours: Peer = {
  name: 'ours',
  timing: 'in process (Node), decode only',
  run: (c) => {
    const t0 = process.hrtime.bigint();
    const keys = decodeDtmf(c.samples);
    return { found: keys.map((k) => k.key).join(''), seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  },
};

/** Ours with the stricter talk-off settings (STRICT_DTMF_OPTIONS). */
const strict: Peer = {
  name: 'ours (strict)',
  timing: 'in process (Node), decode only, STRICT_DTMF_OPTIONS',
  run: (c) => {
    const t0 = process.hrtime.bigint();
    const keys = decodeDtmf(c.samples, STRICT_DTMF_OPTIONS);
    return { found: keys.map((k) => k.key).join(''), seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  },
};

const multimon: Peer = {
  name: 'multimon-ng',
  timing: 'whole process on 22.05 kHz raw (its native rate; resampled by sox beforehand)',
  run: (_c, files) => {
    const r = run('multimon-ng', ['-q', '-a', 'DTMF', '-t', 'raw', files.raw22]);
    const found = [...r.out.matchAll(/^DTMF: (.)/gm)].map((m) => m[1]).join('');
    return { found, seconds: r.seconds };
  },
};

function spandspPeer(): Peer {
  const binary = join(work, 'spandsp-rx');
  run('cc', ['-O2', '-o', binary, source, '-lspandsp']);
  return {
    name: 'spandsp',
    timing: 'dtmf_rx() calls only, default settings (C, -O2)',
    run: (_c, files) => {
      const [found = '', seconds = '0'] = run(binary, [files.raw8]).out.trimEnd().split('\t');
      return { found, seconds: Number(seconds) };
    },
  };
}

function score(c: Condition, found: string): { cell: string; pass: boolean | undefined } {
  const hit = matched(c.keys, found);
  const missed = c.keys.length - hit;
  const extra = found.length - hit;
  const cell = `${hit}/${missed}/${extra}`;
  if (c.want === 'keys') return { cell, pass: missed === 0 && extra === 0 };
  if (c.want === 'none') return { cell, pass: found.length === 0 };
  return { cell, pass: undefined };
}

const args = process.argv.slice(2);
const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** The same receivers on one signal of real audio: ours in process, the peers on files. */
function realReceivers(peers: Peer[]): RealReceiver[] {
  return peers.map((p) => ({
    name: p.name,
    run: (name, samples) => {
      const base = join(work, `real-${name}`);
      const files = { wav: '', raw8: `${base}.raw`, raw22: `${base}-22k.raw` };
      if (p !== ours && p !== strict) {
        writeFileSync(files.raw8, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
        if (p === multimon)
          run('sox', [
            '-t',
            'raw',
            '-r',
            '8000',
            '-e',
            'signed',
            '-b',
            '16',
            '-c',
            '1',
            files.raw8,
            '-t',
            'raw',
            '-r',
            '22050',
            files.raw22,
          ]);
      }
      const r = p.run({ name, want: 'any', samples, keys: '' }, files);
      rmSync(files.raw8, { force: true });
      rmSync(files.raw22, { force: true });
      return r;
    },
  }));
}

/**
 * Real recordings (bench/dtmf/corpus.ts): talk-off per source and barge-in, every receiver.
 * RINGDOWN_BENCH_REAL_MINUTES caps each source (default 60, files spread over the package; less
 * for a quick run); RINGDOWN_BENCH_PLACES sets the
 * barge-in stretches per background and level (default 100: 1600 keys).
 */
function realAudio(peers: Peer[]): void {
  const minutes = Number(process.env.RINGDOWN_BENCH_REAL_MINUTES ?? 60);
  const places = Number(process.env.RINGDOWN_BENCH_PLACES ?? 100);
  const corpus = loadCorpus(tmpdir(), minutes * 60);
  out('\n## Real recordings\n');
  if (corpus.installed.length > 0) out(`Installed for this run: ${corpus.installed.join(', ')}.`);
  if (corpus.missing.length > 0) out(`Not available (skipped): ${corpus.missing.join('; ')}.`);
  if (corpus.loaded.length === 0) {
    out('No recordings found: install the packages listed in bench/dtmf/corpus.ts (or run as root).');
    return;
  }
  out(
    `Used: ${corpus.loaded.map((l) => `${l.source.pkg} (${l.files} files, ${(l.seconds / 60).toFixed(0)} min)`).join(', ')}.`,
  );
  out(
    `Each converted to 8 kHz mono, then steep (sox sinc, 100 Hz transitions) and gentle (2nd-order) 300-3400 Hz band-pass, at natural level and with each file's peak at -1 dBFS.${Number.isFinite(minutes) ? ` Capped at ${minutes} min per source.` : ''}\n`,
  );
  const receivers = realReceivers(peers);
  const seconds = peers.map(() => 0);
  const talk = talkOff(corpus, receivers, seconds);
  const timed = receivers.map((r, i) => ({
    name: r.name,
    run: (name: string, samples: Int16Array) => {
      const x = r.run(name, samples);
      seconds[i]! += x.seconds;
      return x;
    },
  }));
  const barge = bargeIn(corpus, timed, places);
  const audio =
    talk.reduce((n, t) => n + t.source.seconds, 0) +
    barge.reduce((n, b) => n + (b.keys * (BARGE_TONE_MS + BARGE_GAP_MS)) / 1000, 0);
  for (const line of realTables(
    corpus,
    peers.map((p) => p.name),
    talk,
    barge,
    seconds,
    audio,
  ))
    out(line);
}

async function main(): Promise<void> {
  const tools = installTools();
  if (tools.length > 0) out(`Installed for this run: ${tools.join(', ')}.`);
  if (args.includes('--xs-only')) {
    await xs();
    return;
  }
  const peers = args.includes('--ours-only') ? [ours, strict] : [ours, strict, multimon, spandspPeer()];
  if (!args.includes('--real-only')) battery_(peers);
  if (!args.includes('--battery-only')) realAudio(peers);
  if (!args.includes('--real-only')) await xs();
  rmSync(work, { recursive: true, force: true });
}

function battery_(peers: Peer[]): void {
  const conditions = battery(tmpdir());
  const rows: string[][] = [];
  const passed = peers.map(() => 0);
  const seconds = peers.map(() => 0);
  let audio = 0;
  let judged = 0;
  conditions.forEach((c, n) => {
    const base = join(work, `c${n}`);
    const files = { wav: `${base}.wav`, raw8: `${base}.raw`, raw22: `${base}-22k.raw` };
    writeFileSync(files.wav, encodeWav(c.samples));
    writeFileSync(files.raw8, new Uint8Array(c.samples.buffer, c.samples.byteOffset, c.samples.byteLength));
    run('sox', [files.wav, '-t', 'raw', '-r', '22050', '-e', 'signed', '-b', '16', '-c', '1', files.raw22]);
    audio += c.samples.length / 8000;
    const cells = peers.map((p, i) => {
      const r = p.run(c, files);
      seconds[i]! += r.seconds;
      const s = score(c, r.found);
      if (s.pass === true) passed[i]!++;
      return s.pass === false ? `**${s.cell}**` : s.cell;
    });
    if (c.want !== 'any') judged++;
    rows.push([c.name, c.want === 'keys' ? `${c.keys.length} keys` : c.want === 'none' ? 'no key' : '(any)', ...cells]);
  });
  out(`DTMF bench: ${conditions.length} conditions, ${audio.toFixed(0)} s of 8 kHz audio.`);
  out(
    'Cells are found/missed/false keys; bold where the condition wants all keys and nothing else (or no key) and did not get it.\n',
  );
  out(`| condition | want | ${peers.map((p) => p.name).join(' | ')} |`);
  out(`|---|---|${peers.map(() => '---').join('|')}|`);
  for (const r of rows) out(`| ${r.join(' | ')} |`);
  out(`| **conditions passed** (of ${judged} judged) | | ${passed.join(' | ')} |`);
  out(`| **ms per second of audio** | | ${seconds.map((s) => ((s * 1000) / audio).toFixed(3)).join(' | ')} |`);
  out('');
  peers.forEach((p) => out(`- ${p.name} time: ${p.timing}`));
}

async function xs(): Promise<void> {
  const xs = await xsCost();
  if (typeof xs === 'string') {
    out(`- ours on XS: ${xs}`);
  } else {
    out(
      '- ours on XS (xsnap-worker, 160-sample blocks): XS `compute` meter per second of audio, heap slots left by the run:',
    );
    for (const c of xs)
      out(
        `  - ${c.signal}: ${Math.round(c.computePerSecond).toLocaleString('en-US')} compute/s, ${c.msPerSecond.toFixed(2)} ms per s of audio (this computer), ${c.keys} keys, heap +${c.heapSlots} slots`,
      );
  }
}

await main();
