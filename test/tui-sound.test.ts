import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SimAudio } from '../sim/sim-audio.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { encodeWav, readWavSamples } from '../src/audio/wav.js';
import { NORTH_AMERICA } from '../src/line/profile.js';
import type { ToneSpec } from '../src/tones/tone.js';
import { PlaySpeaker, SoundingAudio, type Speaker } from '../tools/tui/speaker.js';
import { cadence } from './tone-measure.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

t.test(
  'SoundingAudio: the simulated player keeps its timing; the speaker hears every play, tone and stop',
  async (t) => {
    const clock = new VirtualClock();
    const inner = new SimAudio(clock, () => 300);
    const heard: string[] = [];
    const speaker: Speaker = {
      clip: (n) => heard.push(`clip ${n}`),
      tone: (s: ToneSpec) => heard.push(`tone ${s.name}`),
      stop: () => heard.push('stop'),
    };
    const audio = new SoundingAudio(inner, speaker);
    let ended = -1;
    audio.play('hello', () => (ended = clock.now()));
    while (clock.step()) {
      /* run the clip to its end */
    }
    audio.playTone(NORTH_AMERICA.tones.reorder);
    audio.stop();
    t.equal(ended, 300, 'the clip ends on the simulated clock');
    t.same(heard, ['clip hello', 'tone reorder', 'stop']);
    t.same(
      inner.segments.map((s) => [s.kind, s.name, s.start, s.end]),
      [
        ['clip', 'hello', 0, 300],
        ['tone', 'reorder', 300, 300],
      ],
    );
  },
);

t.test(
  'PlaySpeaker: runs the player on the clip file or a rendered tone file; a missing player is one clear note',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ringdown-sound-'));
    writeFileSync(join(dir, 'hello.wav'), encodeWav(new Int16Array(800)));
    const log = join(dir, 'log');
    const player = join(dir, 'fake-play');
    writeFileSync(player, `#!/bin/sh\necho "$@" >> ${log}\nexec sleep 5\n`);
    chmodSync(player, 0o755);
    const speaker = new PlaySpeaker({ clipDir: dir, command: player });
    const logged = async (n: number): Promise<string[]> => {
      for (let i = 0; i < 80 && (!existsSync(log) || readFileSync(log, 'utf8').trim().split('\n').length < n); i++)
        await sleep(25);
      return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
    };
    speaker.clip('hello');
    t.equal((await logged(1)).length, 1);
    speaker.clip('no-such-clip');
    await sleep(100);
    t.equal((await logged(1)).length, 1, 'a clip with no file is silent');
    speaker.tone(NORTH_AMERICA.tones.reorder);
    const lines = await logged(2);
    t.equal(lines[0], `-q ${join(dir, 'hello.wav')}`);
    const toneFile = lines[1]!.replace(/^-q /, '');
    const tone = readWavSamples(readFileSync(toneFile));
    if (typeof tone === 'string') return void t.fail(tone);
    t.same(
      cadence(tone.samples.subarray(0, 8000), 8000),
      [250, 250, 250, 250],
      'the tone file has the reorder cadence',
    );
    speaker.close();
    t.notOk(existsSync(toneFile), 'close removes the tone files');

    const problems: string[] = [];
    const missing = new PlaySpeaker({
      clipDir: dir,
      command: join(dir, 'no-player'),
      onProblem: (m) => problems.push(m),
    });
    missing.clip('hello');
    // The spawn's error comes when the system gets to it: poll (a loaded CI machine takes longer).
    for (let i = 0; i < 200 && problems.length === 0; i++) await sleep(25);
    missing.clip('hello');
    await sleep(200);
    t.same(problems, [`no sound: ${join(dir, 'no-player')} not found (it comes with sox: sudo apt-get install sox)`]);
    missing.close();
  },
);
