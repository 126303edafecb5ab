/**
 * Property-based tests of the parser and the menu checker (src/ozml/xml.ts, load.ts): whatever
 * the text, loadMenu returns, either a menu or positioned errors inside the document, in bounded
 * time, and a document it accepts stays inside the limits of src/ozml/limits.ts. The documents
 * are random, XML-like, or the example menus mutated the ways files go bad in the field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import type { Diagnostic } from '../src/ozml/diagnostic.js';
import { DEFAULT_LIMITS, type MenuLimits } from '../src/ozml/limits.js';
import { loadMenu, type LoadResult } from '../src/ozml/load.js';
import { parseXml, type XmlElement } from '../src/ozml/xml.js';
import { readMenuFile } from '../tools/menu-file.js';
import { EXAMPLES, example, fraction, mutation, ozmlDocument, smallLimits, xmlish } from './fuzz-documents.js';
import { holds } from './fuzz-support.js';

/** The slowest single load seen, for the figure printed at the end. */
let slowestMs = 0;
/** A load of one document (at most 64 KiB) taking longer than this is a hang. */
const MAX_LOAD_MS = 2000;

/** Line and column (1-based, UTF-16 units like the parser) of every position in `text`, checked. */
function insideDocument(text: string, d: Diagnostic): string | undefined {
  const lines = text.split(/\r\n?|\n/);
  if (!Number.isInteger(d.line) || !Number.isInteger(d.col)) return `non-integer position ${d.line}:${d.col}`;
  if (d.line < 1 || d.line > lines.length) return `line ${d.line} outside 1..${lines.length}`;
  const length = lines[d.line - 1]!.length;
  if (d.col < 1 || d.col > length + 1) return `col ${d.col} outside 1..${length + 1} on line ${d.line}`;
  if (typeof d.message !== 'string' || d.message.length === 0) return 'empty message';
  return undefined;
}

interface Shape {
  depth: number;
  elements: number;
  longestText: number;
}

function shape(root: XmlElement): Shape {
  const s: Shape = { depth: 0, elements: 0, longestText: 0 };
  const visit = (e: XmlElement, depth: number): void => {
    s.elements++;
    s.depth = Math.max(s.depth, depth);
    for (const a of e.attributes) s.longestText = Math.max(s.longestText, a.value.length);
    for (const c of e.children) {
      if (c.kind === 'element') visit(c, depth + 1);
      // White space between elements may be long (indentation); the document limit bounds it.
      else if (c.significant) s.longestText = Math.max(s.longestText, c.text.length);
    }
  };
  visit(root, 1);
  return s;
}

/**
 * The contract of loadMenu for any string: no exception, a menu exactly when there is no error,
 * every diagnostic inside the document, bounded time, and an accepted document within the limits
 * (the parser may only keep what the limits allow). Returns a description of the first breach.
 */
function contractBreach(text: string, limits: MenuLimits = DEFAULT_LIMITS): string | undefined {
  let result: LoadResult;
  const start = performance.now();
  try {
    result = loadMenu(text, limits);
  } catch (e) {
    return `loadMenu threw ${e instanceof Error ? e.stack : String(e)}`;
  }
  const ms = performance.now() - start;
  slowestMs = Math.max(slowestMs, ms);
  if (ms > MAX_LOAD_MS) return `loadMenu took ${ms.toFixed(0)} ms`;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if ((result.menu === undefined) !== errors.length > 0)
    return `menu ${result.menu === undefined ? 'missing' : 'present'} with ${errors.length} errors`;
  for (const d of result.diagnostics) {
    const bad = insideDocument(text, d);
    if (bad !== undefined) return `${bad}: ${JSON.stringify(d)}`;
  }
  const xml = parseXml(text, limits);
  if (xml.ok) {
    if (text.length > limits.maxChars) return `accepted ${text.length} chars`;
    const s = shape(xml.root);
    if (s.depth > limits.maxDepth) return `accepted depth ${s.depth}`;
    if (s.elements > limits.maxElements) return `accepted ${s.elements} elements`;
    if (s.longestText > limits.maxTextChars) return `accepted a text of ${s.longestText} chars`;
  } else if (result.menu !== undefined) {
    return 'a menu from a document the parser rejects';
  }
  return undefined;
}

function obeysContract(text: string, limits?: MenuLimits): boolean {
  const breach = contractBreach(text, limits);
  if (breach !== undefined) throw new Error(breach);
  return true;
}

t.test('any string: loads, or positioned errors inside the document; never throws', async (t) => {
  holds(
    t,
    'arbitrary unicode strings',
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => obeysContract(s)),
    400,
  );
  holds(
    t,
    'XML-like token soup',
    fc.property(xmlish, (s) => obeysContract(s)),
    1500,
  );
  holds(
    t,
    'token soup under small limits',
    fc.property(xmlish, smallLimits, (s, l) => obeysContract(s, l)),
    800,
  );
  holds(
    t,
    'token soup inside a Response root',
    fc.property(xmlish, (s) => obeysContract(`<Response>\n${s}\n</Response>`)),
    1000,
  );
});

t.test('random well-formed menus: the checker answers with positions inside the document', async (t) => {
  holds(
    t,
    'random OzML trees',
    fc.property(ozmlDocument, (doc) => obeysContract(doc)),
    600,
  );
});

t.test(
  'mutated example menus: truncations, swapped tags, bad entities, huge attributes, deep nesting, unknown commands',
  async (t) => {
    t.ok(EXAMPLES.length >= 8, `${EXAMPLES.length} example menus`);
    for (const { file, text } of EXAMPLES) t.equal(contractBreach(text), undefined, `${file} as shipped`);
    holds(
      t,
      'one mutation',
      fc.property(example, mutation, (e, m) => obeysContract(m(e.text))),
      1500,
    );
    holds(
      t,
      'three mutations in a row',
      fc.property(example, fc.array(mutation, { minLength: 3, maxLength: 3 }), (e, ms) =>
        obeysContract(ms.reduce((s, m) => m(s), e.text)),
      ),
      600,
    );
  },
);

/** Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF). */
const forbidden = fc.oneof(
  fc.integer({ min: 0, max: 8 }),
  fc.constantFrom(0x0b, 0x0c),
  fc.integer({ min: 0x0e, max: 0x1f }),
  fc.constantFrom(0xfffe, 0xffff),
);

function errorOffset(text: string, d: Diagnostic): number {
  const ends = /\r\n?|\n/g;
  let offset = 0;
  for (let i = 0; i < d.line - 1; i++) {
    ends.exec(text);
    offset = ends.lastIndex;
  }
  return offset + d.col - 1;
}

t.test('a forbidden character anywhere in a valid menu is reported exactly where it is', async (t) => {
  const valid = EXAMPLES.filter((e) => loadMenu(e.text).menu !== undefined || parseXml(e.text).ok);
  holds(
    t,
    'control character inserted',
    fc.property(fc.constantFrom(...valid), fraction, forbidden, (e, f, code) => {
      const at = Math.floor(f * (e.text.length + 1));
      const text = e.text.slice(0, at) + String.fromCharCode(code) + e.text.slice(at);
      obeysContract(text);
      const r = loadMenu(text);
      const first = r.diagnostics[0];
      if (r.menu !== undefined || first === undefined) throw new Error('accepted a forbidden character');
      if (errorOffset(text, first) !== at)
        throw new Error(`reported at ${first.line}:${first.col} (${first.message}), inserted at offset ${at}`);
      return true;
    }),
    600,
  );
});

/** Byte sequences that are not UTF-8: lone continuation, overlong, surrogate, above U+10FFFF, truncated. */
const BAD_UTF8: readonly number[][] = [
  [0x80],
  [0xbf],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5],
  [0xff],
  [0xfe],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
];

t.test('invalid UTF-8 bytes in a menu file are reported at their line and column', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-fuzz-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'menu.xml');
  const encoder = new TextEncoder();
  holds(
    t,
    'bad bytes after valid text through readMenuFile',
    fc.property(
      example,
      fraction,
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom(...BAD_UTF8),
      (e, f, before, bad) => {
        const at = Math.floor(f * (e.text.length + 1));
        const head = e.text.slice(0, at) + before;
        const bytes = new Uint8Array([...encoder.encode(head), ...bad, ...encoder.encode(e.text.slice(at))]);
        writeFileSync(file, bytes);
        const r = readMenuFile(file);
        const lines = head.split('\n');
        const want = { line: lines.length, col: lines.at(-1)!.length + 1 }; // UTF-16 units, as the parser counts
        const d = r.diagnostics[0];
        if (r.menu !== undefined || r.diagnostics.length !== 1 || d === undefined)
          throw new Error(`expected one error, got ${JSON.stringify(r.diagnostics)}`);
        const hex = bad[0]!.toString(16).toUpperCase();
        if (d.message !== `invalid UTF-8 byte 0x${hex}` || d.line !== want.line || d.col !== want.col) {
          throw new Error(`got ${d.line}:${d.col} ${d.message}, want ${want.line}:${want.col} 0x${hex}`);
        }
        return true;
      },
    ),
    300,
  );
});

/** A billion-laughs document: `depth` entity levels of `width` references each, then a use. */
function laughs(depth: number, width: number, prolog: string): string {
  const decls = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= depth; i++) decls.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(width)}">`);
  return `${prolog}<!DOCTYPE Response [\n${decls.join('\n')}\n]>\n<Response><Speak>&lol${depth};</Speak></Response>\n`;
}

t.test('billion laughs: entity declarations are refused, in bounded time', async (t) => {
  holds(
    t,
    'DOCTYPE with nested entities is rejected at its position',
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 2, max: 10 }),
      fc.constantFrom('', '<?xml version="1.0"?>\n', '<?xml version="1.0"?>\n<!-- menu -->\n', '\uFEFF'),
      (depth, width, prolog) => {
        const text = laughs(depth, width, prolog);
        obeysContract(text);
        const d = loadMenu(text).diagnostics;
        const line = prolog.split('\n').length;
        // A byte order mark is not a column (menu files reach the parser with theirs, as editors count).
        const col = 1;
        const want = [`${line}:${col} DOCTYPE declarations are not supported in menus`];
        const got = d.map((x) => `${x.line}:${x.col} ${x.message}`);
        if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`got ${JSON.stringify(got)}`);
        return true;
      },
    ),
    200,
  );
  // Without a DOCTYPE the entity is simply unknown; inside the root a DOCTYPE is unexpected markup.
  t.match(loadMenu('<Response>&lol9;</Response>').diagnostics, [
    { line: 1, col: 11, message: "unknown entity '&lol9;'" },
  ]);
  t.match(loadMenu('<Response><!DOCTYPE x [<!ENTITY a "b">]></Response>').diagnostics, [
    { line: 1, col: 11, message: /^unexpected markup/ },
  ]);
});

t.test('documents at and past the limits are rejected with the limit named, quickly', async (t) => {
  const L = DEFAULT_LIMITS;
  const cases: [string, string, RegExp][] = [
    ['too long', `<Response>${' '.repeat(L.maxChars)}</Response>`, /longer than the limit of 65536 characters/],
    [
      'too deep',
      `<Response>${'<a>'.repeat(L.maxDepth)}${'</a>'.repeat(L.maxDepth)}</Response>`,
      /nested deeper than the limit of 24/,
    ],
    [
      'too many elements',
      `<Response>${'<a/>'.repeat(L.maxElements)}</Response>`,
      /more than the limit of 2000 elements/,
    ],
    [
      'text too long',
      `<Response><Speak>${'a'.repeat(L.maxTextChars + 1)}</Speak></Response>`,
      /longer than the limit of 2000 characters/,
    ],
    [
      'attribute too long',
      `<Response x="${'a'.repeat(L.maxTextChars + 1)}"/>`,
      /longer than the limit of 2000 characters/,
    ],
    ['too many commands', `<Response>${'<Hangup/>'.repeat(L.maxCommands + 1)}</Response>`, /limit of 500 commands/],
  ];
  for (const [name, text, message] of cases) {
    t.equal(contractBreach(text), undefined, `${name}: contract`);
    t.match(loadMenu(text).diagnostics[0]?.message, message, name);
  }
  // Worst cases for time: the largest document made of what costs most per character.
  const worst = [
    `<Response>${'<Delay>1</Delay>'.repeat(Math.floor((L.maxChars - 30) / 16))}</Response>`,
    `<Response>${'<!-- - -->'.repeat(Math.floor((L.maxChars - 30) / 10))}</Response>`,
    `<Response><Speak>${'&amp;'.repeat(Math.floor(L.maxTextChars / 5))}</Speak></Response>`,
    `<Response>${'<?p ?>'.repeat(Math.floor((L.maxChars - 30) / 6))}</Response>`,
    `<Response>${'\n'.repeat(L.maxChars - 30)}</Response>`,
  ];
  for (const text of worst)
    t.equal(contractBreach(text), undefined, `worst case ${text.slice(10, 26)}… (${text.length} chars)`);
  t.comment(`slowest single load in this file so far: ${slowestMs.toFixed(1)} ms`);
});

t.test('columns count the same unit in the parser and in the UTF-8 check', async (t) => {
  // Minimal case: '<Response>😀' then a bad character. The parser puts U+0001 at 1:13, the file
  // check puts byte 0xFF at 1:12; an editor (code points) shows 1:12 for both.
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-col-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'menu.xml');
  writeFileSync(file, Buffer.concat([Buffer.from('<Response>😀'), Buffer.from([0xff]), Buffer.from('</Response>')]));
  const fromFile = readMenuFile(file).diagnostics[0];
  const fromText = loadMenu('<Response>😀\u0001</Response>').diagnostics[0];
  t.equal(fromText?.col, fromFile?.col);
});
