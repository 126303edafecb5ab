/**
 * `ringdown tui [MENU.xml] [--clips DIR] [--clip-ms N] [--profile us|uk|cept] [--trace FILE] [--wav FILE] [--sound]`:
 * the simulator you can talk to. In a terminal, the space bar lifts and replaces the handset,
 * digits (and * # a-d) are keys, `f` is a hook flash, `r` rings the phone, `s` speaks a 5 s test
 * recording into the line (what `<Record>` hears), `q` quits; the screen shows the line, what
 * plays, the keys heard and where the menu is, on a real-time clock driving the same Phone as
 * `ringdown sim`. Without a terminal (CI, a pipe) it plays a scripted demo call in virtual time,
 * prints its trace and exits 0.
 */
import { MAX_CLIP_MS, parseEvents, parseWholeMs } from '../../sim/events.js';
import type { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { simulate } from '../../sim/simulate.js';
import { callerVoice } from '../../sim/test-voice.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { PROFILES, profileNamed, type LineProfile } from '../../src/line/profile.js';
import { formatDiagnostic } from '../../src/ozml/diagnostic.js';
import type { Menu } from '../../src/ozml/menu.js';
import { Command } from '../command.js';
import { menuFailure, readMenuFile } from '../menu-file.js';
import { openOutput, outputProblem, type Output, type OutputOptions } from '../output.js';
import { CALL_OPTIONS, formatTraceLine, simClips, writeCallWav } from '../sim.js';
import { RealTimeClock } from '../../sim/realtime-clock.js';
import { describeKey, splitKeys } from './keys.js';
import { renderScreen, speakPositions, type ScreenInfo } from './screen.js';
import { CallSession } from '../../sim/call-session.js';
import { PlaySpeaker } from './speaker.js';

type Out = (line: string) => void;

export const TUI = new Command({
  name: 'tui',
  summary: 'take the handset: an interactive call in real time',
  description: `Take the handset: the menu on the simulated line in real time, in your terminal. Keys: space or
Enter lifts or replaces the handset, 0-9 * # a-d are keys, f is a hook flash, r rings the phone,
s speaks a 5 s test recording into the line (for <Record>), q quits. Without a terminal it plays
a scripted demo call and exits 0. The menu is examples/door-phone.xml unless one is named.`,
  positionals: [{ name: 'MENU.xml', optional: true }],
  options: [
    CALL_OPTIONS.clips,
    { name: 'clip-ms', type: 'string', value: 'N', description: 'every clip plays N ms' },
    CALL_OPTIONS.profile,
    { name: 'trace', type: 'string', value: 'FILE', description: 'write the trace as JSON lines' },
    { name: 'wav', type: 'string', value: 'FILE', description: 'write what the caller heard as an 8 kHz WAV' },
    { name: 'sound', type: 'boolean', description: "play clips and tones through sox's play (when installed)" },
    { name: 'demo', type: 'boolean', description: 'the scripted demo call even in a terminal' },
  ],
  exit: '0 ok, 1 the menu has errors or --trace/--wav could not be written, 2 usage or input error (a menu that cannot be read)',
  examples: ['ringdown tui examples/door-phone.xml --clips examples/clips --sound'],
});

/** The demo call on the door-phone menu: deliveries (2), box full (1), goodbye, hang up. */
export const DEMO_EVENTS = 'offhook@0 2@2 1@5 onhook@16';

const KEYS = '0123456789*#ABCD';
/** What `s` says into the line: 5 s of speech-like test audio (sim/test-voice.ts). */
const TEST_VOICE_SECONDS = 5;

interface Setup {
  file: string;
  menu: Menu;
  clips: SimClipLibrary;
  clipsNote: string;
  profile: LineProfile;
  traceFile?: string;
  clipDir?: string;
  wavFile?: string;
  sound: boolean;
}

/** --trace and --wav: each replaces its one file, or streams into a FIFO or device. */
const OUTPUT: OutputOptions = { command: 'tui', existing: 'replace', stream: true };

/** The trace file as JSON lines, written through the output policy as a live log (it can be followed). */
function traceOutput(setup: Setup): Output | undefined {
  return setup.traceFile !== undefined ? openOutput(setup.traceFile, { ...OUTPUT, live: true }) : undefined;
}

function setUp(argv: string[], err: Out): Setup | number {
  const args = TUI.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const file = args.positionals[0] ?? 'examples/door-phone.xml';
  for (const path of [values.trace, values.wav]) {
    const refused = path !== undefined ? outputProblem(path, OUTPUT) : undefined;
    if (refused !== undefined) {
      err(refused);
      return 1;
    }
  }
  const profile = profileNamed(values.profile ?? 'us');
  if (profile === undefined) {
    err(`ringdown tui: --profile must be one of ${Object.keys(PROFILES).join(', ')}`);
    return 2;
  }
  const fixedMs = values['clip-ms'] === undefined ? undefined : parseWholeMs(values['clip-ms'], MAX_CLIP_MS);
  if (typeof fixedMs === 'string') {
    err(`ringdown tui: --clip-ms: ${fixedMs}`);
    return 2;
  }
  const loaded = readMenuFile(file, SIM_OUTPUT_NAMES);
  for (const d of loaded.diagnostics) if (d.severity === 'error') err(formatDiagnostic(file, d));
  const failed = menuFailure(loaded);
  if (failed !== undefined || loaded.menu === undefined) return failed ?? 1;
  const menu = loaded.menu;
  const { clipDir, clips } = simClips(file, values.clips, fixedMs, err);
  const clipsNote =
    fixedMs !== undefined
      ? `every clip ${fixedMs} ms`
      : clipDir !== undefined
        ? `clips from ${clipDir}`
        : 'no clip folder: lengths estimated from the text';
  return {
    file,
    menu,
    clips,
    clipsNote,
    profile,
    sound: values.sound === true,
    ...(values.trace !== undefined ? { traceFile: values.trace } : {}),
    ...(clipDir !== undefined ? { clipDir } : {}),
    ...(values.wav !== undefined ? { wavFile: values.wav } : {}),
  };
}

/** Without a terminal: the scripted demo call, in virtual time, printed as a trace. */
function runDemo(setup: Setup, out: Out, err: Out): number {
  const events = parseEvents(DEMO_EVENTS);
  if (typeof events === 'string') throw new Error(events);
  out(`ringdown: no terminal, so here is a scripted demo call on ${setup.file} (${setup.clipsNote}): ${DEMO_EVENTS}`);
  const trace = traceOutput(setup);
  const onTrace = (e: TraceEvent): void => {
    out(formatTraceLine(e));
    trace?.write(`${JSON.stringify(e)}\n`);
  };
  const run = simulate({ menu: setup.menu, events, clips: setup.clips, profile: setup.profile, onTrace });
  const traceProblem = trace?.close();
  if (traceProblem !== undefined) err(traceProblem);
  const wavOk =
    setup.wavFile === undefined ||
    writeCallWav(setup.wavFile, run.audio, run.endMs, setup.clipDir, err, undefined, 'tui');
  out('Run `npm start` in a terminal to lift the handset and press the keys yourself.');
  return traceProblem === undefined && wavOk ? 0 : 1;
}

/** Acts on one key of the terminal during a call; what to tell the user when it did nothing. */
function pressKey(session: CallSession, ch: string): string | undefined {
  const upper = ch.toUpperCase();
  const onHook = 'lift the handset first (space)';
  if (ch.length > 1 && ch.startsWith('\x1b')) return `${describeKey(ch)} does nothing`;
  if (ch === ' ' || ch === '\r' || ch === '\n') {
    session.toggleHook();
    return undefined;
  }
  if (upper === 'F') return session.flash() ? undefined : onHook;
  if (upper === 'R') return session.ring() ? undefined : 'the phone is in use: replace the handset to let it ring';
  if (upper === 'S')
    return session.say(callerVoice(TEST_VOICE_SECONDS))
      ? `the caller speaks ${TEST_VOICE_SECONDS} s of test audio`
      : onHook;
  if (KEYS.includes(upper)) return session.key(upper) ? undefined : onHook;
  return `key ${JSON.stringify(ch)} does nothing`;
}

/** In a terminal: a real-time call the user drives from the keyboard. Resolves when they quit. */
function runInteractive(setup: Setup): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  const info: ScreenInfo = { menuFile: setup.file, clipsNote: setup.clipsNote, positions: speakPositions(setup.menu) };
  let draw = (): void => {};
  const clock = new RealTimeClock({ onFired: () => draw() });
  const speaker = setup.sound
    ? new PlaySpeaker({
        clipDir: setup.clipDir,
        onProblem: (message) => {
          info.note = message;
        },
      })
    : undefined;
  const trace = traceOutput(setup);
  const session = new CallSession({
    menu: setup.menu,
    clips: setup.clips,
    profile: setup.profile,
    clock,
    ...(speaker !== undefined ? { speaker } : {}),
    // A failed write is kept by the output and reported when the session ends, not thrown into the engine.
    onTrace: (e) => trace?.write(`${JSON.stringify(e)}\n`),
  });
  draw = () => {
    const lines = renderScreen(session, clock.elapsed(), info, stdout.columns ?? 100);
    stdout.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\r\n')}\x1b[J`);
  };
  return new Promise((resolve) => {
    const ticker = setInterval(draw, 100);
    const quit = (): void => {
      process.off('SIGTERM', quit);
      process.off('SIGHUP', quit);
      process.off('SIGINT', quit);
      clearInterval(ticker);
      clock.stop();
      speaker?.close();
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\x1b[?25h\x1b[?1049l');
      clock.sync();
      const say = (line: string): void => void process.stderr.write(`${line}\n`);
      const traceProblem = trace?.close();
      if (traceProblem !== undefined) say(traceProblem);
      let wavOk = true;
      if (setup.wavFile !== undefined) {
        const end = clock.now();
        for (const segment of session.audio.segments) segment.end ??= end;
        wavOk = writeCallWav(setup.wavFile, session.audio.segments, end, setup.clipDir, say, undefined, 'tui');
        if (wavOk) stdout.write(`wrote ${setup.wavFile}: what the caller heard, ${(end / 1000).toFixed(3)} s\n`);
      }
      resolve(traceProblem === undefined && wavOk ? 0 : 1);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of splitKeys(chunk.toString('utf8'))) {
        clock.sync();
        delete info.note;
        if (ch === 'q' || ch === 'Q' || ch === '\x03' || ch === '\x04') return quit();
        const note = pressKey(session, ch);
        if (note !== undefined) info.note = note;
      }
      draw();
    };
    // Killed, interrupted from outside or hung up: give the terminal back as it was.
    process.once('SIGTERM', quit);
    process.once('SIGHUP', quit);
    process.once('SIGINT', quit);
    stdout.write('\x1b[?1049h\x1b[?25l\x1b[2J');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
    draw();
  });
}

export async function runTui(argv: string[], out: Out, err: Out): Promise<number> {
  const setup = setUp(argv, err);
  if (typeof setup === 'number') return setup;
  const demo = argv.includes('--demo') || process.stdin.isTTY !== true || process.stdout.isTTY !== true;
  return demo ? runDemo(setup, out, err) : runInteractive(setup);
}
