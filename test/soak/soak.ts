/**
 * `npm run soak [-- --calls N --batch N --engine xs|node --seed N]`: the soak of soak-calls.ts,
 * on the XS engine by default (bundled with esbuild, run by xsnap-worker), with the live heap
 * measured after `gc()` before the first call and after every batch. It prints one line per batch
 * and the figures, and fails (exit 1) on any broken invariant or when the heap grows: more than
 * `maxGrowth` between the first batch and the end, or a steady trend over the batches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleForXs, defineGlobal, REPO_ROOT } from '../xs/bundle.js';
import { XsWorker } from '../xs/xsnap.js';
import { Soak, type SoakSummary } from './soak-calls.js';

/** The menus the soak phones run: the examples, plus one that does not load (the fallback runs). */
export const SOAK_MENUS = [
  'examples/door-phone.xml',
  'examples/door-pin.xml',
  'examples/ozeki/hangup-detailed.xml',
  'examples/ozeki/third-party-detailed.xml',
  'test/menus/features.xml',
  'test/menus/type-ahead.xml',
  'test/menus/busy-loop.xml',
];

export interface SoakOptions {
  calls: number;
  batch: number;
  engine: 'xs' | 'node';
  seed: number;
  /** Print each batch as it ends. */
  progress?: (line: string) => void;
}

export interface SoakReport {
  engine: 'xs' | 'node';
  summary: SoakSummary;
  /** Live heap after gc(): before the first call, then after each batch. */
  heap: number[];
  unit: 'slots' | 'bytes';
  /** Calls after which each heap sample was taken. */
  at: number[];
  seconds: number;
}

function menus(): Record<string, string> {
  return Object.fromEntries(SOAK_MENUS.map((f) => [f, readFileSync(join(REPO_ROOT, f), 'utf8')]));
}

/** Runs the soak on the engine asked for; resolves with the summary and the heap samples. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const report: SoakReport = {
    engine: options.engine,
    summary: { calls: 0, events: 0, virtualMs: 0, logged: 0, violations: [] },
    heap: [],
    unit: 'slots',
    at: [],
    seconds: 0,
  };
  const batches: number[] = [];
  for (let left = options.calls; left > 0; left -= options.batch) batches.push(Math.min(left, options.batch));
  if (options.engine === 'node') {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) throw new Error('the Node soak needs node --expose-gc');
    report.unit = 'bytes';
    const soak = new Soak(menus(), options.seed);
    const sample = (): void => {
      gc();
      report.heap.push(process.memoryUsage().heapUsed);
      report.at.push(report.summary.calls);
    };
    sample();
    for (const n of batches) {
      report.summary = soak.run(n);
      sample();
      options.progress?.(batchLine(report));
    }
  } else {
    const bundle = await bundleForXs({ entry: 'test/soak/soak-entry.ts' });
    const worker = new XsWorker({ meteringLimit: 0 });
    try {
      const setup = await worker.evaluate(
        defineGlobal('RINGDOWN_SOAK', { menus: menus(), seed: options.seed }) + bundle,
      );
      if (!setup.ok) throw new Error(`soak setup failed on XS: ${setup.error ?? ''}`);
      const sample = async (): Promise<void> => {
        const r = await worker.evaluate('gc()');
        if (!r.ok) throw new Error(`gc() failed on XS: ${r.error ?? ''}`);
        report.heap.push(r.meters.currentHeapCount);
        report.at.push(report.summary.calls);
      };
      await sample();
      for (const n of batches) {
        const r = await worker.evaluate(`soakRun(${n})`);
        const line = r.prints.at(-1);
        if (!r.ok || line === undefined)
          throw new Error(
            `soak batch failed on XS: ${r.error ?? 'no result'}${worker.stderr !== '' ? `: ${worker.stderr.trim()}` : ''}`,
          );
        report.summary = JSON.parse(line) as SoakSummary;
        await sample();
        options.progress?.(batchLine(report));
      }
    } finally {
      await worker.close();
    }
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function batchLine(r: SoakReport): string {
  const heap = r.heap.at(-1)!;
  return `  ${String(r.summary.calls).padStart(6)} calls  ${String(r.summary.events).padStart(8)} events  heap after gc ${String(heap).padStart(9)} ${r.unit} (${signed(heap - r.heap[0]!)} since start)`;
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n}`;
}

export interface HeapVerdict {
  /** Heap at the end minus after the first batch (the first batch fills caches and the log). */
  growth: number;
  /** Least-squares slope over the samples from the first batch on, per 1000 calls. */
  slopePer1000: number;
  /** Largest sample minus the smallest, from the first batch on. */
  spread: number;
  ok: boolean;
}

/** Judges the samples: flat when neither the growth nor the trend over the run exceeds `maxGrowth`. */
export function judgeHeap(report: SoakReport, maxGrowth: number): HeapVerdict {
  const xs = report.at.slice(1);
  const ys = report.heap.slice(1);
  const n = ys.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  const growth = ys[n - 1]! - ys[0]!;
  const span = (xs[n - 1] ?? 0) - (xs[0] ?? 0);
  return {
    growth,
    slopePer1000: slope * 1000,
    spread: Math.max(...ys) - Math.min(...ys),
    ok: n > 0 && growth <= maxGrowth && slope * span <= maxGrowth,
  };
}

/** Heap growth allowed over a whole soak, by unit: a few objects, never one per call. */
export const MAX_GROWTH = { slots: 500, bytes: 1_000_000 } as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      calls: { type: 'string', default: '10000' },
      batch: { type: 'string', default: '1000' },
      engine: { type: 'string', default: 'xs' },
      seed: { type: 'string', default: '7' },
    },
  });
  const engine = values.engine === 'node' ? 'node' : 'xs';
  const options: SoakOptions = {
    calls: Number(values.calls),
    batch: Number(values.batch),
    engine,
    seed: Number(values.seed),
    progress: (line) => process.stdout.write(`${line}\n`),
  };
  process.stdout.write(
    `soak on ${engine}: ${options.calls} calls in batches of ${options.batch}, seed ${options.seed}, menus ${SOAK_MENUS.length}\n`,
  );
  const report = await runSoak(options);
  const verdict = judgeHeap(report, MAX_GROWTH[report.unit]);
  const s = report.summary;
  const out = [
    `calls ${s.calls}, line events ${s.events}, virtual time ${(s.virtualMs / 3_600_000).toFixed(1)} h, log holds the newest ${s.logged}`,
    `heap after gc(): before the first call ${report.heap[0]} ${report.unit}, after the first batch ${report.heap[1]}, at the end ${report.heap.at(-1)}`,
    `growth after the first batch ${signed(verdict.growth)} ${report.unit} (limit ${MAX_GROWTH[report.unit]}), trend ${verdict.slopePer1000.toFixed(1)} ${report.unit} per 1000 calls, spread ${verdict.spread}`,
    `invariant violations ${s.violations.length}${s.violations.length > 0 ? `:\n  ${s.violations.join('\n  ')}` : ''}`,
    `${report.seconds.toFixed(1)} s wall time`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  const ok = verdict.ok && s.violations.length === 0 && s.calls === options.calls;
  process.stdout.write(`soak ${ok ? 'ok' : 'FAILED'}\n`);
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
