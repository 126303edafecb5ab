import { spawnSync } from 'node:child_process';
import t from 'tap';
import { COMMAND_NAMES, helpFor } from '../tools/cli.js';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });

t.test('every command has help with its usage, options, exit status and an example', async (t) => {
  t.same(COMMAND_NAMES.sort(), ['build', 'check', 'clips', 'device', 'dtmf', 'graph', 'log', 'mod', 'pull', 'push', 'recordings', 'sim', 'status', 'studio', 'tui']);
  for (const command of COMMAND_NAMES) {
    const help = helpFor(command) ?? '';
    t.match(help, `usage: ringdown ${command}`, `${command}: usage`);
    t.match(help, /-h, --help/, `${command}: lists --help`);
    t.match(help, /\nexample:\n {2}ringdown /, `${command}: an example`);
    t.match(help, 'exit status:', `${command}: exit status`);
  }
});

t.test('COMMAND --help and help COMMAND print it and exit 0, before the command parses anything; --version', async (t) => {
  const sim = run('sim', '--events', 'bad', '--help');
  t.equal(sim.status, 0);
  t.equal(sim.stdout, `${helpFor('sim')}\n`);
  t.equal(run('help', 'clips').stdout, `${helpFor('clips')}\n`);
  t.match(run('--version').stdout, /^\d+\.\d+\.\d+\n$/);
  t.equal(run('help', 'nope').status, 2);
  t.equal(run('nope').status, 2);
});
