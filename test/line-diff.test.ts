/** The save history's line diff: it rebuilds both texts, keeps as many lines as can be kept. */
import fc from 'fast-check';
import t from 'tap';
import { type DiffLine, diffLines } from '../tools/studio/line-diff.js';

const side = (diff: DiffLine[], drop: DiffLine['kind']): string =>
  diff
    .filter((l) => l.kind !== drop)
    .map((l) => l.text)
    .join('\n');

t.test('a changed line: dropped then added, the rest kept', async (t) => {
  t.same(diffLines('<Response>\n<Delay>1</Delay>\n</Response>', '<Response>\n<Delay>2</Delay>\n</Response>'), [
    { kind: 'same', text: '<Response>' },
    { kind: 'del', text: '<Delay>1</Delay>' },
    { kind: 'add', text: '<Delay>2</Delay>' },
    { kind: 'same', text: '</Response>' },
  ]);
  t.same(diffLines('a\nb\nc', 'a\nc'), [
    { kind: 'same', text: 'a' },
    { kind: 'del', text: 'b' },
    { kind: 'same', text: 'c' },
  ]);
  t.same(
    diffLines('x', 'x').map((l) => l.kind),
    ['same'],
  );
});

t.test('any two texts: both rebuilt, and the kept lines a longest common subsequence', async (t) => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', '<Speak>Hi.</Speak>', ''), { maxLength: 12 });
  fc.assert(
    fc.property(lines, lines, (x, y) => {
      const a = x.join('\n');
      const b = y.join('\n');
      const diff = diffLines(a, b);
      if (side(diff, 'add') !== a || side(diff, 'del') !== b) return false;
      // The longest common subsequence, the slow way: no diff may keep fewer lines.
      const xs = a.split('\n');
      const ys = b.split('\n');
      const best: number[][] = xs.map(() => ys.map(() => 0));
      const at = (i: number, j: number): number => (i < 0 || j < 0 ? 0 : best[i]![j]!);
      for (let i = 0; i < xs.length; i++)
        for (let j = 0; j < ys.length; j++)
          best[i]![j] = xs[i] === ys[j] ? at(i - 1, j - 1) + 1 : Math.max(at(i - 1, j), at(i, j - 1));
      return diff.filter((l) => l.kind === 'same').length === at(xs.length - 1, ys.length - 1);
    }),
    { numRuns: 500, seed: 77 },
  );
  t.pass('500 pairs');
});

t.test('two long texts with nothing in common: all dropped, then all added, quickly', async (t) => {
  const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
  const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
  const diff = diffLines(a, b);
  t.equal(diff.filter((l) => l.kind === 'del').length, 3000);
  t.equal(diff.filter((l) => l.kind === 'add').length, 3000);
  t.equal(side(diff, 'add'), a);
});
