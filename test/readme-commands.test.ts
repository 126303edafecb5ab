/**
 * Every `ringdown check|sim|graph|clips` command in a shell block of README.md and docs/*.md runs
 * as written: in a fresh copy of examples/ (no clip folders, no caller recording) after what
 * `npm run clips` runs, each command exits 0, or the code a `# exit N` comment after it states.
 * Synopsis lines (with `[options]`, `MENU.xml` or `...`) are not commands and are skipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';

const ROOT = resolve('.');
const CLI = join(ROOT, 'bin', 'ringdown.js');
const COMMANDS = /^(?:npx\s+)?ringdown\s+(check|sim|graph|clips)\b/;

export interface DocCommand {
  file: string;
  line: number;
  args: string[];
  exit: number;
}

/**
 * Splits a shell line into words: double- and single-quoted strings are one word without their
 * quotes, and a word starting with `#` outside quotes begins a comment, returned apart.
 */
export function shellWords(text: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (text[i] === '#') return { words, comment: text.slice(i + 1).trim() };
    let word = '';
    while (i < text.length && !/\s/.test(text[i]!)) {
      const c = text[i]!;
      if (c === '"' || c === "'") {
        const end = text.indexOf(c, i + 1);
        if (end < 0) throw new Error(`unclosed ${c} in: ${text}`);
        word += text.slice(i + 1, end);
        i = end + 1;
      } else {
        word += c;
        i++;
      }
    }
    words.push(word);
  }
  return { words, comment: '' };
}

/** The commands in a markdown file's fenced code blocks, in order (a trailing `\` joins lines). */
export function docCommands(file: string, text: string): DocCommand[] {
  const out: DocCommand[] = [];
  const lines = text.split('\n');
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trimStart().startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) continue;
    let command = line.trim();
    const first = i;
    while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
    if (!COMMANDS.test(command)) continue;
    const { words, comment } = shellWords(command);
    if (words.some((w) => w.startsWith('[') || w === 'MENU.xml' || w.endsWith('...'))) continue;
    const stated = /^exit (\d)\b/.exec(comment);
    out.push({
      file,
      line: first + 1,
      args: words.slice(words[0] === 'npx' ? 2 : 1),
      exit: stated === null ? 0 : Number(stated[1]),
    });
  }
  return out;
}

t.test('shellWords and docCommands: quotes, comments, synopsis lines', async (t) => {
  t.same(shellWords('npx ringdown sim a.xml --events "offhook@0 #@3.5" # exit 1: why'), {
    words: ['npx', 'ringdown', 'sim', 'a.xml', '--events', 'offhook@0 #@3.5'],
    comment: 'exit 1: why',
  });
  const md = [
    '```sh',
    'npx ringdown check MENU.xml... [--board NAME]',
    'npx ringdown check a.xml \\',
    '  --board b   # exit 1',
    'npx ringdown tui a.xml',
    '```',
    'npx ringdown sim outside.xml',
  ].join('\n');
  t.same(docCommands('X.md', md), [{ file: 'X.md', line: 3, args: ['check', 'a.xml', '--board', 'b'], exit: 1 }]);
});

t.test('every check, sim, graph and clips command in README.md and docs/*.md runs as written', async (t) => {
  const docs = [
    'README.md',
    ...readdirSync('docs')
      .filter((f) => f.endsWith('.md'))
      .map((f) => join('docs', f)),
  ];
  const commands = docs.flatMap((file) => docCommands(file, readFileSync(file, 'utf8')));
  t.ok(commands.length >= 15, `${commands.length} commands found`);
  for (const verb of ['check', 'sim', 'graph', 'clips'])
    t.ok(
      commands.some((c) => c.args[0] === verb),
      `a ${verb} command among them`,
    );

  // A fresh clone's examples: the clip folders and the caller recording are made, not shipped.
  const work = mkdtempSync(join(tmpdir(), 'ringdown-doc-commands-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  cpSync('examples', join(work, 'examples'), {
    recursive: true,
    filter: (src) => !/[/\\]clips$|caller\.wav$/.test(src),
  });
  mkdirSync(join(work, 'docs'));
  const run = (args: readonly string[]): { status: number | null; output: string } => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, output: `${r.stdout}${r.stderr}`.trim().split('\n').slice(-6).join('\n') };
  };

  const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
    .clips!;
  for (const step of script.split('&&')) {
    const { words } = shellWords(step.trim());
    t.same(words.slice(0, 2), ['node', 'bin/ringdown.js'], `npm run clips runs ringdown: ${step.trim().slice(0, 60)}`);
    const r = run(words.slice(2));
    t.equal(r.status, 0, `npm run clips: ${words.slice(2, 4).join(' ')} ...`, { output: r.output });
  }

  for (const c of commands) {
    const r = run(c.args);
    t.equal(r.status, c.exit, `${c.file}:${c.line}: ringdown ${c.args.join(' ')}`.slice(0, 200), { output: r.output });
  }
});
