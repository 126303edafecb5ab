/**
 * Where each board keeps recordings (tools/board-store.ts, read from the board's own files), how
 * much its flash store holds (the formula docs/boards.md states, against the store's own room()),
 * `check --board` warning at a Record that cannot fit, and `build --recordings` refusing a store
 * the board does not have.
 */
import { spawnSync } from 'node:child_process';
import t from 'tap';
import { FLUSH_SAMPLES } from '../src/engine/recording.js';
import { boardStore, flashRoomSamples, partitionBytes } from '../tools/board-store.js';

const ringdown = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, ['bin/ringdown.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

t.test('the boards that record, their stores and defaults', async (t) => {
  t.same(boardStore('esp32-ag1171-i2s'), { stores: ['sdcard', 'flash'], default: 'sdcard', flashBytes: 0x80000 });
  t.same(boardStore('esp32-ag1171-sdtmf'), { stores: ['sdcard', 'flash'], default: 'flash', flashBytes: 0x80000 });
  for (const board of ['esp32-ag1171-mt8870', 'esp32-ks0835f-mt8870', 'pico-ag1171-mt8870', 'sim', '../x'])
    t.equal(boardStore(board), undefined, `${board} keeps no recordings`);
  t.equal(partitionBytes('# c\nrecordings, data, 0x9a, 0x210000, 0x80000,\n', 'recordings'), 0x80000);
  t.equal(partitionBytes('calllog, data, 0x99, 0x290000, 0x10000,\n', 'recordings'), undefined);
});

t.test("the flash store's size: (S - 2) sectors of floor(8000 / (ceil(8000 / B) + 1)) samples", async (t) => {
  const sectors = 0x80000 / 4096;
  const block = Math.floor((4096 - 13 - 9) / 2);
  const perSector = Math.floor(FLUSH_SAMPLES / (Math.ceil(FLUSH_SAMPLES / block) + 1));
  t.equal(flashRoomSamples(0x80000), (sectors - 2) * perSector);
  t.equal(flashRoomSamples(0x80000) / 8000, 25.2, '25.2 s, as docs/boards.md and partitions.csv say');
  t.equal(flashRoomSamples(4096), 0, 'one sector holds nothing');
});

t.test('check --board: a Record Duration longer than the flash store is a warning; the card has none', async (t) => {
  const sdtmf = ringdown('check', '--board', 'esp32-ag1171-sdtmf', 'examples/guestbook.xml');
  t.equal(sdtmf.code, 0, 'a warning, not an error');
  t.match(
    sdtmf.out,
    /examples\/guestbook\.xml:34:21: warning: Record Duration 60 s cannot fit esp32-ag1171-sdtmf's flash store: it holds 25\.2 s of recordings in all \(hint: build with --recordings sdcard, or lower Duration\)/,
  );
  t.match(sdtmf.out, /examples\/guestbook\.xml:57:3: warning: Record Duration 180 s/);
  const i2s = ringdown('check', '--board', 'esp32-ag1171-i2s', 'examples/guestbook.xml');
  t.equal(i2s.code, 0);
  t.notMatch(i2s.out, /warning/, 'the card is the default store: no bound known here');
});

t.test('build --recordings: only sdcard or flash, and only a store the board has', async (t) => {
  const bad = ringdown('build', '--board', 'esp32-ag1171-i2s', '--recordings', 'cloud');
  t.equal(bad.code, 2);
  t.match(bad.err, /ringdown build: --recordings: 'cloud' is not sdcard or flash/);
  const none = ringdown('build', '--board', 'esp32-ag1171-mt8870', '--recordings', 'sdcard');
  t.equal(none.code, 2);
  t.match(none.err, /esp32-ag1171-mt8870 does not record/);
});
