/**
 * The wiring diagrams in docs/wiring/ are what `ringdown wiring` draws from each board's pins.ts,
 * byte for byte (regenerate: `ringdown wiring --board NAME --out docs/wiring/NAME.svg`), and the
 * drawing has every pin of the map as a wire to its part.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { boardPins, PIN_ENDS, wiringSvg } from '../tools/wiring.js';

const BOARDS = readdirSync('boards').filter((b) => b.startsWith('esp32-') || b.startsWith('pico-'));

const ringdown = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

for (const board of BOARDS) {
  t.test(`${board}: docs/wiring/${board}.svg is drawn from its pins.ts`, async (t) => {
    const pins = await boardPins(board);
    if (typeof pins === 'string') throw new Error(pins);
    const svg = wiringSvg(board, pins);
    if (typeof svg !== 'string') throw new Error(svg.problem);
    const path = join('docs', 'wiring', `${board}.svg`);
    t.ok(existsSync(path), `${path} is committed`);
    t.equal(
      existsSync(path) ? readFileSync(path, 'utf8') : '',
      svg,
      `${path} is up to date (ringdown wiring --board ${board} --out ${path})`,
    );
    const gpio = board.startsWith('pico-') ? 'GP' : 'GPIO';
    for (const [name, pin] of Object.entries(pins)) {
      t.ok(svg.includes(`>${name} ${gpio}${pin}</text>`), `${name} is labelled with ${gpio}${pin}`);
      t.ok(
        svg.includes(`>${PIN_ENDS[name]!.pin.replace('>', '&gt;')}</text>`),
        `${name} reaches ${PIN_ENDS[name]!.part} ${PIN_ENDS[name]!.pin}`,
      );
    }
    t.equal((svg.match(/<polyline /g) ?? []).length >= Object.keys(pins).length, true, 'a wire for every pin');
  });
}

t.test('wiring: a pin the parts table does not know is refused by name; usage errors exit 2', async (t) => {
  t.same(wiringSvg('esp32-test', { shk: 34, toaster: 5 }), {
    problem: "pin 'toaster' of boards/esp32-test/pins.ts is not in the parts table (tools/wiring.ts PIN_ENDS)",
  });
  const moved = wiringSvg('esp32-ag1171-sdtmf', {
    ...((await boardPins('esp32-ag1171-sdtmf')) as Record<string, number>),
    shk: 39,
  });
  t.match(moved, />shk GPIO39<\/text>/, 'a moved pin moves in the drawing');
  t.equal(ringdown('wiring').code, 2);
  const unknown = ringdown('wiring', '--board', 'toaster');
  t.equal(unknown.code, 2);
  t.match(unknown.err, /ringdown wiring: --board: 'toaster' is not a board folder/);
  t.equal(ringdown('wiring', '--board', 'esp32-nope').code, 2);
  const out = join(mkdtempSync(join(tmpdir(), 'ringdown-wiring-')), 'w.svg');
  const written = ringdown('wiring', '--board', 'esp32-ag1171-i2s', '--out', out);
  t.equal(written.code, 0, written.err);
  t.equal(readFileSync(out, 'utf8'), readFileSync('docs/wiring/esp32-ag1171-i2s.svg', 'utf8'));
  t.equal(
    ringdown('wiring', '--board', 'esp32-ag1171-i2s', '--out', join(out, 'no', 'such')).code,
    1,
    'an output that cannot be written is exit 1, as in every command',
  );
});
