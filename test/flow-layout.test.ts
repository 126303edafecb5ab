/**
 * The flow diagram's geometry, read back from the SVG that `ringdown graph` writes and the studio
 * shows: no edge label overlaps a node or another label (so no two edges share one label), and no
 * edge crosses a node's box other than the two it joins. On every example menu and on generated
 * menus: deep, wide, with many retries, NoInput/NoMatch loops and BackKeys.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { loadMenu } from '../src/ozml/load.js';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import { flowSvg, layoutFlow } from '../tools/studio/flow.js';

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Point {
  x: number;
  y: number;
}
interface Drawing {
  nodes: Map<string, Rect>;
  edges: { from: string; to: string; points: Point[] }[];
  labels: { text: string; rect: Rect }[];
}

const num = (s: string | undefined): number => Number(s ?? Number.NaN);

/** Follows a path's commands (M, L, H, V, C), curves cut into 24 straight pieces. */
function pathPoints(d: string): Point[] {
  const tokens = d.match(/[MLHVC]|-?\d+(?:\.\d+)?/g) ?? [];
  const points: Point[] = [];
  let at: Point = { x: 0, y: 0 };
  let i = 0;
  const next = (): number => num(tokens[i++]);
  while (i < tokens.length) {
    const op = tokens[i++];
    if (op === 'M' || op === 'L') at = { x: next(), y: next() };
    else if (op === 'H') at = { x: next(), y: at.y };
    else if (op === 'V') at = { x: at.x, y: next() };
    else if (op === 'C') {
      const [x1, y1, x2, y2, x, y] = [next(), next(), next(), next(), next(), next()];
      const p0 = at;
      for (let s = 1; s < 24; s++) {
        const u = s / 24;
        const v = 1 - u;
        points.push({
          x: v * v * v * p0.x + 3 * v * v * u * x1 + 3 * v * u * u * x2 + u * u * u * x,
          y: v * v * v * p0.y + 3 * v * v * u * y1 + 3 * v * u * u * y2 + u * u * u * y,
        });
      }
      at = { x, y };
    } else throw new Error(`path command ${op} in ${d}`);
    points.push(at);
  }
  return points;
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w-]+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

/** The nodes' boxes, the edges' lines and the labels' boxes as drawn. */
function readDrawing(svg: string): Drawing {
  const drawing: Drawing = { nodes: new Map(), edges: [], labels: [] };
  for (const m of svg.matchAll(/<g ([^>]*class="node [^>]*)>(?:<title>[^<]*<\/title>)?<(rect|circle) ([^>]*)\/>/g)) {
    const g = attrs(m[1]!);
    const shape = attrs(m[3]!);
    drawing.nodes.set(
      g.id!,
      m[2] === 'rect'
        ? { x: num(shape.x), y: num(shape.y), w: num(shape.width), h: num(shape.height) }
        : {
            x: num(shape.cx) - num(shape.r),
            y: num(shape.cy) - num(shape.r),
            w: 2 * num(shape.r),
            h: 2 * num(shape.r),
          },
    );
  }
  for (const m of svg.matchAll(/<g (class="edge [^>]*)><path ([^>]*)\/>/g)) {
    const g = attrs(m[1]!);
    drawing.edges.push({ from: g['data-from']!, to: g['data-to']!, points: pathPoints(attrs(m[2]!).d!) });
  }
  for (const m of svg.matchAll(/<g class="label[^"]*"><rect ([^>]*)\/><text [^>]*>([^<]*)<\/text>/g)) {
    const r = attrs(m[1]!);
    drawing.labels.push({ text: m[2]!, rect: { x: num(r.x), y: num(r.y), w: num(r.width), h: num(r.height) } });
  }
  return drawing;
}

/** Whether two boxes share more than a hairline. */
function overlap(a: Rect, b: Rect): boolean {
  const e = 0.5;
  return a.x + e < b.x + b.w && b.x + e < a.x + a.w && a.y + e < b.y + b.h && b.y + e < a.y + a.h;
}

/** Whether the segment from p to q passes through the inside of the box (Liang–Barsky clipping). */
function crosses(p: Point, q: Point, r: Rect): boolean {
  const e = 1;
  const [x0, y0, x1, y1] = [r.x + e, r.y + e, r.x + r.w - e, r.y + r.h - e];
  if (x1 <= x0 || y1 <= y0) return false;
  let lo = 0;
  let hi = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  for (const [den, num] of [
    [-dx, p.x - x0],
    [dx, x1 - p.x],
    [-dy, p.y - y0],
    [dy, y1 - p.y],
  ] as const) {
    if (den === 0) {
      if (num < 0) return false;
    } else {
      const u = num / den;
      if (den < 0) lo = Math.max(lo, u);
      else hi = Math.min(hi, u);
    }
  }
  return lo < hi;
}

/** Every overlap and crossing in the drawing, in words (empty when it is clean). */
function problems(svg: string): string[] {
  const d = readDrawing(svg);
  const found: string[] = [];
  const boxes = [...d.nodes];
  for (const [i, a] of d.labels.entries()) {
    for (const [id, box] of boxes) if (overlap(a.rect, box)) found.push(`label "${a.text}" over node ${id}`);
    for (const b of d.labels.slice(i + 1))
      if (overlap(a.rect, b.rect)) found.push(`label "${a.text}" over label "${b.text}"`);
  }
  for (const e of d.edges)
    for (let s = 1; s < e.points.length; s++)
      for (const [id, box] of boxes)
        if (id !== e.from && id !== e.to && crosses(e.points[s - 1]!, e.points[s]!, box))
          found.push(`edge ${e.from} → ${e.to} crosses node ${id}`);
  return [...new Set(found)];
}

function drawn(text: string, name: string): string | undefined {
  const { menu } = loadMenu(text, undefined, SIM_OUTPUT_NAMES);
  return menu === undefined ? undefined : flowSvg(layoutFlow(menu), name);
}

t.test('the checker itself: it sees a label over a node and an edge through a box', async (t) => {
  const node = '<g id="n-a" class="node speak"><rect x="0" y="0" width="100" height="40"/></g>';
  const other = '<g id="n-b" class="node speak"><rect x="0" y="100" width="100" height="40"/></g>';
  const far = '<g id="n-c" class="node speak"><rect x="300" y="0" width="100" height="40"/></g>';
  const label = '<g class="label next"><rect x="20" y="30" width="40" height="16"/><text x="0" y="0">1</text></g>';
  const edge = '<g class="edge back" data-from="n-c" data-to="n-b"><path d="M300 20 H50 V100"/></g>';
  t.same(problems(node + other + far + label + edge), ['label "1" over node n-a', 'edge n-c → n-b crosses node n-a']);
  t.same(problems(node + other + far), [], 'apart: nothing');
});

const examples = [
  ...readdirSync('examples')
    .filter((f) => f.endsWith('.xml'))
    .map((f) => `examples/${f}`),
  ...readdirSync('examples/ozeki')
    .filter((f) => f.endsWith('.xml'))
    .map((f) => `examples/ozeki/${f}`),
];

t.test('every example: no label over a node or a label, no edge through a box', async (t) => {
  for (const file of examples) {
    const svg = drawn(readFileSync(file, 'utf8'), file);
    if (svg === undefined) {
      t.comment(`${file} does not load: nothing to draw`);
      continue;
    }
    t.same(problems(svg), [], file);
  }
});

// --- generated menus ---

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
const word = fc.constantFrom('Hello', 'please', 'press', 'one', 'the office', 'goodbye', 'again', 'a very long word');
const speak = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => `<Speak>${w.join(' ')}.</Speak>`);
const leaf = fc.oneof(
  { weight: 4, arbitrary: speak },
  fc.constantFrom('<Delay>1</Delay>', '<Hangup/>', '<Output name="door" pulse="3"/>'),
);

/** A menu's commands down to `depth` UserInputs deep, each with keys, retries and loops drawn at random. */
const commands = (depth: number, nested: boolean): fc.Arbitrary<string> => {
  const userInput = fc
    .record({
      // A prompt is mostly Speaks; now and then a UserInput inside it (with its own BackKey).
      prompt: fc.array(depth > 0 ? fc.oneof({ weight: 5, arbitrary: speak }, commands(depth - 1, true)) : speak, {
        minLength: 0,
        maxLength: 2,
      }),
      keys: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 0, maxLength: 6 }),
      bodies: fc.array(depth > 0 ? commands(depth - 1, true) : fc.constant(''), { minLength: 6, maxLength: 6 }),
      noInput: fc.option(depth > 0 ? commands(depth - 1, true) : speak),
      noMatch: fc.option(depth > 0 ? commands(depth - 1, true) : speak),
      failed: fc.option(depth > 0 ? commands(depth - 1, true) : speak),
      maxNoInput: fc.integer({ min: 1, max: 4 }),
      maxNoMatch: fc.option(fc.integer({ min: 1, max: 4 })),
      back: fc.boolean(),
    })
    .map((u) => {
      const keys = u.back ? u.keys.filter((k) => k !== '*') : u.keys;
      const attributes = [
        `timeout="3"`,
        `MaxNoInput="${u.maxNoInput}"`,
        ...(u.maxNoMatch !== null ? [`MaxNoMatch="${u.maxNoMatch}"`] : []),
        ...(nested && u.back ? ['BackKey="*"'] : []),
      ];
      const inputs = keys.map((k, i) => `<Input key="${k}">${u.bodies[i] ?? ''}</Input>`).join('');
      return [
        `<UserInput ${attributes.join(' ')}>`,
        u.prompt.length > 0 ? `<InitialCommands>${u.prompt.join('')}</InitialCommands>` : '',
        `<Inputs>${inputs}</Inputs>`,
        u.noInput !== null ? `<NoInput>${u.noInput}</NoInput>` : '',
        u.noMatch !== null ? `<NoMatch>${u.noMatch}</NoMatch>` : '',
        u.failed !== null ? `<Failed>${u.failed}</Failed>` : '',
        '</UserInput>',
      ].join('');
    });
  return fc
    .array(depth > 0 ? fc.oneof({ weight: 2, arbitrary: leaf }, userInput) : leaf, { minLength: 1, maxLength: 4 })
    .map((list) => list.join(''));
};

t.test('generated menus: no label over a node or a label, no edge through a box', async (t) => {
  let drawnMenus = 0;
  fc.assert(
    fc.property(commands(3, false), (body) => {
      const svg = drawn(`<Response>${body}</Response>`, 'generated.xml');
      if (svg === undefined) return true;
      drawnMenus++;
      const found = problems(svg);
      if (found.length > 0) throw new Error(`${found.slice(0, 5).join('; ')}\nin <Response>${body}</Response>`);
      return true;
    }),
    { numRuns: 150, seed: 2512 },
  );
  t.ok(drawnMenus > 100, `${drawnMenus} of the 150 generated menus load and were drawn`);
});

t.test('a folded UserInput: one box for it and all under it, still clean', async (t) => {
  const text = readFileSync('examples/door-phone.xml', 'utf8');
  const { menu } = loadMenu(text, undefined, SIM_OUTPUT_NAMES);
  const open = layoutFlow(menu!);
  const folded = layoutFlow(menu!, { folded: new Set(['n-16-9']) });
  const sub = folded.nodes.find((n) => n.id === 'n-16-9')!;
  t.ok(sub.folded, 'the sub-menu is drawn folded');
  t.notOk(
    folded.nodes.some((n) => n.id === 'n-18-13' || n.id === 'n-22-15'),
    'its prompt and its branch are not drawn',
  );
  t.equal(open.nodes.length - folded.nodes.length, 3, 'three nodes fewer: prompt, key 1, and the no-key dot');
  const under = [...folded.byCommand].filter(([c]) => c.line > 16 && c.line < 26).map(([, n]) => n.id);
  t.ok(under.length >= 2 && under.every((id) => id === 'n-16-9'), 'every command under it runs in its box');
  t.same(problems(flowSvg(folded, 'door-phone.xml', { foldButtons: true })), [], 'no overlap or crossing');
  const svg = flowSvg(folded, 'door-phone.xml', { foldButtons: true });
  t.match(
    svg,
    /<g class="fold" data-node="n-16-9" tabindex="0" role="button" aria-expanded="false"/,
    'its button says it is folded',
  );
  t.match(svg, /<g class="fold" data-node="n-5-3" [^>]*aria-expanded="true"/, 'the open one says it is open');
  t.notMatch(flowSvg(open, 'door-phone.xml'), /class="fold"/, '`ringdown graph` draws no buttons');
});

t.test('hovering a node shows its whole text: the SVG <title>', async (t) => {
  const long =
    'Welcome to the building. For the office press one, for deliveries press two, for anything else press zero.';
  const svg = drawn(`<Response><Speak>${long}</Speak></Response>`, 'long.xml')!;
  t.match(svg, `<title>Speak: “${long}” (line 1)</title>`, 'the whole prompt in the title');
  t.match(svg, /<text class="detail"[^>]*>“Welcome to the[^<]*…<\/text>/, 'the box draws it cut short');
});
