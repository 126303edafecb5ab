/**
 * A line diff for the studio's save history: which lines of one text are kept, dropped or added
 * in another. Pure (no DOM, no Node), so the page and the tests use the same code.
 */

export interface DiffLine {
  /** same: in both; del: only in the first text; add: only in the second. */
  kind: 'same' | 'del' | 'add';
  text: string;
}

/** Above this many cells the middle of two texts is shown as all dropped, then all added. */
const MAX_CELLS = 4_000_000;

/**
 * The lines that turn `a` into `b`: a longest common subsequence of lines kept, the rest dropped
 * (from `a`) or added (from `b`), drops before adds where both happen at one place. Lines that
 * start and end both texts alike are matched first, so an edit in a long file costs little.
 */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const out: DiffLine[] = x.slice(0, head).map((text) => ({ kind: 'same', text }));
  if (xs.length * ys.length > MAX_CELLS) {
    out.push(
      ...xs.map((text) => ({ kind: 'del' as const, text })),
      ...ys.map((text) => ({ kind: 'add' as const, text })),
    );
  } else {
    // lcs[i][j]: the longest common subsequence of xs[i..] and ys[j..], in one flat array.
    const w = ys.length + 1;
    const lcs = new Uint32Array((xs.length + 1) * w);
    for (let i = xs.length - 1; i >= 0; i--)
      for (let j = ys.length - 1; j >= 0; j--)
        lcs[i * w + j] =
          xs[i] === ys[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < xs.length || j < ys.length) {
      if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
        out.push({ kind: 'same', text: xs[i]! });
        i++;
        j++;
      } else if (j >= ys.length || (i < xs.length && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        out.push({ kind: 'del', text: xs[i++]! });
      } else {
        out.push({ kind: 'add', text: ys[j++]! });
      }
    }
  }
  out.push(...x.slice(x.length - tail).map((text) => ({ kind: 'same' as const, text })));
  return out;
}
