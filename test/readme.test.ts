/**
 * The README stays short and the documentation stays whole: README.md is at most 16 KiB, every
 * relative link in README.md and docs/*.md names an existing file (and, with `#anchor`, a heading
 * of that file as GitHub names its anchors), every docs/*.md page is reachable from the README, and
 * the README's command table has a row, with a link, for every `ringdown` command.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import t from 'tap';
import { COMMAND_NAMES } from '../tools/cli.js';

/** The README's size bound in bytes. */
export const README_LIMIT = 16 * 1024;

/** Markdown without fenced code blocks and inline code spans, which hold neither links nor headings. */
function prose(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split(/\r?\n/).map((line) => {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
      return '';
    }
    if (opener !== undefined) {
      fence = opener;
      return '';
    }
    return line.replace(/(`+)[^`]*?\1/g, (code) => code.replace(/[[\]()]/g, ' '));
  });
}

/** The anchor GitHub gives a heading's text: lower case, punctuation dropped, spaces made `-`. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
}

/** Every heading anchor of a Markdown document; a repeated heading gets `-1`, `-2`, ... as on GitHub. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined;
      continue;
    }
    if (opener !== undefined) {
      fence = opener;
      continue;
    }
    const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m === null) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The relative link targets of a Markdown document (inline links and images), code excluded. */
export function linksOf(markdown: string): string[] {
  const links: string[] = [];
  for (const line of prose(markdown)) {
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push(target);
    }
  }
  return links;
}

/** What is wrong with one link from `from` (a repository path), or undefined when it resolves. */
export function brokenLink(
  from: string,
  target: string,
  read: (path: string) => string | undefined,
): string | undefined {
  const hash = target.indexOf('#');
  const path = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = path === '' ? from : normalize(join(dirname(from), decodeURIComponent(path)));
  if (file.startsWith('..')) return `${from}: ${target} leaves the repository`;
  const text = read(file);
  if (text === undefined) return `${from}: ${target}: no file ${file}`;
  if (anchor === undefined || !file.endsWith('.md')) return undefined;
  return anchorsOf(text).has(anchor) ? undefined : `${from}: ${target}: no heading #${anchor} in ${file}`;
}

const readRepo = (path: string): string | undefined =>
  existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : existsSync(path) ? '' : undefined;

t.test('anchors are named as GitHub names them', async (t) => {
  t.equal(slug('Wiring: ESP32 + Ag1171 + MT8870'), 'wiring-esp32--ag1171--mt8870');
  t.equal(
    slug('Run a menu on the real firmware: `ringdown device`'),
    'run-a-menu-on-the-real-firmware-ringdown-device',
  );
  t.equal(slug("The device lane's last run"), 'the-device-lanes-last-run');
  t.equal(slug('Drivers (`drivers/`)'), 'drivers-drivers');
  t.same([...anchorsOf('# A\n## B\n```sh\n# not a heading\n```\n## B\n')], ['a', 'b', 'b-1']);
});

t.test('links are found outside code, and checked for file and heading', async (t) => {
  t.same(linksOf('[a](x.md) ![i](p.png) [w](https://e.org) `[c](no.md)`\n```\n[d](no.md)\n```\n[s](#here)'), [
    'x.md',
    'p.png',
    '#here',
  ]);
  const files: Record<string, string> = { 'README.md': '# Top\n', 'docs/a.md': '# A page\n## Part two\n' };
  const read = (p: string): string | undefined => files[p];
  t.equal(brokenLink('README.md', 'docs/a.md#part-two', read), undefined);
  t.equal(brokenLink('docs/a.md', '../README.md#top', read), undefined);
  t.equal(brokenLink('docs/a.md', '#a-page', read), undefined);
  t.match(brokenLink('README.md', 'docs/b.md', read), /no file docs\/b\.md/);
  t.match(brokenLink('README.md', 'docs/a.md#part-three', read), /no heading #part-three/);
  t.match(brokenLink('docs/a.md', '../../etc/passwd', read), /leaves the repository/);
});

t.test(`README.md is at most ${README_LIMIT} bytes`, async (t) => {
  const size = statSync('README.md').size;
  t.ok(size <= README_LIMIT, `README.md is ${size} bytes`);
});

const pages = [
  'README.md',
  ...readdirSync('docs')
    .filter((n) => n.endsWith('.md'))
    .map((n) => `docs/${n}`),
];

t.test('every relative link in README.md and docs/*.md resolves', async (t) => {
  const broken: string[] = [];
  let count = 0;
  for (const page of pages) {
    for (const target of linksOf(readFileSync(page, 'utf8'))) {
      count++;
      const why = brokenLink(page, target, readRepo);
      if (why !== undefined) broken.push(why);
    }
  }
  t.ok(count > 50, `checked ${count} links`);
  t.same(broken, [], 'no broken link');
});

t.test('every docs page is reachable from README.md', async (t) => {
  const reached = new Set(['README.md']);
  const queue = ['README.md'];
  while (queue.length > 0) {
    const page = queue.shift()!;
    for (const target of linksOf(readFileSync(page, 'utf8'))) {
      const path = target.split('#')[0]!;
      if (path === '') continue;
      const file = normalize(join(dirname(page), decodeURIComponent(path)));
      if (file.endsWith('.md') && existsSync(file) && !reached.has(file)) {
        reached.add(file);
        queue.push(file);
      }
    }
  }
  t.same(
    pages.filter((p) => !reached.has(p)),
    [],
    'no orphan page',
  );
});

t.test("the README's command table lists every ringdown command, each with a link", async (t) => {
  const rows = readFileSync('README.md', 'utf8')
    .split('\n')
    .map((line) => /^\| \[`([a-z]+)[^`]*`[^\]]*\]\(([^)]+)\)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  const listed = new Set(rows.map((m) => m[1]!));
  t.same(
    COMMAND_NAMES.filter((name) => !listed.has(name)),
    [],
    'no command missing from the table',
  );
  t.same(
    [...listed].filter((name) => !COMMAND_NAMES.includes(name)),
    [],
    'no row for a command that does not exist',
  );
});
