import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';

/** The pure core and the simulated board must run on XS and the chip: no Node, no host globals. */
const PURE = ['src', 'sim', 'hal'];
/** The one simulator part on host timers: the wall clock the tui and the studio run calls on. */
const HOST_TIMED = new Set([join('sim', 'realtime-clock.ts')]);
const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"]node:/, 'imports a node: module'],
  [/from\s+['"](fs|path|os|child_process|util|events|buffer|process|timers)['"]/, 'imports a Node module'],
  [/\brequire\s*\(/, 'uses require()'],
  [/\b(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|queueMicrotask)\s*\(/, 'uses a timer global'],
  [/\b(console|process|Buffer|globalThis|Date\.now|performance)\b|(?<![\w./-])window\./, 'uses a host global'],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !HOST_TIMED.has(path) ? [path] : [];
  });
}

function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

t.test('src/, sim and hal interfaces use nothing from Node or the host', async (t) => {
  const all = PURE.flatMap(files);
  t.ok(all.length > 10, `found ${all.length} files`);
  for (const file of all) {
    const text = code(readFileSync(file, 'utf8'));
    for (const [pattern, what] of FORBIDDEN) t.notMatch(text, pattern, `${file} ${what}`);
  }
});

t.test('the check itself catches a violation', async (t) => {
  const bad = code(
    "import { readFileSync } from 'node:fs';\nsetTimeout(() => {}, 1); // fine in a comment: setTimeout(\n",
  );
  t.match(bad, FORBIDDEN[0]![0]);
  t.match(bad, FORBIDDEN[2 + 1]![0]);
});
