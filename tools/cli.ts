/** The `ringdown` command line: one subcommand per job, each in its own module. */
import { runBuild } from './build.js';
import { runCheck } from './check.js';
import { runClips } from './clips.js';
import { runDevice } from './device.js';
import { runDtmf } from './dtmf.js';
import { runGraph } from './graph.js';
import { runLog } from './log.js';
import { runMod } from './mod.js';
import { runSim } from './sim.js';
import { runStudio } from './studio/server.js';
import { runTui } from './tui/main.js';

type Command = (argv: string[], out: (line: string) => void, err: (line: string) => void) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  build: { run: runBuild, help: 'build --board NAME [--menu FILE] [--clips DIR] [--release] [--flash]   the ESP32 firmware with the Moddable SDK (every step before the C compiler without ESP-IDF)' },
  check: { run: (argv, out) => runCheck(argv, out), help: 'check MENU.xml... [--clips DIR]   report problems as FILE:LINE:COL' },
  device: { run: runDevice, help: 'device MENU.xml --events "offhook@0 2@7" [--clip-ms N] [--jsonl]   build the lin firmware with the Moddable SDK and run the call on it' },
  dtmf: { run: runDtmf, help: 'dtmf decode FILE.wav | dtmf encode KEYS --out FILE.wav [--tone-ms N --gap-ms N --level-dbfs L]' },
  clips: { run: runClips, help: 'clips MENU.xml... --out DIR [--voice V] [--speed WPM]   make the clip folder (recordings, else espeak-ng)' },
  graph: { run: runGraph, help: 'graph MENU.xml [--out FILE.svg]   draw the menu as a flow diagram (SVG)' },
  log: { run: runLog, help: 'log DUMP.bin [--sector BYTES] [--jsonl]   print the call log from a dump of its flash region' },
  mod: { run: runMod, help: 'mod MENU.xml [--ring-menu FILE] [--clips DIR] [--board NAME] [--install]   a new menu and clips for a firmware in the field, as a Moddable mod (mcrun)' },
  sim: { run: runSim, help: 'sim MENU.xml --events "offhook@0 2@7" [--clip-ms N] [--jsonl] [--wav FILE]   run a call in virtual time' },
  studio: { run: runStudio, help: 'studio [MENU.xml] [--clips DIR] [--port N]   a local page: edit the menu, see its flow, call it, hear it' },
  tui: { run: runTui, help: 'tui [MENU.xml] [--clips DIR] [--clip-ms N] [--trace FILE]   take the handset: an interactive call in real time' },
};

function usage(): string {
  return ['usage: ringdown COMMAND ...', ...Object.values(COMMANDS).map((c) => `  ringdown ${c.help}`)].join('\n');
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
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    err(`ringdown: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, out, err);
  } catch (e) {
    err(`ringdown ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}
