import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { COMMAND_NAMES, helpFor, parsersFor } from '../tools/cli.js';
import { synopsis } from '../tools/command.js';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });

t.test('every command has help with its usage, options, exit status and an example', async (t) => {
  t.same(COMMAND_NAMES.sort(), [
    'build',
    'check',
    'clips',
    'device',
    'dtmf',
    'graph',
    'log',
    'mod',
    'pull',
    'push',
    'recordings',
    'sim',
    'status',
    'studio',
    'tui',
    'wiring',
  ]);
  for (const command of COMMAND_NAMES) {
    const help = helpFor(command) ?? '';
    t.match(help, `usage: ringdown ${command}`, `${command}: usage`);
    t.match(help, /-h, --help/, `${command}: lists --help`);
    t.match(help, /\nexample:\n {2}ringdown /, `${command}: an example`);
    t.match(help, 'exit status:', `${command}: exit status`);
  }
});

t.test(
  'COMMAND --help and help COMMAND print it and exit 0, before the command parses anything; --version',
  async (t) => {
    const sim = run('sim', '--events', 'bad', '--help');
    t.equal(sim.status, 0);
    t.equal(sim.stdout, `${helpFor('sim')}\n`);
    t.equal(run('help', 'clips').stdout, `${helpFor('clips')}\n`);
    t.match(run('--version').stdout, /^\d+\.\d+\.\d+\n$/);
    t.equal(run('help', 'nope').status, 2);
    t.equal(run('nope').status, 2);
  },
);

/** The options an `options:` block of a help lists, by long name (with `help`). */
function helpOptions(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-\w, )?--([a-z][a-z-]*)/gm)].map((m) => m[1]!);
}

t.test("every command's help lists exactly the options its parser accepts, each in its usage line too", async (t) => {
  for (const command of COMMAND_NAMES) {
    const help = helpFor(command) ?? '';
    t.match(help, /\noptions( \(\w+\))?:\n/, `${command}: an options: block`);
    const listed = helpOptions(help);
    const parsers = parsersFor(command);
    t.ok(parsers.length > 0, `${command}: has a parser`);
    const accepted = parsers.flatMap((p) => [...p.spec.options.map((o) => o.name), 'help']);
    t.same([...new Set(listed)].sort(), [...new Set(accepted)].sort(), `${command}: help and parser agree`);
    for (const parser of parsers) {
      // A value for each argument the form needs, then one option: the parser must not call it unknown.
      const needed = [
        ...parser.spec.positionals.filter((p) => p.optional !== true).map(() => 'x'),
        ...parser.spec.options.filter((o) => o.required === true).flatMap((o) => [`--${o.name}`, 'x']),
      ];
      for (const o of parser.spec.options) {
        const parsed = parser.parse([...needed, `--${o.name}`, ...(o.type === 'string' ? ['1'] : [])]);
        t.type(parsed, 'object', `${parser.name} accepts --${o.name}`);
        t.match(help.split('\n\n')[0], `--${o.name}`, `${parser.name}: --${o.name} in the usage line`);
      }
      t.match(
        parser.parse([...needed, '--no-such-option']),
        /: unknown option --no-such-option /,
        `${parser.name} refuses an option its help does not list`,
      );
    }
  }
});

t.test('sim --help describes the recordings, the store room, --levels and the say: event', async (t) => {
  const help = helpFor('sim') ?? '';
  const line = (name: string): string => help.split('\n').find((l) => l.startsWith(`  --${name} `)) ?? '';
  t.match(line('recordings'), /--recordings DIR +write each recording a <Record> kept as DIR\/NAME\.wav/);
  t.match(line('recordings-room'), /--recordings-room S +the simulated recording store holds S seconds/);
  const text = help.replace(/\s+/g, ' ');
  t.match(text, /--levels play offhook, onhook and flash as hook levels through the line's state machine/);
  t.match(text, /say:FILE \(the caller speaks an 8 kHz 16-bit mono WAV into the line/);
  t.notMatch(help, /the output levels of the board/, 'not the old wrong description');
});

t.test("docs/cli.md's synopses are the commands' usage lines", async (t) => {
  const reference = readFileSync('docs/cli.md', 'utf8');
  const block = /## Synopsis\n\n```sh\n([\s\S]*?)```/.exec(reference)?.[1] ?? '';
  // A synopsis may go on over indented lines.
  const synopses = block
    .replace(/\n\s+/g, ' ')
    .trim()
    .split('\n')
    .map((l) => l.replace(/^npx /, ''));
  const expected = COMMAND_NAMES.flatMap((c) => parsersFor(c).map((p) => synopsis(p.spec)));
  t.same(synopses.sort(), expected.sort());
});
