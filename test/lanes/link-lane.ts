/**
 * The device link on the desktop (`lin`) firmware, over a pseudo-terminal.
 *
 * First run: a guestbook call is recorded; once the line is idle `ringdown pull` gets the
 * recording (equal to the simulator's, byte for byte) and the call log; a damaged frame and a
 * frame whose length disagrees with its body are refused with `bad-frame` and the device goes on
 * answering; a menu over the board's limits sent past the host's check is refused by the device;
 * a clip upload whose host goes away half-way is dropped; `ringdown push` sends a new menu and
 * greeting, and the next call runs them.
 *
 * Then a push of another menu is cut (the firmware killed: its flash images are files written
 * through at every write, so this is a power cut between two writes) before each of its
 * requests in turn, from the state the first run left; the firmware is started again and a
 * call runs either the old menu or the new one, never neither.
 *
 * The pty pair comes from a small python3 relay (two ptys, bytes copied between their masters):
 * the firmware opens one end (RINGDOWN_LINK), the CLI the other. Without the SDK, xvfb-run or
 * python3 it prints why and `# lane: skipped`.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvents } from '../../sim/events.js';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { simulate } from '../../sim/simulate.js';
import { callerVoice } from '../../sim/test-voice.js';
import { encodeWav } from '../../src/audio/wav.js';
import { crc32 } from '../../src/checksum/crc32.js';
import { encodeFrame } from '../../src/link/frame.js';
import { encodePackage } from '../../src/link/menu-slots.js';
import { Kind, readJson, u32s } from '../../src/link/protocol.js';
import { parseTraceLine } from '../../tools/device/compare.js';
import { buildLin, headless, runMcsim } from '../../tools/device/lin.js';
import { findSdk, which, type Sdk } from '../../tools/device/sdk.js';
import { stage } from '../../tools/device/stage.js';
import { LinkClient, type LinkPort } from '../../tools/link/client.js';
import { openSerialPort } from '../../tools/link/serial-port.js';
import { runPull, runPush, runStatus } from '../../tools/link.js';
import { readMenuFile } from '../../tools/menu-file.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { LaneChecks } from './lane-checks.js';

const LANE_DIR = join(REPO_ROOT, 'build', 'ringdown', 'link-lane');
const CLIP_MS = 4000;
/** The flash images the firmware keeps (recordings, menu slots, call log). */
const IMAGES = ['recordings.bin', 'menus.bin', 'calllog.bin'];
/** When the first run's second call comes (s): the link work must be done by then. */
const SECOND_CALL_S = 75;

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

const checks = new LaneChecks();
const check = (ok: boolean, what: string): void => checks.check(ok, what);
const out = (line: string): void => void process.stdout.write(`# ${line}\n`);
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A frame line whose length field says `claimed` bytes but whose body has none, with a good CRC. */
function wrongLengthFrame(claimed: number): Uint8Array {
  const body = new Uint8Array(10);
  const view = new DataView(body.buffer);
  body[0] = Kind.STATUS;
  body[1] = 9;
  view.setUint32(2, claimed, true);
  view.setUint32(6, crc32(body.subarray(0, 6)), true);
  return new Uint8Array(Buffer.from(`\x01${Buffer.from(body).toString('base64')}\n`, 'latin1'));
}

/** What the host end of the pty receives for `ms` after sending `frame`, as text. */
async function answerTo(hostPty: string, frame: Uint8Array, ms: number): Promise<string> {
  const port = openSerialPort(hostPty);
  if (typeof port === 'string') throw new Error(port);
  const got: string[] = [];
  port.onData((bytes) => void got.push(Buffer.from(bytes).toString('latin1')));
  port.write(frame);
  await delay(ms);
  port.close();
  return got.join('');
}

/** The JSON payloads of the frames in `text`. */
function framePayloads(text: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('\x01')) continue;
    const body = Buffer.from(line.slice(1), 'base64');
    const json = readJson(new Uint8Array(body.subarray(6, body.length - 4)));
    if (json !== undefined) found.push(json);
  }
  return found;
}

interface Firmware {
  /** Runs the firmware with a call script; `line` sees each console line and may end the run. */
  run(events: string, line: (text: string, finish: (problem?: string) => void) => void): Promise<string | undefined>;
}

function firmware(sdk: Sdk, command: string[], library: string, devicePty: string): Firmware {
  return {
    run: (events, line) =>
      runMcsim(
        command,
        [library],
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
          timeoutProblem: () => 'the run did not finish within 240 s',
          exitProblem: 'before the run finished',
        },
        (text, finish) => {
          if (text.startsWith('XS abort')) finish(text);
          line(text, finish);
        },
      ),
  };
}

/** The clips a call plays, and whether it hung up, from a run's console lines. */
function callWatcher(): { plays: { clip: string; ms: number }[]; line(text: string): boolean } {
  const plays: { clip: string; ms: number }[] = [];
  return {
    plays,
    line(text) {
      const event = parseTraceLine(text);
      if (event?.type === 'play') plays.push({ clip: event.clip, ms: event.ms });
      return event?.type === 'hangup';
    },
  };
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
    process.stdout.write(`${build.log}\nnot ok - the lin firmware builds\n# lane: 0 passed, 1 failed\n`);
    return 1;
  }
  const voice = callerVoice(20);
  const voicePath = join(LANE_DIR, 'caller.wav');
  writeFileSync(voicePath, encodeWav(voice));
  // The first call leaves a message; the link works while the line is idle; the second call runs the pushed menu.
  const events = `offhook@0 say:${voicePath}@3 onhook@14 offhook@${SECOND_CALL_S} onhook@${SECOND_CALL_S + 10}`;
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

  // The pushed menu and its clips (A), and the menu whose push is cut (B).
  const push = join(LANE_DIR, 'push');
  mkdirSync(join(push, 'clips'), { recursive: true });
  writeFileSync(
    join(push, 'new.xml'),
    '<Response>\n  <Speak clip="greeting">Hello from the new menu.</Speak>\n  <Speak>Goodbye.</Speak>\n  <Hangup/>\n</Response>\n',
  );
  writeFileSync(
    join(push, 'other.xml'),
    '<Response>\n  <Speak clip="other">Another menu.</Speak>\n  <Hangup/>\n</Response>\n',
  );
  const greeting = voice.slice(0, 8000 * 2 + 123);
  const bye = voice.slice(8000, 8000 + 6000);
  const other = voice.slice(4000, 4000 + 1500);
  writeFileSync(join(push, 'clips', 'greeting.wav'), encodeWav(greeting));
  writeFileSync(join(push, 'clips', 'bye.wav'), encodeWav(bye));
  writeFileSync(join(push, 'clips', 'other.wav'), encodeWav(other));
  writeFileSync(join(push, 'clips', 'catalog.json'), JSON.stringify({ clips: { 'Goodbye.': 'bye' } }));
  const menuA = [
    { clip: 'greeting', ms: Math.round(greeting.length / 8) },
    { clip: 'bye', ms: Math.round(bye.length / 8) },
  ];
  const menuB = [{ clip: 'other', ms: Math.round(other.length / 8) }];

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
  const device = firmware(sdk, command, build.library, devicePty);

  const pulled = join(LANE_DIR, 'pulled');
  const secondCall = callWatcher();
  let linkDone: Promise<void> | undefined;
  let calls = 0;
  let scriptStart = 0;
  const problem = await device.run(events, (text, finish) => {
    if (!text.startsWith('{')) {
      if (text.trim() !== '') out(text);
      if (text.includes('caller script starts')) scriptStart = Date.now();
      return;
    }
    const event = parseTraceLine(text);
    if (event === undefined) return;
    if (event.type === 'offhook') calls++;
    if ((calls === 2 && secondCall.line(text)) || event.type === 'end') finish();
    if (event.type !== 'idle' || calls !== 1 || linkDone !== undefined) return;
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
      // A damaged frame and one whose length disagrees with its body: refused, and answering goes on.
      const damaged = encodeFrame({ kind: Kind.STATUS, tag: 7, payload: new Uint8Array(0) });
      damaged[5] = damaged[5] === 0x41 ? 0x42 : 0x41;
      const refused = framePayloads(await answerTo(hostPty, damaged, 500));
      check(refused[0]?.code === 'bad-frame', `a damaged frame is refused: ${JSON.stringify(refused)}`);
      const long = framePayloads(await answerTo(hostPty, wrongLengthFrame(100), 500));
      check(
        long[0]?.code === 'bad-frame' && /length/.test(String(long[0]?.message)),
        `a frame whose length disagrees with its body is refused: ${JSON.stringify(long)}`,
      );
      // A menu over the board's limits, sent past the host's check: the device refuses it.
      const client = new LinkClient(openSerialPort(hostPty) as LinkPort, { timeoutMs: 2000 });
      const big = `<Response>\n${'  <Delay>0.1</Delay>\n'.repeat(501)}  <Hangup/>\n</Response>\n`;
      const pkg = encodePackage({ menu: new TextEncoder().encode(big), catalog: new Uint8Array(0) });
      let refusal = '';
      try {
        await client.json(Kind.MENU_BEGIN, { bytes: pkg.length, crc: crc32(pkg) });
        for (let at = 0; at < pkg.length; at += 1024)
          await client.json(Kind.MENU_DATA, u32s([at], pkg.subarray(at, Math.min(pkg.length, at + 1024))));
        await client.json(Kind.MENU_END);
      } catch (e) {
        refusal = e instanceof Error ? e.message : String(e);
      }
      check(/menu not switched: .*:\d+:\d+: error: .*commands/.test(refusal), `over the limits: ${refusal}`);
      // A clip upload whose host goes away half-way: nothing of it is kept (the push below starts afresh).
      await client.json(Kind.CLIP_BEGIN, { name: 'greeting', samples: 4096, crc: 0 });
      await client.json(Kind.CLIP_DATA, u32s([0], new Uint8Array(2048)));
      client.close();
      const s: string[] = [];
      check(
        (await runStatus([hostPty], (l) => void s.push(l), out)) === 0 && /menu built-in/.test(s.join('\n')),
        `ringdown status: ${s.join('; ')}`,
      );
      const pushed: string[] = [];
      const pushCode = await runPush(
        [hostPty, join(push, 'new.xml'), '--clips', join(push, 'clips')],
        (l) => {
          pushed.push(l);
          out(l);
        },
        out,
      );
      check(pushCode === 0, 'ringdown push exits 0');
      const after: string[] = [];
      await runStatus([hostPty, '--json'], (l) => void after.push(l), out);
      const status = JSON.parse(after[0] ?? '{}') as Record<string, unknown>;
      check(
        status.menu === 'uploaded' &&
          status.recordings === 3 &&
          pushed.join('\n').includes(`(crc32 ${String(status.menuCrc)})`),
        `status after the push names the pushed menu: ${after[0]}`,
      );
      const seconds = (Date.now() - scriptStart) / 1000;
      check(seconds < SECOND_CALL_S - 5, `the link work was done ${seconds.toFixed(1)} s into the run`);
    })().catch((e: unknown) => {
      check(false, `the link work failed: ${e instanceof Error ? e.stack : String(e)}`);
      finish('the link work failed');
    });
  });
  await linkDone;
  check(
    problem === undefined,
    `the firmware ran to the second call's hang-up${problem !== undefined ? `: ${problem}` : ''}`,
  );
  check(
    JSON.stringify(secondCall.plays) === JSON.stringify(menuA),
    `the next call runs the pushed menu and greeting: ${JSON.stringify(secondCall.plays)}`,
  );

  // A push of menu B cut before each of its requests, and once just after its last one (MENU_END,
  // the switch) went out, always from the state the first run left.
  const snapshot = join(LANE_DIR, 'after-first-run');
  mkdirSync(snapshot);
  for (const image of IMAGES) copyFileSync(join(LANE_DIR, image), join(snapshot, image));
  /** Pushes B with the power cut before request `cut` (or just after it is sent), then boots and calls. */
  const cutPush = async (cut: number, after: boolean): Promise<{ whole: boolean; code?: number; runs: string }> => {
    for (const image of IMAGES) copyFileSync(join(snapshot, image), join(LANE_DIR, image));
    let sent = 0;
    let code: number | undefined;
    let work: Promise<void> | undefined;
    await device.run('offhook@900', (text, finish) => {
      if (!text.includes('caller script starts') || work !== undefined) return;
      const cutting = (path: string): LinkPort | string => {
        const port = openSerialPort(path);
        if (typeof port === 'string') return port;
        return {
          ...port,
          write: (bytes) => {
            if (++sent < cut || (after && sent === cut)) port.write(bytes);
            if (sent < cut) return;
            finish('cut');
            throw new Error('cut');
          },
        };
      };
      work = (async () => {
        code = await runPush(
          [hostPty, join(push, 'other.xml'), '--clips', join(push, 'clips')],
          () => undefined,
          out,
          cutting,
          { timeoutMs: 1500, retries: 2 },
        ).catch(() => undefined);
        finish();
      })();
    });
    await work;
    // Started again: a call runs one of the two menus.
    const call = callWatcher();
    const bootProblem = await device.run('offhook@1 onhook@12', (text, finish) => {
      if (call.line(text) || text.includes('"type":"end"')) finish();
    });
    const runs =
      JSON.stringify(call.plays) === JSON.stringify(menuA)
        ? 'old'
        : JSON.stringify(call.plays) === JSON.stringify(menuB)
          ? 'new'
          : `neither: ${JSON.stringify(call.plays)}${bootProblem !== undefined ? ` (${bootProblem})` : ''}`;
    return { whole: sent < cut, ...(code !== undefined ? { code } : {}), runs };
  };
  const seen = new Set<string>();
  for (let cut = 2; ; cut++) {
    const { whole, code, runs } = await cutPush(cut, false);
    seen.add(runs);
    if (whole) {
      check(code === 0 && runs === 'new', `the push of ${cut - 1} requests, not cut: the next boot runs the new menu`);
      const last = await cutPush(cut - 1, true);
      seen.add(last.runs);
      check(
        last.runs === 'old' || last.runs === 'new',
        `a push cut just after its last request went out: the next boot runs the ${last.runs} menu`,
      );
      break;
    }
    check(
      runs === 'old' || runs === 'new',
      `a push cut before its request ${cut}: the next boot runs the ${runs} menu`,
    );
  }
  check(
    seen.has('old') && seen.has('new'),
    `cut pushes left both menus running at some point (${[...seen].join(', ')})`,
  );
  relay.kill();
  process.stdout.write(checks.summary());
  return checks.failed === 0 ? 0 : 1;
}

process.exitCode = await main();
