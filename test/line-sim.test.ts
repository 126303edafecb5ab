/** `ringdown sim` with the line's event tokens (dial:N, break:MS, ring, ring:NAME) and menus per event. */
import { spawnSync } from 'node:child_process';
import t from 'tap';
import { parseEvents } from '../sim/events.js';

function ringdown(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function types(out: string): string[] {
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: number; type: string; key?: string; trigger?: string; reason?: string })
    .map(
      (e) =>
        `${e.t} ${e.type}${e.key !== undefined ? ` ${e.key}` : ''}${e.trigger !== undefined ? ` ${e.trigger}` : ''}${e.reason !== undefined ? ` ${e.reason}` : ''}`,
    );
}

t.test('the new tokens parse, in time order', async (t) => {
  t.same(parseEvents('ring@0 dial:0@2.5 break:600@4 ring:doorbell@9 offhook@1'), [
    { at: 0, what: 'ring', trigger: 'ring' },
    { at: 1000, what: 'offhook' },
    { at: 2500, what: 'dial', key: '0' },
    { at: 4000, what: 'break', ms: 600 },
    { at: 9000, what: 'ring', trigger: 'doorbell' },
  ]);
  t.equal(parseEvents('dial:*@1'), "event 1 'dial:*@1': '*' is not a digit a rotary dial can send (0-9)");
  t.equal(parseEvents('break:0@1'), "event 1 'break:0@1': '0' is not a whole number of ms from 1 to 1000000000");
  t.equal(parseEvents('ring:9x@1'), "event 1 'ring:9x@1': '9x' is not a trigger name (letters, digits, _ or -)");
});

t.test('sim: a menu dialed with a rotary dial', async (t) => {
  const r = ringdown(
    'sim',
    'examples/door-phone.xml',
    '--events',
    'offhook@0 dial:2@1 dial:1@3',
    '--clip-ms',
    '1000',
    '--jsonl',
  );
  t.equal(r.code, 0);
  t.same(
    types(r.out).filter((x) => / (onhook|key|match|hangup)/.test(x)),
    ['1015 onhook', '1410 key 2', '1410 match 2', '3015 onhook', '3310 key 1', '3310 match 1', '5310 hangup command'],
  );
});

t.test('sim: a ring answered on the second burst runs the --ring-menu; a trigger runs its own', async (t) => {
  const ring = ringdown(
    'sim',
    'examples/door-phone.xml',
    '--ring-menu',
    'examples/ozeki/hangup-simple.xml',
    '--events',
    'ring@0 offhook@7',
    '--clip-ms',
    '2000',
    '--jsonl',
  );
  t.equal(ring.code, 0);
  t.same(types(ring.out).slice(0, 4), ['0 ring ring', '7000 offhook', '7000 ring-stop answer', '7000 delay']);
  const door = ringdown(
    'sim',
    'examples/ozeki/hangup-simple.xml',
    '--trigger',
    'doorbell=examples/door-phone.xml:uk',
    '--events',
    'ring:doorbell@0 offhook@1',
    '--clip-ms',
    '1000',
    '--until',
    '2',
    '--jsonl',
  );
  t.equal(door.code, 0);
  t.same(types(door.out).slice(0, 5), [
    '0 ring doorbell',
    '1000 offhook',
    '1000 ring-stop answer',
    '1000 delay',
    '1500 input',
  ]);
  const lift = ringdown(
    'sim',
    'examples/ozeki/hangup-simple.xml',
    '--trigger',
    'doorbell=examples/door-phone.xml',
    '--events',
    'offhook@0',
    '--clip-ms',
    '1000',
    '--until',
    '1',
    '--jsonl',
  );
  t.same(types(lift.out).slice(0, 2), ['0 offhook', '0 delay'], 'lifting from idle runs the off-hook menu');
});

t.test('sim: bad --trigger and --ring-menu are reported', async (t) => {
  const bad = ringdown('sim', 'examples/door-phone.xml', '--trigger', 'doorbell');
  t.equal(bad.code, 2);
  t.equal(bad.err, 'ringdown sim: --trigger doorbell: expected NAME=FILE or NAME=FILE:PROFILE (us, uk, cept)\n');
  const missing = ringdown('sim', 'examples/door-phone.xml', '--ring-menu', 'nope.xml');
  t.equal(missing.code, 2);
  t.equal(missing.err, 'nope.xml:1:1: error: cannot read the file (ENOENT)\n');
});
