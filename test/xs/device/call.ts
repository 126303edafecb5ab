/**
 * The call the XS lane replays through the device entry (main.ts, lin board): the door-phone menu,
 * keys by DTMF, the handset by raw hook levels as a real SLIC reports them. Unlike the simulator's
 * scripted offhook/onhook (decided call events), these go through the line state machine with the
 * 'us' profile's DAHDI timing (src/line/profile.ts): off-hook is traced once the closed loop has
 * held the 10 ms debounce (t=10 for a loop closed at 0; the menu runs from there); an opening is
 * traced `onhook` once it has lasted the shortest dial-pulse break, 15 ms (t=4515 for 4500), and
 * the call ends (`idle`, the clip cut) when the 1,250 ms flash window closes without the loop
 * closing again (t=5751), and the board traces `end`: nothing but waiting for the handset remains.
 */
import type { TraceEvent } from '../../../src/engine/trace.js';

export const DEVICE_CALL: { menu: string; events: string; clipMs: number; expect: TraceEvent[] } = {
  menu: 'examples/door-phone.xml',
  events: 'offhook@0 2@1 1@3 onhook@4.5',
  clipMs: 1000,
  expect: [
    { t: 10, type: 'offhook' },
    { t: 10, type: 'delay', ms: 500 },
    { t: 510, type: 'input', pass: 1, timeout: 4000, repeat: true },
    {
      t: 510,
      type: 'play',
      text: 'Welcome. For the office, press 1.',
      clip: 'welcome-for-the-office-press-1',
      ms: 1000,
    },
    { t: 1000, type: 'key', key: '2' },
    { t: 1000, type: 'play-cut', clip: 'welcome-for-the-office-press-1', reason: 'barge-in' },
    { t: 1000, type: 'match', key: '2' },
    { t: 1000, type: 'input', pass: 1, timeout: 5000, repeat: false },
    {
      t: 1000,
      type: 'play',
      text: 'Leave parcels in the box by the gate. Press 1 if the box is full.',
      clip: 'leave-parcels-in-the-box-by-the-gate-press-1-if-194afaee',
      ms: 1000,
    },
    { t: 2000, type: 'wait', ms: 5000 },
    { t: 3000, type: 'key', key: '1' },
    { t: 3000, type: 'match', key: '1' },
    {
      t: 3000,
      type: 'play',
      text: 'Please leave the parcel with the neighbour at number 12.',
      clip: 'please-leave-the-parcel-with-the-neighbour-at-number-12',
      ms: 1000,
    },
    { t: 4000, type: 'play', text: 'Thank you. Goodbye!', clip: 'thank-you-goodbye', ms: 1000 },
    { t: 4515, type: 'onhook' },
    { t: 5751, type: 'play-cut', clip: 'thank-you-goodbye', reason: 'onhook' },
    { t: 5751, type: 'idle' },
    { t: 5751, type: 'end' },
  ],
};
