import { readFileSync } from 'node:fs';
import t from 'tap';
import { SimClipLibrary } from '../boards/sim/sim-clips.js';
import { VirtualClock } from '../boards/sim/virtual-clock.js';
import { NORTH_AMERICA } from '../src/line/profile.js';
import { loadMenu } from '../src/ozml/load.js';
import { CallSession } from '../tools/tui/session.js';

t.test('the interactive session rings the phone; lifting the handset answers it', async (t) => {
  const clock = new VirtualClock();
  const menu = loadMenu(readFileSync('examples/ozeki/hangup-simple.xml', 'utf8')).menu!;
  const session = new CallSession({ menu, clips: new SimClipLibrary({ fixedMs: 1000 }), profile: NORTH_AMERICA, clock });
  t.equal(session.ring(), true);
  t.equal(session.lineState, 'ringing');
  while (clock.step(2500)) {}
  clock.advanceTo(2500);
  session.toggleHook();
  t.equal(session.ring(), false, 'no ring while the handset is up');
  t.same(
    session.trace.slice(0, 4),
    [
      { t: 0, type: 'ring', trigger: 'ring' },
      { t: 2500, type: 'offhook' },
      { t: 2500, type: 'ring-stop', reason: 'answer' },
      { t: 2500, type: 'delay', ms: 1000 },
    ],
  );
});
