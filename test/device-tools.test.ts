/**
 * The device tools without the Moddable SDK: staging (a build pointed at another, older menu file
 * still gets that menu), `ringdown device` and `ringdown build` refusing clearly with exit 2 when
 * the SDK is missing (after catching a bad menu with its position), and `sim --levels`, which is
 * what the device lane compares the lin firmware with.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { stage } from '../tools/device/stage.js';
import { deviceEvents } from '../tools/device.js';

function ringdown(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const NO_SDK = { MODDABLE: '/nonexistent-moddable' };

t.test('stage: another menu, even an older file, replaces the staged one; unchanged content keeps its time', (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-stage-'));
  const a = join(top, 'a.xml');
  const b = join(top, 'b.xml');
  writeFileSync(a, '<Response><Hangup/></Response>\n');
  writeFileSync(b, '<Response><Delay>1</Delay></Response>\n');
  utimesSync(b, new Date(2000, 0, 1), new Date(2000, 0, 1)); // older than anything staged
  const dir = join(top, 'stage');
  const first = stage({ menu: a }, dir);
  const staged = join(dir, 'menu.xml');
  const stagedAt = statSync(staged).mtimeMs;
  t.equal(first.menu, join(dir, 'menu'), 'MENU is the staged file without .xml');
  stage({ menu: a }, dir);
  t.equal(statSync(staged).mtimeMs, stagedAt, 'the same menu again: not rewritten (no rebuild)');
  stage({ menu: b }, dir);
  t.equal(readFileSync(staged, 'utf8'), readFileSync(b, 'utf8'), 'the older menu file is staged');
  t.ok(statSync(staged).mtimeMs >= stagedAt, 'and is newer than the build copy made from the first');
  t.end();
});

t.test("stage: clips are the folder's regular WAVs, copied into the stage; the ring menu comes and goes", (t) => {
  const top = mkdtempSync(join(tmpdir(), 'ringdown-stage-'));
  const clips = join(top, 'clips');
  mkdirSync(clips);
  writeFileSync(join(clips, 'welcome.wav'), 'RIFF');
  writeFileSync(join(clips, 'catalog.json'), '{"clips":{}}');
  mkfifoSync(join(clips, 'pipe.wav'));
  mkdirSync(join(clips, 'dir.wav'));
  const menu = join(top, 'm.xml');
  writeFileSync(menu, '<Response/>');
  const dir = join(top, 'stage');
  const staged = stage({ menu, ringMenu: menu, clips }, dir);
  t.same(staged.clipNames, ['welcome']);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    resources: { '*': string[] };
    data?: { ring: string };
  };
  t.same(manifest.resources['*'], [join(dir, 'clips', 'welcome')]);
  t.equal(readFileSync(join(dir, 'clips', 'welcome.wav'), 'utf8'), 'RIFF');
  t.equal(manifest.data?.ring, join(dir, 'ring'));
  t.ok(existsSync(join(dir, 'ring.xml')));
  stage({ menu }, dir);
  t.notOk(existsSync(join(dir, 'ring.xml')), 'no ring menu: the staged one is removed');
  t.end();
});

t.test(
  "stage: another folder's clip of the same name, even an older file, replaces the staged one; a clip no longer given goes",
  (t) => {
    const top = mkdtempSync(join(tmpdir(), 'ringdown-stage-'));
    const menu = join(top, 'm.xml');
    writeFileSync(menu, '<Response/>');
    const [a, b] = [join(top, 'a'), join(top, 'b')];
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'chime.wav'), 'RIFF one second');
    writeFileSync(join(a, 'extra.wav'), 'RIFF');
    writeFileSync(join(b, 'chime.wav'), 'RIFF 300 ms');
    utimesSync(join(b, 'chime.wav'), new Date(2000, 0, 1), new Date(2000, 0, 1)); // older than the build's MAUD would be
    const dir = join(top, 'stage');
    stage({ menu, clips: a }, dir);
    const staged = join(dir, 'clips', 'chime.wav');
    const stagedAt = statSync(staged).mtimeMs;
    stage({ menu, clips: a }, dir);
    t.equal(statSync(staged).mtimeMs, stagedAt, 'the same clip again: not rewritten (no reconversion)');
    const second = stage({ menu, clips: b }, dir);
    t.equal(readFileSync(staged, 'utf8'), 'RIFF 300 ms', "the other folder's clip is staged");
    t.ok(statSync(staged).mtimeMs >= stagedAt, 'newer than a MAUD made from the first');
    t.same(second.clipNames, ['chime']);
    t.notOk(existsSync(join(dir, 'clips', 'extra.wav')), 'a clip the new folder lacks is not left staged');
    t.end();
  },
);

function mkfifoSync(path: string): void {
  spawnSync('mkfifo', [path]);
}

t.test('ringdown device / build without the SDK: exit 2 naming what is missing; a bad menu first', (t) => {
  const device = ringdown(NO_SDK, 'device', 'examples/door-phone.xml', '--events', 'offhook@0', '--clip-ms', '1000');
  t.equal(device.code, 2);
  t.match(
    device.err,
    /ringdown device: the Moddable SDK was not found \(MODDABLE=\/nonexistent-moddable is not an SDK checkout\)/,
  );
  const top = mkdtempSync(join(tmpdir(), 'ringdown-device-'));
  const bad = join(top, 'bad.xml');
  writeFileSync(bad, '<Response>\n  <Delay>soon</Delay>\n</Response>\n');
  const badRun = ringdown(NO_SDK, 'device', bad);
  t.equal(badRun.code, 1, 'a bad menu is caught before the SDK is looked for');
  t.match(badRun.err, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:`));
  const build = ringdown(NO_SDK, 'build', '--board', 'esp32-ag1171-mt8870');
  t.equal(build.code, 2);
  t.match(build.err, /ringdown build: the Moddable SDK was not found/);
  const noBoard = ringdown(NO_SDK, 'build', '--board', 'esp32-toaster');
  t.equal(noBoard.code, 2);
  t.match(noBoard.err, /ringdown build: --board: no board 'esp32-toaster'/);
  const lin = ringdown(NO_SDK, 'build', '--board', 'sim');
  t.equal(lin.code, 2, 'only ESP32 board folders build with ringdown build');
  t.equal(ringdown(NO_SDK, 'device', '--help').code, 0);
  t.equal(ringdown(NO_SDK, 'build', '--help').code, 0);
  t.end();
});

t.test(
  'sim --levels plays offhook/onhook as hook levels: debounce, onhook after 15 ms, idle when the flash window closes',
  (t) => {
    const run = ringdown(
      {},
      'sim',
      'examples/door-phone.xml',
      '--events',
      'offhook@0 2@1 onhook@4.5',
      '--clip-ms',
      '1000',
      '--levels',
      '--jsonl',
    );
    t.equal(run.code, 0);
    const events = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number; type: string });
    t.same(
      events.find((e) => e.type === 'offhook'),
      { t: 10, type: 'offhook' },
    );
    t.same(
      events.find((e) => e.type === 'onhook'),
      { t: 4515, type: 'onhook' },
    );
    t.same(
      events.find((e) => e.type === 'idle'),
      { t: 5751, type: 'idle' },
    );
    t.end();
  },
);

t.test('ringdown device say:FILE: the WAV is checked before the SDK, and the firmware gets its absolute path', (t) => {
  const missing = ringdown(NO_SDK, 'device', 'examples/guestbook.xml', '--events', 'offhook@0 say:no-such.wav@6');
  t.equal(missing.code, 2, 'a caller WAV that cannot be used stops the run first');
  t.match(missing.err, /no-such\.wav: error: cannot read the file/);
  t.equal(deviceEvents('offhook@0  say:caller.wav@6 2@7'), `offhook@0 say:${resolve('caller.wav')}@6 2@7`);
  t.equal(
    deviceEvents('say:/tmp/a@b.wav@1'),
    'say:/tmp/a@b.wav@1',
    'an absolute path stays; the time is after the last @',
  );
  t.end();
});
