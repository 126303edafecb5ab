/**
 * No function in the core (`src/`) is longer than 80 lines: a longer one is split into named
 * steps. Every function-like node counts (declarations, methods, accessors, constructors, arrow
 * and function expressions), measured from its first line to its last, nested ones included.
 * The CLI and the test harnesses are listed as a note, not held to it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import ts from 'typescript';
import { REPO_ROOT } from '../tools/device/repo-root.js';

const LIMIT = 80;

interface LongFunction {
  where: string;
  name: string;
  lines: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every function in `text` longer than `limit` lines. */
export function longFunctions(file: string, text: string, limit: number): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) {
        const named = node.name !== undefined ? node.name.getText(source) : '(anonymous)';
        found.push({ where: `${file}:${first + 1}`, name: named, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function scan(folder: string): LongFunction[] {
  return sourceFiles(join(REPO_ROOT, folder)).flatMap((path) =>
    longFunctions(relative(REPO_ROOT, path), readFileSync(path, 'utf8'), LIMIT),
  );
}

t.test('the measure finds a long method and a long arrow, and passes short ones', async (t) => {
  const body = Array.from({ length: LIMIT }, (_, i) => `    x += ${i};`).join('\n');
  const text = `class A {\n  long(x: number) {\n${body}\n    return x;\n  }\n  short() { return 1; }\n}\nconst f = () => {\n${body}\n};\n`;
  const found = longFunctions('a.ts', text, LIMIT);
  t.same(
    found.map((f) => [f.where, f.name, f.lines]),
    [
      ['a.ts:2', 'long', LIMIT + 3],
      [`a.ts:${LIMIT + 7}`, '(anonymous)', LIMIT + 2],
    ],
  );
});

t.test(`no function in src/ is over ${LIMIT} lines`, async (t) => {
  const long = scan('src');
  t.same(
    long.map((f) => `${f.where} ${f.name}: ${f.lines} lines`),
    [],
  );
  const cli = scan('tools');
  t.comment(`tools/ (not held to it): ${cli.length} functions over ${LIMIT} lines`);
  for (const f of cli) t.comment(`  ${f.where} ${f.name}: ${f.lines} lines`);
});
