/**
 * The Pico lane's scenario runs (test/lanes/pico-scenarios.ts), without the SDK: which scenarios
 * it plays, the stand-in clip folders it writes (one tone WAV of the scenario's length per clip
 * its menu plays) and the forced garbage collections a scenario asks for.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readWavInfo } from '../src/audio/wav.js';
import { SCENARIOS } from './scenarios/table.js';
import { devicePlayMs } from '../tools/menu-file.js';
import { picoScenarioRuns } from './lanes/pico-scenarios.js';

t.test('the scenarios whose menus do not record run; the others are left out with the reason', (t) => {
  const { runs, left } = picoScenarioRuns(mkdtempSync(join(tmpdir(), 'ringdown-pico-')));
  t.equal(runs.length + left.length, SCENARIOS.length);
  t.ok(runs.length >= 40, `${runs.length} runs`);
  t.ok(
    left.every((l) => /audio input/.test(l)),
    'every one left out for want of an audio input',
  );
  t.notOk(
    runs.some((r) => /record|guestbook/.test(r.menu)),
    'no recording menu among the runs',
  );
  t.ok(
    runs.some((r) => r.name.includes('rotary')) && runs.some((r) => r.name.includes('ring answered')),
    'rotary and ringing scenarios among them',
  );
  t.end();
});

t.test('a scenario folder holds a tone clip of the stand-in length for every clip its menu plays', (t) => {
  const { runs } = picoScenarioRuns(mkdtempSync(join(tmpdir(), 'ringdown-pico-')));
  const detailed = runs.find((r) => r.menu === 'examples/ozeki/hangup-detailed.xml')!;
  const files = readdirSync(detailed.clips).sort();
  t.same(files, [
    'congratulation-you-subscribed-to-the-golden-package-goodbye.wav',
    'congratulation-you-subscribed-to-the-silver-package-goodbye.wav',
    'to-subscribe-to-the-golden-package-press-2.wav',
    'to-subscribe-to-the-silver-package-press-1.wav',
  ]);
  const info = readWavInfo(new Uint8Array(readFileSync(join(detailed.clips, files[0]!))));
  if (typeof info === 'string') return void t.fail(info);
  t.equal(info.ms, 2000, "the scenario's clipMs");
  t.equal(devicePlayMs(info), 2000, 'and as long on the device (whole ADPCM blocks)');
  const samples = new Int16Array(readFileSync(join(detailed.clips, files[0]!)).buffer.slice(44));
  t.ok(Math.max(...samples.subarray(0, 400)) > 5000, 'a tone, loud enough to see on the I2S line');
  t.end();
});

t.test('a scenario with forced collections carries their times to its run', (t) => {
  const { runs } = picoScenarioRuns(mkdtempSync(join(tmpdir(), 'ringdown-pico-')));
  const collecting = SCENARIOS.filter((s) => s.collectAtMs !== undefined);
  t.ok(collecting.length >= 1, 'at least one scenario collects garbage mid-call');
  for (const s of collecting) {
    const run = runs.find((r) => r.name === `scenario: ${s.name}`);
    t.same(run?.collectAtMs, s.collectAtMs, s.name);
    t.match(s.events, /dial:/, 'while a digit is dialled');
  }
  t.end();
});
