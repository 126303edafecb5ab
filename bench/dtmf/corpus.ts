/**
 * Real recordings for the DTMF bench: telephone prompts (studio voices, several languages) and
 * music (music on hold, game soundtracks) from Debian packages, converted the way a phone line
 * would carry them. Nothing here is committed: the packages are found on this machine (and, as
 * root, installed with apt-get when missing), converted once into a cache folder, and the bench
 * says which it used.
 *
 * Conversion: every file to 8 kHz mono 16-bit (sox), the files of a package joined, then four
 * variants: a steep band-pass (sox `sinc`, 300-3400 Hz, 100 Hz transition bands) or a gentle one
 * (second-order high-pass 300 Hz and low-pass 3400 Hz), at the level as recorded ("natural") or with
 * each file's peak brought to -1 dBFS ("normalised").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWavSamples } from '../../src/audio/wav.js';

export type Kind = 'speech' | 'music';
/** `tune`: the material receiver changes were measured on while tuning; `held-out`: only reported. */
export type Split = 'tune' | 'held-out';

export interface Source {
  id: string;
  /** Debian package. */
  pkg: string;
  what: string;
  kind: Kind;
  split: Split;
  /** Only files whose path matches (a package may ship the same tracks once per language). */
  only?: RegExp;
}

export const SOURCES: Source[] = [
  {
    id: 'en',
    pkg: 'asterisk-core-sounds-en-wav',
    what: 'Asterisk prompts, US English (Allison)',
    kind: 'speech',
    split: 'tune',
  },
  {
    id: 'es',
    pkg: 'asterisk-core-sounds-es-wav',
    what: 'Asterisk prompts, Mexican Spanish',
    kind: 'speech',
    split: 'tune',
  },
  {
    id: 'fr',
    pkg: 'asterisk-core-sounds-fr-wav',
    what: 'Asterisk prompts, Canadian French',
    kind: 'speech',
    split: 'held-out',
  },
  {
    id: 'it',
    pkg: 'asterisk-core-sounds-it-wav',
    what: 'Asterisk prompts, Italian',
    kind: 'speech',
    split: 'held-out',
  },
  {
    id: 'ru',
    pkg: 'asterisk-core-sounds-ru-wav',
    what: 'Asterisk prompts, Russian',
    kind: 'speech',
    split: 'held-out',
  },
  {
    id: 'fr-armelle',
    pkg: 'asterisk-prompt-fr-armelle',
    what: 'French prompts (Armelle Desjardins)',
    kind: 'speech',
    split: 'held-out',
  },
  { id: 'es-co', pkg: 'asterisk-prompt-es-co', what: 'Colombian Spanish prompts', kind: 'speech', split: 'held-out' },
  {
    id: 'it-menardi',
    pkg: 'asterisk-prompt-it-menardi-wav',
    what: 'Italian prompts (Menardi)',
    kind: 'speech',
    split: 'held-out',
  },
  {
    id: 'moh',
    pkg: 'asterisk-moh-opsound-wav',
    what: 'Asterisk music on hold (opsound)',
    kind: 'music',
    split: 'tune',
  },
  {
    id: 'drascula',
    pkg: 'drascula-music',
    what: 'Drascula game soundtrack',
    kind: 'music',
    split: 'held-out',
    only: /\/audio\//,
  },
  {
    id: 'singularity',
    pkg: 'singularity-music',
    what: 'Endgame: Singularity soundtrack',
    kind: 'music',
    split: 'tune',
  },
  { id: 'asc', pkg: 'asc-music', what: 'Advanced Strategic Command soundtrack', kind: 'music', split: 'held-out' },
  { id: 'blupi', pkg: 'planetblupi-music-ogg', what: 'Planet Blupi soundtrack', kind: 'music', split: 'held-out' },
];

export const VARIANTS = ['steep, natural', 'steep, normalised', 'gentle, natural', 'gentle, normalised'] as const;
export type Variant = (typeof VARIANTS)[number];

const AUDIO = /\.(wav|ogg|flac|mp3|gsm|ul|al|sln|au)$/i;
/** The cache's format version: bump when the conversion changes. */
const VERSION = 'v1';

function sh(cmd: string, args: string[], input?: Uint8Array): { ok: boolean; out: Buffer; err: string } {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1024 * 1024 * 1024 });
  return {
    ok: r.status === 0 && r.error === undefined,
    out: r.stdout ?? Buffer.alloc(0),
    err: r.error?.message ?? r.stderr?.toString() ?? '',
  };
}

function packageFiles(pkg: string, only?: RegExp): string[] | undefined {
  const r = sh('dpkg', ['-L', pkg]);
  if (!r.ok) return undefined;
  return r.out
    .toString()
    .split('\n')
    .filter((f) => AUDIO.test(f) && (only === undefined || only.test(f)) && existsSync(f))
    .sort();
}

/** The tools the bench runs, by Debian package. */
const TOOLS: [string, string][] = [
  ['sox', '/usr/bin/sox'],
  ['libsox-fmt-all', '/usr/lib/x86_64-linux-gnu/sox'],
  ['multimon-ng', '/usr/bin/multimon-ng'],
  ['libspandsp-dev', '/usr/include/x86_64-linux-gnu/spandsp.h'],
  ['espeak-ng', '/usr/bin/espeak-ng'],
];

/** Installs the bench's tools when missing (as root); returns those installed. */
export function installTools(): string[] {
  return install(TOOLS.filter(([, path]) => !existsSync(path)).map(([pkg]) => pkg));
}

function raw(bytes: Buffer): Int16Array {
  const out = new Int16Array(Math.floor(bytes.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

/** A file as 8 kHz mono 16-bit samples (read directly when it already is; else through sox). */
function toLine(file: string): Int16Array | undefined {
  if (/\.wav$/i.test(file)) {
    const wav = readWavSamples(new Uint8Array(readFileSync(file)));
    if (typeof wav !== 'string' && wav.info.sampleRate === 8000 && wav.info.channels === 1) return wav.samples;
  }
  const r = sh('sox', [
    '-G',
    file,
    '-t',
    'raw',
    '-e',
    'signed',
    '-b',
    '16',
    '-c',
    '1',
    '-r',
    '8000',
    '-',
    'remix',
    '-',
  ]);
  return r.ok ? raw(r.out) : undefined;
}

function bandPass(samples: Int16Array, steep: boolean): Int16Array {
  const effects = steep ? ['sinc', '-t', '100', '300-3400'] : ['highpass', '300', 'lowpass', '3400'];
  const args = [
    '-G',
    '-t',
    'raw',
    '-e',
    'signed',
    '-b',
    '16',
    '-c',
    '1',
    '-r',
    '8000',
    '-',
    '-t',
    'raw',
    '-',
    ...effects,
  ];
  const r = sh('sox', args, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  if (!r.ok) throw new Error(`sox band-pass failed: ${r.err}`);
  return raw(r.out);
}

/** Each file's peak to -1 dBFS. */
function normalise(samples: Int16Array, bounds: number[]): Int16Array {
  const out = new Int16Array(samples.length);
  for (let f = 0; f + 1 < bounds.length; f++) {
    let peak = 0;
    for (let i = bounds[f]!; i < bounds[f + 1]!; i++) peak = Math.max(peak, Math.abs(samples[i]!));
    const gain = peak > 0 ? (32767 * Math.pow(10, -1 / 20)) / peak : 0;
    for (let i = bounds[f]!; i < bounds[f + 1]!; i++)
      out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * gain)));
  }
  return out;
}

export interface Loaded {
  source: Source;
  files: number;
  /** Samples per variant (8 kHz). */
  variants: Map<Variant, Int16Array>;
  seconds: number;
}

export interface Corpus {
  loaded: Loaded[];
  /** What happened to each source not loaded (not installed and could not be). */
  missing: string[];
  installed: string[];
}

/** Installs the missing packages with apt-get when root (and RINGDOWN_BENCH_NO_INSTALL is unset). */
function install(pkgs: string[]): string[] {
  if (pkgs.length === 0 || process.env.RINGDOWN_BENCH_NO_INSTALL !== undefined || process.getuid?.() !== 0) return [];
  const r = sh('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs]);
  if (!r.ok) {
    // One at a time: a package this Debian does not have must not stop the others.
    return pkgs.filter((p) => sh('apt-get', ['install', '-y', '-q', '--no-install-recommends', p]).ok);
  }
  return pkgs;
}

/**
 * Loads every source (installing what is missing when allowed), each capped at `maxSeconds`
 * (subsampling spread over its files, for quick runs), converted and cached under `cacheDir`.
 */
export function loadCorpus(cacheDir: string, maxSeconds = Infinity, kinds: Kind[] = ['speech', 'music']): Corpus {
  const wanted = SOURCES.filter((s) => kinds.includes(s.kind));
  const installed = install(wanted.filter((s) => packageFiles(s.pkg) === undefined).map((s) => s.pkg));
  const dir = join(cacheDir, `ringdown-real-audio-${VERSION}`);
  mkdirSync(dir, { recursive: true });
  const loaded: Loaded[] = [];
  const missing: string[] = [];
  for (const source of wanted) {
    const files = packageFiles(source.pkg, source.only);
    if (files === undefined || files.length === 0) {
      missing.push(`${source.pkg} (${source.what})`);
      continue;
    }
    const cap = Number.isFinite(maxSeconds) ? `-${maxSeconds}s` : '';
    const meta = join(dir, `${source.id}${cap}.json`);
    const variants = new Map<Variant, Int16Array>();
    if (existsSync(meta)) {
      const m = JSON.parse(readFileSync(meta, 'utf8')) as { files: number };
      for (const v of VARIANTS)
        variants.set(v, raw(readFileSync(join(dir, `${source.id}${cap}-${v.replace(/\W+/g, '-')}.raw`))));
      loaded.push({ source, files: m.files, variants, seconds: variants.get(VARIANTS[0])!.length / 8000 });
      continue;
    }
    // Join the files (a cap takes files spread evenly over the package).
    const parts: Int16Array[] = [];
    let total = 0;
    const order = files.map((_, i) => i);
    if (Number.isFinite(maxSeconds)) {
      // A spread of files: every k-th, k growing until the cap is met.
      order.sort((a, b) => ((a * 7919) % files.length) - ((b * 7919) % files.length));
    }
    for (const i of order) {
      if (total >= maxSeconds * 8000) break;
      const s = toLine(files[i]!);
      if (s === undefined || s.length === 0) continue;
      parts.push(s);
      total += s.length;
    }
    const joined = new Int16Array(total);
    const bounds = [0];
    for (const p of parts) {
      joined.set(p, bounds[bounds.length - 1]!);
      bounds.push(bounds[bounds.length - 1]! + p.length);
    }
    for (const steep of [true, false]) {
      const filtered = bandPass(joined, steep);
      const natural = filtered.length === joined.length ? filtered : filtered.subarray(0, joined.length);
      variants.set(steep ? 'steep, natural' : 'gentle, natural', natural);
      variants.set(steep ? 'steep, normalised' : 'gentle, normalised', normalise(natural, bounds));
    }
    for (const [v, s] of variants) {
      const file = join(dir, `${source.id}${cap}-${v.replace(/\W+/g, '-')}.raw`);
      writeFileSync(`${file}.tmp`, new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
      renameSync(`${file}.tmp`, file);
    }
    writeFileSync(meta, JSON.stringify({ files: parts.length, pkg: source.pkg }));
    loaded.push({ source, files: parts.length, variants, seconds: joined.length / 8000 });
  }
  return { loaded, missing, installed };
}
