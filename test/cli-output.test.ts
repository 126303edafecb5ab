/**
 * Standard output that cannot be written (`>/dev/full`) ends every command, and --help, with one
 * line on stderr and exit 2, never a stack trace; a --trace file that cannot be written is named
 * as the output that failed, not reported as a fault of the call.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeWav } from '../src/audio/wav.js';
import { FALLBACK_CLIP } from '../src/engine/fallback.js';
import { COMMAND_NAMES } from '../tools/cli.js';

/** Runs bin/ringdown.js with stdout to `stdout` (a file descriptor) or a pipe; at most 60 s. */
function ringdown(args: string[], stdout?: number): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['bin/ringdown.js', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', stdout ?? 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ringdown-output-'));

t.test(
  'a full standard output: exit 2 and one line on stderr, no stack trace, in every command and --help',
  async (t) => {
    const dump = join(dir, 'erased.bin');
    writeFileSync(dump, Buffer.alloc(4096, 0xff));
    mkdirSync(join(dir, 'wavs'));
    // A clip folder that holds every clip already (the user's own WAVs): clips makes nothing, and says so.
    const clips = join(dir, 'clips-given');
    mkdirSync(clips);
    const menu = join(dir, 'hi.xml');
    writeFileSync(menu, '<Response><Speak clip="hi">Hi.</Speak></Response>\n');
    for (const name of ['hi', FALLBACK_CLIP]) writeFileSync(join(clips, `${name}.wav`), encodeWav(new Int16Array(800)));
    const cases: [string, string[]][] = [
      ['check', ['check', 'examples/door-phone.xml']],
      ['sim', ['sim', 'examples/door-phone.xml', '--clip-ms', '100']],
      ['tui', ['tui', 'examples/door-phone.xml', '--clip-ms', '100']],
      ['clips', ['clips', menu, '--out', clips]],
      ['dtmf', ['dtmf', 'encode', '1', '--out', join(dir, 'key.wav')]],
      ['log', ['log', dump]],
      ['recordings', ['recordings', join(dir, 'wavs')]],
      ['studio', ['studio', '--port', '0']],
      ['graph', ['graph', 'examples/door-phone.xml']],
      ...COMMAND_NAMES.map((c): [string, string[]] => [`${c} --help`, [c, '--help']]),
      ['help', ['--help']],
      ['--version', ['--version']],
    ];
    const full = openSync('/dev/full', 'w');
    t.teardown(() => closeSync(full));
    for (const [name, args] of cases) {
      const r = ringdown(args, full);
      t.equal(r.status, 2, `${name}: exit 2`);
      t.match(
        r.stderr,
        /^ringdown( [a-z]+)?: cannot write to standard output \(ENOSPC: no space left on device\)\n$/,
        `${name}: one line`,
      );
    }
  },
);

t.test('tui --trace to a full disk names the trace file, not an engine fault', async (t) => {
  const r = ringdown(['tui', 'examples/door-phone.xml', '--clip-ms', '100', '--trace', '/dev/full']);
  t.equal(r.status, 1, 'an output that could not be written is exit 1, as for every file written');
  t.notMatch(r.stdout, /internal fault/, 'the call itself ran normally');
  t.equal(r.stderr, 'ringdown tui: cannot write /dev/full: no space left on the device\n');
});
