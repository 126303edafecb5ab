/**
 * Document generators for the parser properties: XML-like token soup, random OzML trees, and the
 * example menus mutated the ways files go bad (truncated, tags swapped, bad entities, huge
 * attributes, deep nesting, unknown commands, spans inserted, duplicated or deleted).
 */
import fc from 'fast-check';
import type { MenuLimits } from '../src/ozml/limits.js';
import { DEFAULT_LIMITS } from '../src/ozml/limits.js';
import { exampleMenus } from './fuzz-support.js';

export const EXAMPLES = exampleMenus();

/** Pieces of XML and OzML, so random strings look enough like menus to reach deep code. */
export const TOKENS = [
  '<',
  '>',
  '/',
  '</',
  '/>',
  '=',
  '"',
  "'",
  '&',
  ';',
  ' ',
  '\n',
  '\r\n',
  '\t',
  'x',
  '1',
  '0.5',
  '-',
  '<?xml version="1.0"?>',
  '<?',
  '?>',
  '<!--',
  '-->',
  '--',
  '<![CDATA[',
  ']]>',
  '<!DOCTYPE',
  '&amp;',
  '&lt;',
  '&#65;',
  '&#x1F600;',
  '&#0;',
  '&#xD800;',
  '&bogus;',
  'Response',
  'Speak',
  'Delay',
  'UserInput',
  'Hangup',
  'Play',
  'Output',
  'InitialCommands',
  'Inputs',
  'Input',
  'key',
  'timeout',
  'repeat',
  'true',
  'clip',
  'CallId',
  'Party',
  'MultiDigit',
  'Terminator',
  '<Response>',
  '</Response>',
  '<Speak>',
  '</Speak>',
  '<Delay>',
  '</Delay>',
  '<UserInput timeout="3" repeat="true">',
  '</UserInput>',
  '<Input key="1">',
  '</Input>',
  'é',
  '😀',
  '\u0001',
  '\u0000',
  '\uFFFE',
  '\uD800',
];

export const xmlish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }).map((parts) => parts.join(''));

/** Limits small enough that random documents often hit them. */
export const smallLimits: fc.Arbitrary<MenuLimits> = fc.record({
  maxChars: fc.integer({ min: 0, max: 4000 }),
  maxDepth: fc.integer({ min: 1, max: 8 }),
  maxElements: fc.integer({ min: 1, max: 40 }),
  maxCommands: fc.integer({ min: 0, max: 20 }),
  maxTextChars: fc.integer({ min: 0, max: 64 }),
});

/** A random well-formed OzML-ish tree: right and wrong names and attributes, so the checker runs. */
const NAMES = [
  'Speak',
  'Delay',
  'UserInput',
  'InitialCommands',
  'Inputs',
  'Input',
  'Hangup',
  'Play',
  'Output',
  'NoInput',
  'NoMatch',
  'Failed',
  'Forward',
  'speak',
  'Wait',
];
const ATTRS = [
  'timeout',
  'repeat',
  'key',
  'clip',
  'CallId',
  'Party',
  'MultiDigit',
  'MaxDigits',
  'MinDigits',
  'Terminator',
  'BargeIn',
  'BackKey',
  'Name',
  'On',
  'Pulse',
  'AudioFile',
  'bogus',
];
const VALUES = [
  '1',
  '0',
  '-1',
  '2.5',
  '7200',
  'true',
  'false',
  'maybe',
  '#',
  '*',
  '12',
  '',
  'door',
  'x&amp;y',
  '99999999999999999999',
];
const TEXTS = ['', '1', '0.25', 'Hello there.', '  ', 'abc', '3601', 'NaN', '1e3', '&lt;tag&gt;'];

interface Tree {
  name: string;
  attrs: [string, string][];
  text: string;
  children: Tree[];
}

/** A tree of at most `depth` levels below this node. */
function treeOf(depth: number): fc.Arbitrary<Tree> {
  return fc.record({
    name: fc.constantFrom(...NAMES),
    attrs: fc.uniqueArray(fc.tuple(fc.constantFrom(...ATTRS), fc.constantFrom(...VALUES)), {
      maxLength: 3,
      selector: (a) => a[0],
    }),
    text: fc.constantFrom(...TEXTS),
    children: depth === 0 ? fc.constant([]) : fc.array(treeOf(depth - 1), { maxLength: 3 }),
  });
}

export const tree = treeOf(4);

export function render(node: Tree, indent: string): string {
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${v}"`).join('');
  const inner = node.children.map((c) => `\n${render(c, `${indent}  `)}`).join('');
  return `${indent}<${node.name}${attrs}>${node.text}${inner}${inner === '' ? '' : `\n${indent}`}</${node.name}>`;
}

export const example = fc.constantFrom(...EXAMPLES);

/** Offsets of each `<Name` and `</Name` tag name in a document. */
function tagNames(text: string): { at: number; name: string }[] {
  const out: { at: number; name: string }[] = [];
  for (const m of text.matchAll(/<\/?([A-Za-z][A-Za-z0-9]*)/g)) {
    const name = m[1]!;
    out.push({ at: m.index + m[0].length - name.length, name });
  }
  return out;
}

function swapTagNames(text: string, i: number, j: number): string {
  const tags = tagNames(text);
  if (tags.length === 0) return text;
  const a = tags[i % tags.length]!;
  const b = tags[j % tags.length]!;
  if (a.at === b.at) return text;
  const [first, second] = a.at < b.at ? [a, b] : [b, a];
  return (
    text.slice(0, first.at) +
    second.name +
    text.slice(first.at + first.name.length, second.at) +
    first.name +
    text.slice(second.at + second.name.length)
  );
}

function insertAt(text: string, fraction: number, piece: string): string {
  const at = Math.floor(fraction * (text.length + 1));
  return text.slice(0, at) + piece + text.slice(at);
}

export const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** Mutations the way menu files go wrong: each is a function of an example document. */
export const mutation: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fraction.map((f) => (s: string) => s.slice(0, Math.floor(f * s.length))),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([i, j]) =>
      (s: string) =>
        swapTagNames(s, i, j),
  ),
  fc.tuple(fraction, fc.string({ unit: fc.constantFrom('a', 'z', '#', 'x', '1', ';', '&', ' '), maxLength: 14 })).map(
    ([f, name]) =>
      (s: string) =>
        insertAt(s, f, `&${name}`),
  ),
  fc
    .tuple(fc.nat(), fc.integer({ min: DEFAULT_LIMITS.maxTextChars - 2, max: DEFAULT_LIMITS.maxChars + 10 }))
    .map(([i, n]) => (s: string) => {
      const tags = tagNames(s).filter((tag) => s[tag.at - 1] === '<');
      const tag = tags[i % tags.length];
      if (tag === undefined) return s;
      const end = tag.at + tag.name.length;
      return `${s.slice(0, end)} huge="${'a'.repeat(n)}"${s.slice(end)}`;
    }),
  fc
    .tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('UserInput', 'Inputs', 'a', 'Input key="1"'))
    .map(([n, open]) => (s: string) => {
      const close = `</${open.split(' ')[0]}>`;
      return s.replace('<Response>', `<Response>${`<${open}>`.repeat(n)}<Speak>deep</Speak>${close.repeat(n)}`);
    }),
  fc
    .tuple(
      fraction,
      fc.constantFrom(
        '<Transfer/>',
        '<Wait>2</Wait>',
        '<Forward>100</Forward>',
        '<speak>hi</speak>',
        '<Conference/>',
        '<x:Speak/>',
      ),
    )
    .map(([f, cmd]) => (s: string) => {
      const lines = s.split('\n');
      const at = Math.floor(f * lines.length);
      return [...lines.slice(0, at), cmd, ...lines.slice(at)].join('\n');
    }),
  fc.tuple(fraction, fc.string({ unit: fc.constantFrom(...TOKENS), maxLength: 4 })).map(
    ([f, piece]) =>
      (s: string) =>
        insertAt(s, f, piece),
  ),
  fc.tuple(fraction, fraction, fraction).map(([a, b, c]) => (s: string) => {
    const from = Math.floor(Math.min(a, b) * s.length);
    const to = Math.floor(Math.max(a, b) * s.length);
    return insertAt(s, c, s.slice(from, to));
  }),
  fc.tuple(fraction, fraction).map(
    ([a, b]) =>
      (s: string) =>
        s.slice(0, Math.floor(Math.min(a, b) * s.length)) + s.slice(Math.floor(Math.max(a, b) * s.length)),
  ),
);

/** A whole OzML document from random trees. */
export const ozmlDocument = fc
  .array(tree, { maxLength: 6 })
  .map((nodes) => `<Response>\n${nodes.map((n) => render(n, '  ')).join('\n')}\n</Response>\n`);
