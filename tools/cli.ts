/**
 * The `ringdown` command line: one subcommand per job, each in its own module, which exports its
 * help text. Conventions of Node tools: `ringdown --version`, `ringdown help COMMAND`,
 * `ringdown COMMAND --help` (every command: handled here, before the command parses anything),
 * exit status 0 ok, 1 findings, 2 usage or input error. Nothing is coloured.
 */
import { readFileSync } from 'node:fs';
import { BUILD_HELP, runBuild } from './build.js';
import { CHECK_HELP, runCheck } from './check.js';
import { CLIPS_HELP, runClips } from './clips.js';
import { DEVICE_HELP, runDevice } from './device.js';
import { DTMF_HELP, runDtmf } from './dtmf.js';
import { GRAPH_HELP, runGraph } from './graph.js';
import { PULL_HELP, PUSH_HELP, STATUS_HELP, runPull, runPush, runStatus } from './link.js';
import { LOG_HELP, runLog } from './log.js';
import { MOD_HELP, runMod } from './mod.js';
import { RECORDINGS_HELP, runRecordings } from './recordings.js';
import { runSim, SIM_HELP } from './sim.js';
import { runStudio, STUDIO_HELP } from './studio/server.js';
import { runTui, TUI_HELP } from './tui/main.js';

type Command = (argv: string[], out: (line: string) => void, err: (line: string) => void) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string; help: string }> = {
  check: { run: (argv, out) => runCheck(argv, out), summary: 'report problems in menus as FILE:LINE:COL', help: CHECK_HELP },
  sim: { run: runSim, summary: 'run a call in virtual time and print its trace', help: SIM_HELP },
  tui: { run: runTui, summary: 'take the handset: an interactive call in real time', help: TUI_HELP },
  clips: { run: runClips, summary: 'make the clip folder (recordings converted, else speech synthesized)', help: CLIPS_HELP },
  dtmf: { run: runDtmf, summary: 'decode the keys in a WAV, or encode keys as a WAV', help: DTMF_HELP },
  log: { run: runLog, summary: 'print the call log from a dump of its flash region', help: LOG_HELP },
  recordings: { run: runRecordings, summary: 'list and extract recordings from a flash dump or a folder', help: RECORDINGS_HELP },
  studio: { run: runStudio, summary: 'a local page: edit the menu, see its flow, call it, hear it', help: STUDIO_HELP },
  graph: { run: runGraph, summary: 'draw the menu as a flow diagram (SVG)', help: GRAPH_HELP },
  device: { run: runDevice, summary: 'build the lin firmware with the Moddable SDK and run the call on it', help: DEVICE_HELP },
  mod: { run: runMod, summary: 'a new menu and clips for a firmware in the field, as a Moddable mod (mcrun)', help: MOD_HELP },
  pull: { run: (argv, out, err) => runPull(argv, out, err), summary: "get the device's recordings and call log over its serial port", help: PULL_HELP },
  push: { run: (argv, out, err) => runPush(argv, out, err), summary: 'send a new menu and its clips to the device over its serial port', help: PUSH_HELP },
  status: { run: (argv, out, err) => runStatus(argv, out, err), summary: 'what the device runs, over its serial port', help: STATUS_HELP },
  build: { run: runBuild, summary: 'the ESP32 firmware with the Moddable SDK (every step before the C compiler without ESP-IDF)', help: BUILD_HELP },
};

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
  const [name, ...rest] = argv;
  // A reader that stops early (`ringdown sim ... | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const err = (line: string): void => void process.stderr.write(`${line}\n`);
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
