/**
 * The real-audio part of the DTMF bench: talk-off (keys found in recorded prompts and music, per
 * hour) and barge-in (keys under recorded speech and music) for every receiver, on the corpus of
 * `corpus.ts`.
 */
import { DTMF_KEYS } from '../../src/dsp/dtmf-keys.js';
import { activeRms, dtmfPairRms, mixInto, renderDtmf, seededRandom } from '../../src/dsp/dtmf-signal.js';
import { VARIANTS, type Corpus, type Kind, type Loaded, type Variant } from './corpus.js';

/** A receiver run on one signal: the keys found in order, and the seconds it took. */
export type Receiver = (name: string, samples: Int16Array) => { found: string; seconds: number };

export interface RealReceiver {
  name: string;
  run: Receiver;
}

/** Length of the longest common subsequence: keys found in order. */
export function matched(a: string, b: string): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(up, row[j - 1]!);
      diagonal = up;
    }
  }
  return row[b.length]!;
}

export interface TalkOff {
  source: Loaded;
  variant: Variant;
  /** Keys found, per receiver. */
  found: string[];
}

export function talkOff(corpus: Corpus, receivers: RealReceiver[], seconds: number[]): TalkOff[] {
  const out: TalkOff[] = [];
  for (const source of corpus.loaded) {
    for (const variant of VARIANTS) {
      const samples = source.variants.get(variant)!;
      const found = receivers.map((r, i) => {
        const run = r.run(`${source.source.id}-${variant.replace(/\W+/g, '-')}`, samples);
        seconds[i]! += run.seconds;
        return run.found;
      });
      out.push({ source, variant, found });
    }
  }
  return out;
}

export interface BargeIn {
  kind: Kind;
  relativeDb: number;
  keys: number;
  /** found, missed, false per receiver. */
  cells: [number, number, number][];
}

/** Key timing of the barge-in signals. */
export const BARGE_TONE_MS = 60;
export const BARGE_GAP_MS = 60;
const BARGE_LEVEL_DBM0 = -10;

/**
 * Keys (all 16, `BARGE_TONE_MS` on and off, -10 dBm0 per tone) over `places` stretches of the
 * recordings of `kind` (steep band-pass, natural level; drawn from every source, seeded), each
 * stretch at an active level `relativeDb` against the keys.
 */
export function bargeInSignal(
  corpus: Corpus,
  kind: Kind,
  relativeDb: number,
  places: number,
): { samples: Int16Array; keys: string } {
  const sources = corpus.loaded.filter((l) => l.source.kind === kind);
  const one = renderDtmf(DTMF_KEYS, { levelDbm0: BARGE_LEVEL_DBM0, toneMs: BARGE_TONE_MS, gapMs: BARGE_GAP_MS });
  const length = one.samples.length;
  const samples = new Int16Array(length * places);
  const random = seededRandom(14);
  const reference = dtmfPairRms(BARGE_LEVEL_DBM0);
  for (let p = 0; p < places; p++) {
    const block = samples.subarray(p * length, (p + 1) * length);
    block.set(one.samples);
    const source = sources[p % sources.length]!.variants.get('steep, natural')!;
    // A stretch with sound in it (a prompt's file may end in silence): try a few places.
    let stretch = source.subarray(0, length);
    let level = 0;
    for (let tries = 0; tries < 20 && level === 0; tries++) {
      const at = Math.floor(random() * Math.max(1, source.length - length));
      stretch = source.subarray(at, at + length);
      const a = activeRms(stretch);
      // Active over at least a third of the stretch, so the level means something.
      let loud = 0;
      for (let i = 0; i + 128 <= stretch.length; i += 128) {
        let e = 0;
        for (let j = i; j < i + 128; j++) e += stretch[j]! * stretch[j]!;
        if (Math.sqrt(e / 128) >= a / 10) loud++;
      }
      if (loud * 128 * 3 >= stretch.length) level = a;
    }
    if (level > 0) mixInto(block, stretch, 0, (reference * Math.pow(10, relativeDb / 20)) / level);
  }
  return { samples, keys: DTMF_KEYS.repeat(places) };
}

export function bargeIn(corpus: Corpus, receivers: RealReceiver[], places: number): BargeIn[] {
  const out: BargeIn[] = [];
  for (const kind of ['speech', 'music'] as const) {
    if (!corpus.loaded.some((l) => l.source.kind === kind)) continue;
    for (const relativeDb of [0, -6, -10, -15]) {
      const signal = bargeInSignal(corpus, kind, relativeDb, places);
      const cells = receivers.map((r) => {
        const found = r.run(`barge-${kind}${relativeDb}`, signal.samples).found;
        const hit = matched(signal.keys, found);
        return [hit, signal.keys.length - hit, found.length - hit] as [number, number, number];
      });
      out.push({ kind, relativeDb, keys: signal.keys.length, cells });
    }
  }
  return out;
}

function perHour(keys: number, seconds: number): string {
  const v = (keys * 3600) / seconds;
  return v === 0 ? '0' : v < 10 ? v.toFixed(1) : v.toFixed(0);
}

/** The real-audio tables, as Markdown lines. */
export function realTables(
  corpus: Corpus,
  names: string[],
  talk: TalkOff[],
  barge: BargeIn[],
  seconds: number[],
  audioSeconds: number,
): string[] {
  const lines: string[] = [];
  const hours = (s: number): string => (s / 3600).toFixed(2);
  lines.push('Talk-off on real recordings: false keys (all four line variants together) and per hour of audio;');
  lines.push(
    'cells are `keys (per hour)` over the four variants (hours: of one variant); "tune" sources were used while tuning our receiver, "held-out" ones only reported.\n',
  );
  lines.push(`| source | split | hours | ${names.join(' | ')} |`);
  lines.push(`|---|---|---|${names.map(() => '---').join('|')}|`);
  const sum = (rows: TalkOff[], i: number): number => rows.reduce((n, r) => n + r.found[i]!.length, 0);
  const secs = (rows: TalkOff[]): number => rows.reduce((n, r) => n + r.source.seconds, 0);
  for (const l of corpus.loaded) {
    const rows = talk.filter((t) => t.source === l);
    const cells = names.map((_, i) => `${sum(rows, i)} (${perHour(sum(rows, i), secs(rows))})`);
    lines.push(
      `| ${l.source.id}: ${l.source.what}, ${l.files} files | ${l.source.split} | ${hours(l.seconds)} | ${cells.join(' | ')} |`,
    );
  }
  for (const kind of ['speech', 'music'] as const) {
    for (const split of ['tune', 'held-out', undefined] as const) {
      const rows = talk.filter(
        (t) => t.source.source.kind === kind && (split === undefined || t.source.source.split === split),
      );
      if (rows.length === 0) continue;
      const cells = names.map((_, i) => `**${sum(rows, i)} (${perHour(sum(rows, i), secs(rows))})**`);
      lines.push(
        `| **all ${kind}${split === undefined ? '' : `, ${split}`}** | | ${hours(secs(rows) / VARIANTS.length)} | ${cells.join(' | ')} |`,
      );
    }
  }
  for (const v of VARIANTS) {
    for (const kind of ['speech', 'music'] as const) {
      const rows = talk.filter((t) => t.variant === v && t.source.source.kind === kind);
      if (rows.length === 0) continue;
      const cells = names.map((_, i) => `${sum(rows, i)} (${perHour(sum(rows, i), secs(rows))})`);
      lines.push(`| ${kind}, ${v} only | | ${hours(secs(rows))} | ${cells.join(' | ')} |`);
    }
  }
  const falseKeys = new Map<string, number>();
  for (const t of talk) for (const k of t.found[0] ?? '') falseKeys.set(k, (falseKeys.get(k) ?? 0) + 1);
  lines.push('');
  lines.push(`${names[0]}: false keys by key: ${[...falseKeys].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}.`);
  lines.push('');
  lines.push(
    `Barge-in on real recordings: all 16 keys (${BARGE_TONE_MS} ms on, ${BARGE_GAP_MS} ms off, -10 dBm0 per tone) over stretches`,
  );
  lines.push('of the recordings (steep band-pass, every source of the kind, seeded places) at an active level');
  lines.push('below the keys; cells are found/missed/false keys.\n');
  lines.push(`| background | keys | ${names.join(' | ')} |`);
  lines.push(`|---|---|${names.map(() => '---').join('|')}|`);
  for (const b of barge) {
    const cells = b.cells.map(([f, m, x]) => `${f}/${m}/${x} (${((100 * f) / b.keys).toFixed(1)} %)`);
    lines.push(
      `| ${b.kind}, ${b.relativeDb === 0 ? 'equal level' : `${-b.relativeDb} dB below`} | ${b.keys} | ${cells.join(' | ')} |`,
    );
  }
  lines.push(
    `| **ms per second of audio** (talk-off and barge-in, ${(audioSeconds / 3600).toFixed(1)} h) | | ${seconds.map((s) => ((s * 1000) / audioSeconds).toFixed(3)).join(' | ')} |`,
  );
  return lines;
}
