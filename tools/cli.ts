/**
 * The `ringdown` command line: one subcommand per job, each in its own module, which exports its
 * table (tools/command.ts: the help, the usage line and the parser are made from it). Conventions of Node tools: `ringdown --version`, `ringdown help COMMAND`,
 * `ringdown COMMAND --help` (every command: handled here, before the command parses anything),
 * exit status 0 ok, 1 findings, 2 usage or input error. Nothing is coloured.
 */
import { readFileSync } from 'node:fs';
import { BUILD, runBuild } from './build.js';
import { CommandGroup, type Subcommand } from './command.js';
import { CHECK, runCheck } from './check.js';
import { CLIPS, runClips } from './clips.js';
import { DEVICE, runDevice } from './device.js';
import { DTMF, runDtmf } from './dtmf.js';
import { GRAPH, runGraph } from './graph.js';
import { PULL, PUSH, STATUS, runPull, runPush, runStatus } from './link.js';
import { LOG, runLog } from './log.js';
import { MOD, runMod } from './mod.js';
import { RECORDINGS, runRecordings } from './recordings.js';
import { runSim, SIM } from './sim.js';
import { runStudio, STUDIO } from './studio/server.js';
import { runTui, TUI } from './tui/main.js';
import { runWiring, WIRING } from './wiring.js';

type Out = (line: string) => void;
type Run = (argv: string[], out: Out, err: Out) => number | Promise<number>;

/** Each command's table (its help, summary and parser) and what runs it, in the order `ringdown` lists them. */
const TABLE: readonly [Subcommand | CommandGroup, Run][] = [
  [CHECK, runCheck],
  [SIM, runSim],
  [TUI, runTui],
  [CLIPS, runClips],
  [DTMF, runDtmf],
  [LOG, runLog],
  [RECORDINGS, runRecordings],
  [STUDIO, runStudio],
  [GRAPH, runGraph],
  [DEVICE, runDevice],
  [MOD, runMod],
  [PULL, (argv, out, err) => runPull(argv, out, err)],
  [PUSH, (argv, out, err) => runPush(argv, out, err)],
  [STATUS, (argv, out, err) => runStatus(argv, out, err)],
  [BUILD, runBuild],
  [WIRING, runWiring],
];

const COMMANDS: Record<string, { run: Run; summary: string; help: string }> = Object.fromEntries(
  TABLE.map(([c, run]) => [c.name, { run, summary: c.summary, help: c.help }]),
);

/** The parser of each of a command's forms (one, or one per subcommand); empty for an unknown command. */
export function parsersFor(name: string): readonly Subcommand[] {
  const entry = TABLE.find(([c]) => c.name === name)?.[0];
  if (entry === undefined) return [];
  return entry instanceof CommandGroup ? entry.subcommands : [entry];
}

/** The help text of a command; undefined for an unknown one. */
export function helpFor(name: string): string | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name]!.help : undefined;
}

export const COMMAND_NAMES = Object.keys(COMMANDS);

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'usage: ringdown COMMAND [OPTIONS]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'ringdown help COMMAND or ringdown COMMAND --help: every option of a command, with an example.',
    'ringdown --version: the version.',
    'exit status: 0 ok, 1 findings (problems reported), 2 usage or input error',
  ].join('\n');
}

/** True when argv asks for help: `--help` or `-h` anywhere before a `--`. */
function asksHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

export async function main(argv: string[]): Promise<number> {
  const [name] = argv;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // A reader that stops early (`ringdown sim ... | head`) is not an error.
    if (e.code === 'EPIPE') process.exit(0);
    // Any other failure (a full disk, `>/dev/full`): the output is lost, so say so once and stop.
    const who = name !== undefined && Object.hasOwn(COMMANDS, name) ? `ringdown ${name}` : 'ringdown';
    process.stderr.write(`${who}: cannot write to standard output (${e.message.replace(/, write$/, '')})\n`);
    process.exit(2);
  });
  return dispatch(
    argv,
    (line) => void process.stdout.write(`${line}\n`),
    (line) => void process.stderr.write(`${line}\n`),
  );
}

/** Runs `ringdown ARGV` with its output lines going to `out` and `err`: the exit status. */
export async function dispatch(argv: string[], out: Out, err: Out): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    out(version());
    return 0;
  }
  if (name === undefined) {
    err(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      out(usage());
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
    if (command === undefined) {
      err(`ringdown: unknown command '${topic}'\n${usage()}`);
      return 2;
    }
    out(command.help);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    err(`ringdown: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  if (asksHelp(rest)) {
    out(command.help);
    return 0;
  }
  try {
    return await command.run(rest, out, err);
  } catch (e) {
    err(`ringdown ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}
