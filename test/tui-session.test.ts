import { readFileSync } from 'node:fs';
import t from 'tap';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { NORTH_AMERICA } from '../src/line/profile.js';
import { loadMenu } from '../src/ozml/load.js';
import { CallSession } from '../sim/call-session.js';
import { callerVoice } from '../sim/test-voice.js';

t.test('the interactive session rings the phone; lifting the handset answers it', async (t) => {
  const clock = new VirtualClock();
  const menu = loadMenu(readFileSync('examples/ozeki/hangup-simple.xml', 'utf8')).menu!;
  const session = new CallSession({
    menu,
    clips: new SimClipLibrary({ fixedMs: 1000 }),
    profile: NORTH_AMERICA,
    clock,
  });
  t.equal(session.ring(), true);
  t.equal(session.lineState, 'ringing');
  while (clock.step(2500)) {}
  clock.advanceTo(2500);
  session.toggleHook();
  t.equal(session.ring(), false, 'no ring while the handset is up');
  t.same(session.trace.slice(0, 4), [
    { t: 0, type: 'ring', trigger: 'ring' },
    { t: 2500, type: 'offhook' },
    { t: 2500, type: 'ring-stop', reason: 'answer' },
    { t: 2500, type: 'delay', ms: 1000 },
  ]);
});

t.test('the tui key s: the test recording spoken into the line is what Record keeps', async (t) => {
  const clock = new VirtualClock();
  const menu = loadMenu(readFileSync('test/menus/record-message.xml', 'utf8')).menu!;
  const session = new CallSession({
    menu,
    clips: new SimClipLibrary({ fixedMs: 1000 }),
    profile: NORTH_AMERICA,
    clock,
  });
  t.equal(session.say(callerVoice(5)), false, 'nothing is said with the handset down');
  session.toggleHook();
  // The prompt plays 0-1 s, the beep 1-1.5 s; the caller speaks from 1.5 s.
  while (clock.step(1500)) {}
  clock.advanceTo(1500);
  t.equal(session.say(callerVoice(5)), true);
  while (clock.step(20_000)) {}
  const end = session.trace.find((e) => e.type === 'record-end');
  t.match(
    session.trace.find((e) => e.type === 'record-start'),
    { t: 1500, file: 'msg-1' },
  );
  t.match(end, { file: 'msg-1', reason: 'inactivity' });
  const kept = session.recordings.recordings.get('msg-1')!;
  t.equal(kept.length, (end as { ms: number }).ms * 8);
  t.same(kept.subarray(0, 5 * 8000), callerVoice(5), 'every sample the caller said');
});
