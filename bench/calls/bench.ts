/**
 * `npm run bench`: what the firmware costs on the XS engine (xsnap-worker, Moddable's XS).
 * Prints figures; gates nothing. Each operation runs as its own XS crank:
 * - compute: XS's deterministic meter for the crank, minus an empty call's;
 * - heap: slots in use at the end of the crank minus those live after a `gc()` crank just before
 *   it (the crank's growth: a high-water mark, since the XS heap is large enough here that it does
 *   not collect in between);
 * - bytes: esbuild bundles, minified.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { loadMenu } from '../../src/ozml/load.js';
import { parseXml } from '../../src/ozml/xml.js';
import { SCENARIOS } from '../../test/scenarios/table.js';
import { bundleForXs, defineGlobal, REPO_ROOT } from '../../test/xs/bundle.js';
import { XsWorker, type XsResult } from '../../test/xs/xsnap.js';

const ENTRY = 'bench/calls/entry.ts';
const CALLS = 1000;
/** Parses per wall-time figure. */
const TIMED_RUNS = 200;
/** The call of the 1,000: key 2 at 7 s in the detailed example, handset down at 12 s. */
const LONG_MENU = 'examples/ozeki/hangup-detailed.xml';
const LONG_SCRIPT = 'offhook@0 2@7 onhook@12';

function menuFiles(): string[] {
  const list = (dir: string) =>
    readdirSync(join(REPO_ROOT, dir))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => `${dir}/${f}`);
  return [...list('examples'), ...list('examples/ozeki')];
}

class Bench {
  private baseline = 0;
  /** The last value the XS side sent with `issueCommand`. */
  private received = '';

  /** Compute of a crank that calls an empty operation. */
  get emptyCompute(): number {
    return this.baseline;
  }

  constructor(private readonly xs: XsWorker) {}

  static async start(menus: Record<string, string>): Promise<Bench> {
    let bench: Bench | undefined;
    const xs = new XsWorker({
      onCommand: (bytes) => {
        if (bench !== undefined) bench.received = new TextDecoder().decode(bytes);
        return new Uint8Array(0);
      },
    });
    const loaded = await xs.evaluate(defineGlobal('RINGDOWN_MENUS', menus) + (await bundleForXs({ entry: ENTRY })));
    check(loaded, 'loading the bundle');
    bench = new Bench(xs);
    bench.baseline = (await bench.crank('baseline', '')).compute;
    return bench;
  }

  /** Runs `RB[op](...args)` as one crank after a `gc()` crank: compute and heap growth. */
  async measure(op: string, ...args: string[]): Promise<{ compute: number; heap: number }> {
    const before = await this.xs.evaluate('gc()');
    check(before, 'gc');
    const run = await this.crank(op, ...args);
    return { compute: run.compute - this.baseline, heap: run.heap - before.meters.currentHeapCount };
  }

  /** Heap slots live after a full collection. */
  async liveAfterGc(): Promise<number> {
    await this.xs.evaluate('gc()');
    const after = await this.xs.evaluate('gc()');
    return after.meters.currentHeapCount;
  }

  async crank(op: string, ...args: string[]): Promise<{ compute: number; heap: number }> {
    const result = await this.xs.evaluate(`RB.${op}(${args.map((a) => JSON.stringify(a)).join(', ')}); undefined`);
    check(result, `${op}(${args.join(', ')})`);
    return { compute: result.meters.compute, heap: result.meters.currentHeapCount };
  }

  /** Mean wall time of `RB[op](path)` in µs over `runs` runs in one evaluation. */
  async time(op: string, path: string, runs: number): Promise<number> {
    await this.crank('time', op, path, String(runs));
    return Number(this.received);
  }

  async close(): Promise<void> {
    await this.xs.close();
  }
}

function check(result: XsResult, what: string): void {
  if (!result.ok) throw new Error(`XS failed in ${what}: ${result.error ?? 'unknown error'}`);
}

async function minifiedBytes(contents: string): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.contents.length ?? 0;
}

function table(head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  process.stdout.write(
    `${line(head)}\n|${widths.map((w, i) => (i === 0 ? `-${'-'.repeat(w)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|\n`,
  );
  for (const r of cells.slice(1)) process.stdout.write(`${line(r)}\n`);
  process.stdout.write('\n');
}

const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const files = menuFiles();
  const menus: Record<string, string> = {};
  for (const f of files) menus[f] = readFileSync(join(REPO_ROOT, f), 'utf8');
  const bench = await Bench.start(menus);

  process.stdout.write(
    `# ringdown on XS (xsnap-worker from @agoric/xsnap): compute = XS meter, heap = slots (16 bytes each on a 32-bit MCU)\n\n`,
  );

  process.stdout.write('## Parse + check each example menu\n\n');
  const parseRows: (string | number)[][] = [];
  const parserRows: (string | number)[][] = [];
  for (const f of files) {
    const parseCheck = await bench.measure('parseCheck', f);
    const loaded = loadMenu(menus[f]!, undefined, SIM_OUTPUT_NAMES);
    const first = loaded.diagnostics.find((d) => d.severity === 'error');
    const verdict = first === undefined ? 'ok' : `error at ${first.line}:${first.col}`;
    parseRows.push([f, menus[f]!.length, verdict, parseCheck.compute, parseCheck.heap]);
    // The libraries are compared on well-formed documents only (they differ in what they reject).
    if (!parseXml(menus[f]!).ok) continue;
    const ours = await bench.measure('parse', f);
    const txml = await bench.measure('txml', f);
    const fxp = await bench.measure('fastXmlParser', f);
    const saxes = await bench.measure('saxes', f);
    parserRows.push([
      f,
      ours.compute,
      txml.compute,
      fxp.compute,
      saxes.compute,
      ratio(txml.compute, ours.compute),
      ratio(fxp.compute, ours.compute),
      ratio(saxes.compute, ours.compute),
      ours.heap,
      txml.heap,
      fxp.heap,
      saxes.heap,
    ]);
  }
  table(['menu', 'bytes', 'result', 'compute', 'peak heap'], parseRows);

  process.stdout.write('## XML parsers on XS, same documents (compute; ratio = library ÷ ours; heap = slots)\n\n');
  table(
    [
      'menu',
      'ours',
      'txml',
      'fast-xml-parser',
      'saxes',
      'txml/ours',
      'fxp/ours',
      'saxes/ours',
      'heap ours',
      'heap txml',
      'heap fxp',
      'heap saxes',
    ],
    parserRows,
  );

  process.stdout.write(
    `## The same parsers in wall time (µs per parse, mean of ${TIMED_RUNS}; XS on this computer, garbage collection included; a figure varies by up to a third from run to run)\n\n`,
  );
  const timeRows: (string | number)[][] = [];
  for (const f of files) {
    if (!parseXml(menus[f]!).ok) continue;
    const [ours, txml, fxp, saxes] = [
      await bench.time('parse', f, TIMED_RUNS),
      await bench.time('txml', f, TIMED_RUNS),
      await bench.time('fastXmlParser', f, TIMED_RUNS),
      await bench.time('saxes', f, TIMED_RUNS),
    ];
    timeRows.push([
      f,
      ours.toFixed(0),
      txml.toFixed(0),
      fxp.toFixed(0),
      saxes.toFixed(0),
      ratio(txml, ours),
      ratio(fxp, ours),
      ratio(saxes, ours),
    ]);
  }
  table(['menu', 'ours', 'txml', 'fast-xml-parser', 'saxes', 'txml/ours', 'fxp/ours', 'saxes/ours'], timeRows);

  process.stdout.write('## A full simulated call of each Ozeki example (clips 2 s, parse + check included)\n\n');
  const callRows: (string | number)[][] = [];
  for (const f of files.filter((x) => x.startsWith('examples/ozeki/'))) {
    if (loadMenu(menus[f]!, undefined, SIM_OUTPUT_NAMES).menu === undefined) continue; // malformed: no call
    const script = SCENARIOS.find((s) => s.menu === f)?.events ?? 'offhook@0';
    const call = await bench.measure('call', f, script);
    callRows.push([f, script, call.compute, call.heap]);
  }
  table(['menu', 'events', 'compute', 'peak heap'], callRows);

  process.stdout.write(`## ${CALLS} consecutive calls on one phone (${LONG_MENU}, "${LONG_SCRIPT}")\n\n`);
  // Each evaluation the worker receives keeps one slot (measured: 1,000 empty cranks leave
  // +1,000 slots), so the same sequence of cranks runs with empty operations as a control.
  const longRun = async (op: string) => {
    const first = await bench.measure(op, '1');
    const liveFirst = await bench.liveAfterGc();
    await bench.crank(op, String(CALLS - 2));
    const last = await bench.measure(op, '1');
    const liveLast = await bench.liveAfterGc();
    return { first: first.compute, last: last.compute, liveFirst, liveLast };
  };
  await bench.crank('startLongRun', LONG_MENU, LONG_SCRIPT);
  const calls = await longRun('longCalls');
  const control = await longRun('baseline');
  const growth = calls.liveLast - calls.liveFirst - (control.liveLast - control.liveFirst);
  table(
    ['call', 'compute', 'heap after gc()'],
    [
      ['1', calls.first, calls.liveFirst],
      [String(CALLS), calls.last, calls.liveLast],
    ],
  );
  process.stdout.write(
    `heap after gc(), call ${CALLS} minus call 1: ${calls.liveLast - calls.liveFirst} slots; the same cranks without calls: ${control.liveLast - control.liveFirst}; growth due to the calls: ${growth} slots\n\n`,
  );
  await bench.close();

  process.stdout.write('## Bytes of bundled code (esbuild, minified)\n\n');
  table(
    ['bundle', 'bytes'],
    [
      ['ours: XML parser (src/ozml/xml.ts)', await minifiedBytes("export { parseXml } from './src/ozml/xml.ts';")],
      ['ours: parser + checker (loadMenu)', await minifiedBytes("export { loadMenu } from './src/ozml/load.ts';")],
      [
        'ours: parser + checker + engine (Phone)',
        await minifiedBytes(
          "export { loadMenu } from './src/ozml/load.ts'; export { Phone } from './src/engine/phone.ts';",
        ),
      ],
      ['txml (txml/txml)', await minifiedBytes("export { parse } from 'txml/txml';")],
      ['fast-xml-parser (XMLParser)', await minifiedBytes("export { XMLParser } from 'fast-xml-parser';")],
      ['saxes (SaxesParser)', await minifiedBytes("export { SaxesParser } from 'saxes';")],
      ['this benchmark on XS (all of the above + sim)', (await bundleForXs({ entry: ENTRY, minify: true })).length],
    ],
  );
}

await main();
