/**
 * The device link on the Pico firmware in the emulator (rp2040js, with the flash chip model of
 * tools/device/rp2040-flash.ts), over its UART: the CLI's own `status`, `push` and `pull` with a
 * port whose bytes go to the emulated UART at 115200 baud and whose answers are the lines the
 * firmware writes there (frames among the trace's lines).
 *
 * The firmware is built with examples/door-phone.xml. `status` says the built-in menu runs;
 * `push` sends a shorter menu made of the same clips (the Pico has no recordings, so an uploaded
 * menu can speak only the build's clips), then status says the uploaded menu runs; the chip is
 * reset with its flash kept (a power cycle) and a call runs the new menu, its trace equal to the
 * simulator's within 20 ms; `pull` gets the call log that call wrote. Then a push of another menu
 * is cut before each of its requests in turn (a power cut between two requests: the flash as it
 * was when the request would have gone), and every boot from that flash runs the first uploaded
 * menu or the second, never neither. Without the SDK, the pico-sdk, the bootrom or espeak-ng it
 * prints why and `# lane: skipped`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PINS } from '../../boards/pico-ag1171-mt8870/pins.js';
import { parseEvents } from '../../sim/events.js';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { simulate } from '../../sim/simulate.js';
import type { TraceEvent } from '../../src/engine/trace.js';
import { profileNamed } from '../../src/line/profile.js';
import { traceDifference } from '../../tools/device/compare.js';
import { buildPicoFirmware, picoMachine, type PicoSetup } from '../../tools/device/pico-device.js';
import { runPico } from '../../tools/device/pico-run.js';
import type { PicoMachine } from '../../tools/device/rp2040.js';
import { stage } from '../../tools/device/stage.js';
import type { LinkPort } from '../../tools/link/client.js';
import { runPull, runPush, runStatus } from '../../tools/link.js';
import { readClipFolder, readMenuFile } from '../../tools/menu-file.js';
import { picoLaneSetup } from './pico-setup.js';
import { REPO_ROOT } from '../xs/bundle.js';
import { LaneChecks } from './lane-checks.js';

const BOARD = 'pico-ag1171-mt8870';
const LANE_DIR = join(REPO_ROOT, 'build', 'ringdown', 'pico-link-lane');
const BUILT = join(REPO_ROOT, 'examples', 'door-phone.xml');
const TOLERANCE_MS = 20;
/** The emulator runs slower than the chip: a request's answer can take wall seconds. */
const TIMING = { timeoutMs: 120_000, retries: 1 };

/** The first menu pushed: the door phone's deliveries branch alone, from the build's clips. */
const FIRST = `<?xml version="1.0"?>
<Response>
  <UserInput timeout="4">
    <InitialCommands>
      <Speak>For deliveries, press 2.</Speak>
    </InitialCommands>
    <Inputs>
      <Input key="2">
        <Speak>Please leave the parcel with the neighbour at number 12.</Speak>
      </Input>
    </Inputs>
  </UserInput>
  <Speak>Thank you. Goodbye!</Speak>
  <Hangup/>
</Response>
`;
/** The second, the push that is cut. */
const SECOND = `<?xml version="1.0"?>
<Response>
  <Speak>Please write to us, or come back during office hours.</Speak>
  <Speak>Thank you. Goodbye!</Speak>
  <Hangup/>
</Response>
`;
const CALL = 'offhook@0 2@4 onhook@12';

const checks = new LaneChecks();
const check = (ok: boolean, what: string): void => checks.check(ok, what);
const note = (line: string): void => void process.stdout.write(`# ${line}\n`);

/** The host's end of the emulated UART; `cutBefore` makes the n-th write a power cut instead. */
class EmulatedPort implements LinkPort {
  #receive: ((bytes: Uint8Array) => void) | undefined;
  writes = 0;
  bytesOut = 0;
  bytesIn = 0;
  cut: Uint8Array | undefined;

  constructor(
    readonly machine: PicoMachine,
    readonly cutBefore?: number,
  ) {
    machine.onLine = (text) => {
      const bytes = new TextEncoder().encode(`${text}\n`);
      this.bytesIn += bytes.length;
      this.#receive?.(bytes);
    };
  }

  write(bytes: Uint8Array): void {
    this.writes++;
    if (this.writes === this.cutBefore) {
      // The flash as the power cut leaves it: every earlier request has been answered. The
      // request never leaves; the host's side is left waiting and `drive` stops.
      this.cut = this.machine.flash.slice();
    }
    if (this.cut !== undefined) return;
    this.bytesOut += bytes.length;
    this.machine.sendUart(bytes);
  }

  onData(receive: (bytes: Uint8Array) => void): void {
    this.#receive = receive;
  }

  close(): void {
    this.#receive = undefined;
  }
}

/**
 * Runs the emulator in 5 ms slices, letting the host's side answer between them, until `work`
 * settles, or until `stop` says the power was cut (then undefined; `work` is abandoned).
 */
async function drive<T>(machine: PicoMachine, work: Promise<T>, stop: () => boolean): Promise<T | undefined> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  while (!settled) {
    if (stop()) return undefined;
    machine.run(machine.nanos + 5e6);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return done;
}

/** Resets a machine (over `flash`, else erased) and runs it to its ready line; the lines before it. */
function boot(
  setup: PicoSetup,
  build: { elf: string; uf2: string },
  flash?: Uint8Array,
): { machine: PicoMachine; lines: string[] } {
  const machine = picoMachine(setup, build, flash !== undefined ? { flash } : {});
  const lines: string[] = [];
  let ready = false;
  machine.onLine = (text) => {
    lines.push(text);
    if (/; ready, clock /.test(text)) ready = true;
  };
  while (!ready && machine.nanos < 15e9) machine.run(machine.nanos + 5e6);
  if (!ready) throw new Error(`no ready line within 15 s: ${lines.join(' | ')}`);
  // The link answers only once the line is quiet; a few ms more lets the ready line's turn end.
  machine.run(machine.nanos + 50e6);
  return { machine, lines };
}

interface Cli {
  code: number;
  out: string[];
  err: string[];
  port: EmulatedPort;
  emulatedMs: number;
}

async function cli(machine: PicoMachine, command: typeof runStatus, argv: string[], cutBefore?: number): Promise<Cli> {
  const port = new EmulatedPort(machine, cutBefore);
  const out: string[] = [];
  const err: string[] = [];
  const start = machine.nanos;
  const code = await drive(
    machine,
    command(
      argv,
      (l) => void out.push(l),
      (l) => void err.push(l),
      () => port,
      TIMING,
    ),
    () => port.cut !== undefined,
  );
  return { code: code ?? -1, out, err, port, emulatedMs: (machine.nanos - start) / 1e6 };
}

async function status(machine: PicoMachine): Promise<Record<string, unknown>> {
  const r = await cli(machine, runStatus, ['emu', '--json']);
  if (r.code !== 0) throw new Error(`status: ${r.err.join(' | ')}`);
  return JSON.parse(r.out.join('')) as Record<string, unknown>;
}

function simTrace(menuPath: string, clips: string): TraceEvent[] {
  const loaded = readMenuFile(menuPath, SIM_OUTPUT_NAMES);
  const events = parseEvents(CALL);
  if (loaded.menu === undefined || typeof events === 'string') throw new Error(`${menuPath}: does not load`);
  const folder = readClipFolder(clips);
  return simulate({
    menu: loaded.menu,
    events,
    clips: new SimClipLibrary({ catalog: folder.catalog, durations: folder.durations }),
    profile: profileNamed('us')!,
    levels: true,
  }).trace.filter((e) => e.type !== 'end');
}

async function main(): Promise<void> {
  const found = picoLaneSetup('pico link lane');
  if (found === undefined) return;
  const { sdk, setup } = found;
  mkdirSync(LANE_DIR, { recursive: true });
  const clips = join(LANE_DIR, 'clips');
  const made = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'ringdown.js'), 'clips', BUILT, '--out', clips], {
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`ringdown clips: ${made.stderr}`);
  // Not beside the clip folder: push would send those clips, and the Pico keeps no recordings.
  mkdirSync(join(LANE_DIR, 'menus'), { recursive: true });
  const first = join(LANE_DIR, 'menus', 'first.xml');
  const second = join(LANE_DIR, 'menus', 'second.xml');
  writeFileSync(first, FIRST);
  writeFileSync(second, SECOND);
  const build = buildPicoFirmware(sdk, setup, stage({ menu: BUILT, clips }, join(LANE_DIR, 'stage')), BOARD);
  if (!build.ok) throw new Error(`build failed: ${build.log.trim().split('\n').slice(-5).join(' | ')}`);
  note(`${BOARD}, Moddable SDK ${sdk.version ?? ''}, pico-sdk ${setup.pico.version ?? ''}, rp2040js`);

  const { machine, lines } = boot(setup, build);
  note(lines.find((l) => l.includes('memory after load')) ?? 'no memory line');
  const before = await status(machine);
  check(before.menu === 'built-in' && before.board === BOARD, `status: ${BOARD} runs its built-in menu`);

  const pushed = await cli(machine, runPush, ['emu', first]);
  check(pushed.code === 0, `push ${FIRST.length} bytes of menu: ${[...pushed.out, ...pushed.err].join(' | ')}`);
  note(
    `push: ${pushed.port.bytesOut} bytes to the device and ${pushed.port.bytesIn} back in ${pushed.emulatedMs.toFixed(0)} ms of emulated time (${Math.round(pushed.port.bytesOut / (pushed.emulatedMs / 1000))} bytes/s sent), ${machine.uartOverruns} bytes lost to a full receive FIFO, ${machine.flashChip.erases} sector erases, ${machine.flashChip.programs} page programs`,
  );
  const after = await status(machine);
  check(after.menu === 'uploaded', `status after the push: the uploaded menu runs (crc ${String(after.menuCrc)})`);
  const firstCrc = after.menuCrc;

  // A power cycle with the flash kept: the uploaded menu is loaded at boot, and a call runs it.
  const cycled = picoMachine(setup, build, { flash: machine.flash.slice() });
  const run = runPico(cycled, { events: parseEvents(CALL) as never, pins: PINS });
  const sim = simTrace(first, clips);
  const difference = run.problem ?? traceDifference(run.trace, sim, TOLERANCE_MS);
  check(
    difference === undefined,
    `after a power cycle a call runs the pushed menu (${run.trace.length} events, as the simulator's)${difference !== undefined ? `: ${difference}` : ''}`,
  );
  check(
    run.notes.some((l) => l.includes(`crc32 ${String(firstCrc)}`)),
    `the boot says it runs the uploaded menu: ${run.notes.filter((l) => l.includes('menu')).join(' | ')}`,
  );

  const out = join(LANE_DIR, 'pulled');
  rmSync(out, { recursive: true, force: true });
  cycled.run(cycled.nanos + 100e6);
  const pulled = await cli(cycled, runPull, ['emu', '--out', out]);
  const log = pulled.code === 0 ? readFileSync(join(out, 'calllog.txt'), 'utf8') : '';
  check(
    pulled.code === 0 && /#1 call .*answer=offhook .*duration=/.test(log),
    `pull gets the call log: ${log.trim() || pulled.err.join(' | ')}`,
  );
  note(`pull: ${pulled.port.bytesIn} bytes back in ${pulled.emulatedMs.toFixed(0)} ms of emulated time`);

  // A push of the second menu cut before each request in turn, on one running device (each push
  // starts again from MENU_BEGIN), until one goes through whole; each cut's flash is booted and its
  // boot line says which menu runs.
  const { machine: m } = boot(setup, build, cycled.flash.slice());
  const runs: string[] = [];
  let newCrc: string | undefined;
  for (let cut = 1; cut < 64; cut++) {
    const r = await cli(m, runPush, ['emu', second], cut);
    const flash = r.port.cut ?? m.flash.slice();
    const booted = boot(setup, build, flash).lines.find((l) => /ringdown: menu /.test(l)) ?? 'no menu line';
    const crc = /crc32 ([0-9a-f]+)/.exec(booted)?.[1];
    if (r.port.cut === undefined) {
      check(r.code === 0 && crc !== firstCrc, `the second push, not cut, runs the second menu: ${booted}`);
      newCrc = crc;
      break;
    }
    runs.push(`${cut}:${crc ?? booted}`);
  }
  const seen = runs.map((x) => (x.endsWith(`:${String(firstCrc)}`) ? 'old' : x.endsWith(`:${newCrc}`) ? 'new' : x));
  check(
    seen.length > 0 && seen.every((x) => x === 'old' || x === 'new'),
    `a push cut before each of its ${seen.length} requests boots the old or the new menu (${seen.join(' ')})`,
  );
  process.stdout.write(checks.summary());
  // The cut pushes' hosts are still waiting for answers that will never come.
  process.exit(checks.failed > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  process.stdout.write(
    `# pico link lane: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n${checks.summary(1)}`,
  );
  process.exit(1);
});
