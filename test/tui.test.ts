import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readWavSamples } from '../src/audio/wav.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { cadence } from './tone-measure.js';
import { RealTimeClock } from '../sim/realtime-clock.js';
import { needs } from './outside-tool.js';

t.test(
  'RealTimeClock: timers fire in due order when the wall clock reaches them; now() is the wall time of sync',
  async (t) => {
    let wall = 1000;
    const clock = new RealTimeClock({ wallMs: () => wall });
    const fired: string[] = [];
    clock.schedule(10, () => fired.push(`a@${clock.now()}`));
    clock.schedule(5, () => {
      fired.push(`b@${clock.now()}`);
      clock.schedule(0, () => fired.push(`c@${clock.now()}`));
    });
    const cancelled = clock.schedule(5, () => fired.push('never'));
    clock.cancel(cancelled);
    wall = 1007;
    clock.sync();
    t.same(fired, ['b@5', 'c@5']);
    t.equal(clock.now(), 7);
    wall = 1012;
    clock.sync();
    t.same(fired, ['b@5', 'c@5', 'a@10']);
    t.equal(clock.now(), 12);
    clock.stop();
  },
);

t.test('without a terminal, npm start plays the scripted demo call and exits 0', async (t) => {
  const r = spawnSync('npm', ['start', '--silent'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^ringdown: no terminal, so here is a scripted demo call on examples\/door-phone\.xml/);
  t.match(r.stdout, /2\.000 {2}key +key="2"/);
  t.match(
    r.stdout,
    /hangup +reason="command"\n.*tone +name="reorder"\n.*16\.000 {2}onhook\n.*tone-stop name="reorder"\n.*16\.000 {2}end\n/,
  );
});

function tmux(socket: string, ...args: string[]): string {
  return spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' }).stdout;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

t.test('the interactive simulator in a terminal (tmux): a whole call driven by keys', needs('tmux'), async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'ringdown-tui-'));
  const traceFile = join(tmp, 'trace.jsonl');
  const codeFile = join(tmp, 'code');
  const wavFile = join(tmp, 'call.wav');
  const socket = join(tmp, 'tmux.sock');
  const command = `cd ${JSON.stringify(process.cwd())} && ${JSON.stringify(process.execPath)} bin/ringdown.js tui examples/door-phone.xml --clip-ms 800 --trace ${traceFile} --wav ${wavFile}; echo $? > ${codeFile}; sleep 30`;
  tmux(socket, 'new-session', '-d', '-x', '110', '-y', '32', command);
  t.teardown(() => void tmux(socket, 'kill-server'));
  const screens: string[] = [];
  const waitFor = async (pattern: RegExp, what: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const screen = tmux(socket, 'capture-pane', '-p');
      if (pattern.test(screen)) {
        screens.push(screen);
        t.pass(what);
        return;
      }
      await sleep(50);
    }
    t.fail(`${what}: no ${String(pattern)} on the screen:\n${tmux(socket, 'capture-pane', '-p')}`);
  };
  const keys = (...k: string[]): string => tmux(socket, 'send-keys', ...k);

  await waitFor(/Handset +on-hook \(down\) +Line +idle/, 'starts with the handset down');
  await waitFor(/Menu +waiting for the handset to be lifted/, 'the menu waits for the handset');
  keys('5');
  await waitFor(/lift the handset first/, 'a key with the handset down is refused with a hint');
  keys('Space');
  await waitFor(/Handset +OFF-HOOK \(lifted\) +Line +menu/, 'space lifts the handset');
  await waitFor(
    /Playing +clip welcome-for-the-office-press-1 "Welcome\. For the office, press 1\."/,
    'the welcome prompt plays',
  );
  await waitFor(/Menu +Speak at line 7:7 in UserInput 5:3/, 'the menu position is the first Speak');
  keys('2');
  await waitFor(/Keys +2 +last: match key="2"/, 'key 2 is heard and matched');
  await waitFor(
    /Menu +Speak at line 18:13 in UserInput 16:9 in Input key="2" in UserInput 5:3/,
    'the sub-menu prompt, with its place in the menu',
  );
  keys('1');
  await waitFor(/Keys +2 1 +last: match key="1"/, 'key 1 is heard in the sub-menu');
  await waitFor(
    /Playing +tone reorder +480 \+ 620 Hz, 250\/250 ms/,
    'after the goodbye the menu hangs up: reorder tone',
  );
  await waitFor(/Line +disconnected/, 'the line is disconnected');
  await sleep(700); // let the tone run a whole cadence period or more
  keys('Space');
  await waitFor(/Handset +on-hook \(down\) +Line +idle/, 'space replaces the handset');
  await waitFor(/Playing +silence/, 'and the tone stops');
  keys('q');
  for (let i = 0; i < 200 && !existsSync(codeFile); i++) await sleep(50);
  t.equal(
    existsSync(codeFile) ? readFileSync(codeFile, 'utf8').trim() : 'still running',
    '0',
    'q quits with exit code 0',
  );

  const trace = readFileSync(traceFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TraceEvent);
  t.same(
    trace
      .filter((e) => ['offhook', 'key', 'match', 'hangup', 'tone', 'onhook', 'tone-stop'].includes(e.type))
      .map((e) => e.type + ('key' in e ? e.key : '')),
    ['offhook', 'key2', 'match2', 'key1', 'match1', 'hangup', 'tone', 'onhook', 'tone-stop'],
    'the call in the trace: lift, 2, 1, hang-up and tone, replace',
  );
  t.same(trace.flatMap((e) => (e.type === 'play' ? [e.clip] : [])).slice(-3), [
    'leave-parcels-in-the-box-by-the-gate-press-1-if-194afaee',
    'please-leave-the-parcel-with-the-neighbour-at-number-12',
    'thank-you-goodbye',
  ]);
  t.ok(
    trace.every((e, i) => i === 0 || e.t >= trace[i - 1]!.t),
    'trace times never go back',
  );
  const play = trace.filter((e) => e.type === 'play');
  const hangup = trace.find((e) => e.type === 'hangup')!;
  t.equal(
    hangup.t - play[play.length - 1]!.t,
    800,
    'the goodbye clip played its 800 ms in real time before the hang-up',
  );

  // --wav: what the caller heard, up to the moment of quitting; the reorder tone between hang-up and on-hook.
  const wav = readWavSamples(readFileSync(wavFile));
  if (typeof wav === 'string') return void t.fail(wav);
  const last = trace[trace.length - 1]!;
  t.ok(wav.samples.length >= last.t * 8, `the WAV (${wav.samples.length / 8} ms) covers the trace (${last.t} ms)`);
  const onhook = trace.find((e) => e.type === 'onhook')!;
  const runs = cadence(wav.samples.subarray(hangup.t * 8, onhook.t * 8), 8000);
  t.same(
    runs.slice(0, -1),
    runs.slice(0, -1).map(() => 250),
    `reorder cadence 250/250 ms in the recording (${runs.length} runs)`,
  );
  t.ok(runs.length >= 3, 'at least one whole on/off period');
});

t.test('tmux: arrow keys are not DTMF A-D; an external SIGINT gives the terminal back', needs('tmux'), async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'ringdown-tui-'));
  const traceFile = join(tmp, 'trace.jsonl');
  const socket = join(tmp, 'tmux.sock');
  const command = `cd ${JSON.stringify(process.cwd())} && ${JSON.stringify(process.execPath)} bin/ringdown.js tui examples/door-phone.xml --clip-ms 5000 --trace ${traceFile}; sleep 30`;
  tmux(socket, 'new-session', '-d', '-x', '110', '-y', '32', command);
  t.teardown(() => void tmux(socket, 'kill-server'));
  const waitFor = async (pattern: RegExp, what: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      if (pattern.test(tmux(socket, 'capture-pane', '-p'))) return void t.pass(what);
      await sleep(50);
    }
    t.fail(`${what}: no ${String(pattern)} on the screen:\n${tmux(socket, 'capture-pane', '-p')}`);
  };
  const pane = (format: string): string => tmux(socket, 'display-message', '-p', format).trim();
  await waitFor(/Handset +on-hook/, 'starts');
  t.equal(pane('#{alternate_on}'), '1', 'the simulator draws on the alternate screen');
  tmux(socket, 'send-keys', 'Space');
  await waitFor(/Handset +OFF-HOOK/, 'lifted');
  tmux(socket, 'send-keys', 'Up', 'Down', 'Right', 'Left');
  await waitFor(/the left arrow does nothing/, 'an arrow key is one key that does nothing');
  const keys = readFileSync(traceFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TraceEvent)
    .filter((e) => e.type === 'key');
  t.same(keys, [], 'no key reached the line');
  // SIGINT from outside (not Ctrl-C, which raw mode reads as a key): the node process under the shell.
  const shell = pane('#{pane_pid}');
  const node = spawnSync('pgrep', ['-P', shell], { encoding: 'utf8' }).stdout.trim();
  t.match(node, /^\d+$/, 'the simulator process');
  process.kill(Number(node), 'SIGINT');
  for (let i = 0; i < 200 && pane('#{alternate_on}') !== '0'; i++) await sleep(50);
  t.equal(pane('#{alternate_on}'), '0', 'back on the normal screen');
  t.equal(pane('#{cursor_flag}'), '1', 'the cursor is visible again');
});
