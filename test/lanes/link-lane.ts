/**
 * The device link on the desktop (`lin`) firmware, over a pseudo-terminal: a guestbook call is
 * recorded, `ringdown pull` gets the recording (equal to the simulator's, sample for sample) and
 * the call log, a damaged frame is refused, `ringdown push` sends a new menu and greeting, and the
 * next call runs them. The pty pair comes from a small python3 relay (two ptys, bytes copied
 * between their masters): the firmware opens one end (RINGDOWN_LINK), the CLI the other. Without
 * the SDK, xvfb-run or python3 it prints why and `# lane: skipped`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents } from '../../sim/events.js';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { simulate } from '../../sim/simulate.js';
import { callerVoice } from '../../sim/test-voice.js';
import { encodeWav } from '../../src/audio/wav.js';
import { encodeFrame } from '../../src/link/frame.js';
import { Kind } from '../../src/link/protocol.js';
import { parseTraceLine } from '../../tools/device/compare.js';
import { buildLin, headless, runMcsim } from '../../tools/device/lin.js';
import { findSdk, which } from '../../tools/device/sdk.js';
import { stage } from '../../tools/device/stage.js';
import { LinkClient } from '../../tools/link/client.js';
import { openSerialPort } from '../../tools/link/serial-port.js';
import { runPull, runPush, runStatus } from '../../tools/link.js';
import { readMenuFile } from '../../tools/menu-file.js';
import { REPO_ROOT } from '../xs/bundle.js';

const LANE_DIR = join(REPO_ROOT, 'build', 'ringdown', 'link-lane');
const CLIP_MS = 4000;

const RELAY = `
import os, pty, select, tty
pairs = [pty.openpty(), pty.openpty()]
for _, s in pairs: tty.setraw(s)
print(os.ttyname(pairs[0][1]), os.ttyname(pairs[1][1]), flush=True)
a, b = pairs[0][0], pairs[1][0]
while True:
    ready, _, _ = select.select([a, b], [], [])
    for m in ready:
        data = os.read(m, 65536)
        os.write(b if m == a else a, data)
`;

let failures = 0;
function check(ok: boolean, what: string): void {
  process.stdout.write(`${ok ? 'ok' : 'not ok'} - ${what}\n`);
  if (!ok) failures++;
}

async function main(): Promise<number> {
  const sdk = findSdk();
  const command = typeof sdk === 'string' ? sdk : headless(sdk);
  const python = which('python3');
  if (typeof sdk === 'string' || typeof command === 'string' || python === undefined) {
    process.stdout.write(
      `# link lane skipped: ${typeof command === 'string' ? command : 'python3 is missing'}\n# lane: skipped\n`,
    );
    return 0;
  }
  rmSync(LANE_DIR, { recursive: true, force: true });
  mkdirSync(LANE_DIR, { recursive: true });
  const guestbook = join(REPO_ROOT, 'examples', 'guestbook.xml');
  const build = buildLin(sdk, stage({ menu: guestbook }, join(LANE_DIR, 'stage')), { profile: 'us' });
  if (!build.ok) {
    process.stdout.write(`${build.log}\nnot ok - the lin firmware builds\n`);
    return 1;
  }
  const voice = callerVoice(20);
  const voicePath = join(LANE_DIR, 'caller.wav');
  writeFileSync(voicePath, encodeWav(voice));
  // The first call leaves a message; pull and push run while the line is idle; the second call runs the pushed menu.
  const events = `offhook@0 say:${voicePath}@3 onhook@14 offhook@40 onhook@50`;
  const parsed = parseEvents(events);
  if (typeof parsed === 'string') throw new Error(parsed);
  const menu = readMenuFile(guestbook, SIM_OUTPUT_NAMES).menu!;
  const sim = simulate({
    menu,
    events: parsed,
    clips: new SimClipLibrary({ fixedMs: CLIP_MS }),
    levels: true,
    voices: () => voice,
    untilMs: 20_000,
  });

  // The pushed menu and its clips.
  const push = join(LANE_DIR, 'push');
  mkdirSync(join(push, 'clips'), { recursive: true });
  writeFileSync(
    join(push, 'new.xml'),
    '<Response>\n  <Speak clip="greeting">Hello from the new menu.</Speak>\n  <Speak>Goodbye.</Speak>\n  <Hangup/>\n</Response>\n',
  );
  const greeting = voice.slice(0, 8000 * 2 + 123);
  const bye = voice.slice(8000, 8000 + 6000);
  writeFileSync(join(push, 'clips', 'greeting.wav'), encodeWav(greeting));
  writeFileSync(join(push, 'clips', 'bye.wav'), encodeWav(bye));
  writeFileSync(join(push, 'clips', 'catalog.json'), JSON.stringify({ clips: { 'Goodbye.': 'bye' } }));

  const out = (line: string): void => void process.stdout.write(`# ${line}\n`);
  const relay = spawn(python, ['-c', RELAY], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => relay.kill());
  // The relay's first line names the two ptys (it may come in pieces).
  const names = await new Promise<string>((resolve) => {
    let text = '';
    const read = (d: Buffer): void => {
      text += d.toString();
      if (!text.includes('\n')) return;
      relay.stdout.off('data', read);
      resolve(text);
    };
    relay.stdout.on('data', read);
  });
  const [devicePty, hostPty] = names.trim().split(/\s+/);
  if (devicePty === undefined || hostPty === undefined) throw new Error(`the pty relay said ${JSON.stringify(names)}`);
  out(`pty pair: firmware ${devicePty}, host ${hostPty}`);
  const pulled = join(LANE_DIR, 'pulled');
  const secondCall: { clip: string; ms: number }[] = [];
  let linkDone: Promise<void> | undefined;
  let calls = 0;
  const problem = await runMcsim(
    command,
    [build.library],
    (home) => ({
      ...sdk.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      RINGDOWN_EVENTS: events,
      RINGDOWN_CLIP_MS: String(CLIP_MS),
      RINGDOWN_RECORDINGS: join(LANE_DIR, 'recordings.bin'),
      RINGDOWN_RECORDINGS_BYTES: String(1024 * 1024),
      RINGDOWN_MENUS: join(LANE_DIR, 'menus.bin'),
      RINGDOWN_CALLLOG: join(LANE_DIR, 'calllog.bin'),
      RINGDOWN_LINK: devicePty,
    }),
    {
      timeoutMs: 240_000,
      timeoutProblem: () => 'the lane did not finish within 240 s',
      exitProblem: 'before the lane finished',
    },
    (text, finish) => {
      if (!text.startsWith('{')) {
        if (text.trim() !== '') out(text);
        if (text.startsWith('XS abort')) finish(text);
        return;
      }
      const event = parseTraceLine(text);
      if (event === undefined) return;
      if (event.type === 'offhook') calls++;
      if (calls === 2 && event.type === 'play') secondCall.push({ clip: event.clip, ms: event.ms });
      if (calls === 2 && event.type === 'hangup') finish();
      if (event.type === 'idle' && calls === 1 && linkDone === undefined) {
        linkDone = (async () => {
          const started = Date.now();
          const code = await runPull([hostPty, '--out', pulled], out, out);
          check(code === 0, `ringdown pull exits 0 (${((Date.now() - started) / 1000).toFixed(1)} s)`);
          const wav = readFileSync(join(pulled, 'guest-1.wav'));
          check(
            Buffer.compare(wav, Buffer.from(encodeWav(sim.recordings.recordings.get('guest-1')!))) === 0,
            "guest-1.wav equals the simulator's recording, byte for byte",
          );
          check(
            /#1 call .*answer=offhook/.test(readFileSync(join(pulled, 'calllog.txt'), 'utf8')),
            'the call log has the call',
          );
          // A damaged frame: the device says so, and goes on answering.
          const port = openSerialPort(hostPty);
          if (typeof port === 'string') throw new Error(port);
          const notes: string[] = [];
          const client = new LinkClient(port, { timeoutMs: 2000 });
          const frame = encodeFrame({ kind: Kind.STATUS, tag: 7, payload: new Uint8Array(0) });
          frame[5] = frame[5] === 0x41 ? 0x42 : 0x41;
          port.onData((bytes) => notes.push(Buffer.from(bytes).toString('latin1')));
          port.write(frame);
          await new Promise((r) => setTimeout(r, 500));
          client.close();
          check(notes.join('').includes('\x01'), 'a damaged frame is answered (with a bad-frame error)');
          const s: string[] = [];
          check(
            (await runStatus([hostPty], (l) => void s.push(l), out)) === 0 && /menu built-in/.test(s.join('\n')),
            `ringdown status: ${s.join('; ')}`,
          );
          const pushCode = await runPush([hostPty, join(push, 'new.xml'), '--clips', join(push, 'clips')], out, out);
          check(pushCode === 0, 'ringdown push exits 0');
        })().catch((e: unknown) => {
          check(false, `the link work failed: ${e instanceof Error ? e.stack : String(e)}`);
          finish('the link work failed');
        });
      }
    },
  );
  await linkDone;
  relay.kill();
  check(
    problem === undefined,
    `the firmware ran to the second call's hang-up${problem !== undefined ? `: ${problem}` : ''}`,
  );
  check(
    JSON.stringify(secondCall) ===
      JSON.stringify([
        { clip: 'greeting', ms: Math.round(greeting.length / 8) },
        { clip: 'bye', ms: Math.round(bye.length / 8) },
      ]),
    `the next call runs the pushed menu and greeting: ${JSON.stringify(secondCall)}`,
  );
  process.stdout.write(failures === 0 ? '# lane: passed\n' : `# lane: ${failures} failed\n`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
