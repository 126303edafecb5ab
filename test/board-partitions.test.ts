/**
 * Every ESP32 board ships a partition table its manifest names (PARTITIONS_FILE), with the
 * `calllog` data partition the call log opens by name and the `xs` mod partition (type 0x40,
 * subtype 1) Moddable's mods use: partitions in order without overlap, app partitions on 64 KB
 * boundaries (ESP-IDF's rule), data partitions on whole 4 KB sectors, all inside 4 MB of flash.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';

interface Row {
  name: string;
  type: string;
  subtype: string;
  offset: number;
  size: number;
}

function rows(csv: string): Row[] {
  return csv
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [name, type, subtype, offset, size] = l.split(',').map((c) => c.trim());
      return { name: name!, type: type!, subtype: subtype!, offset: Number(offset), size: Number(size) };
    });
}

for (const board of readdirSync('boards').filter((b) => b.startsWith('esp32-'))) {
  t.test(`${board}: partition table`, (t) => {
    const manifest = JSON.parse(readFileSync(join('boards', board, 'manifest.json'), 'utf8')) as {
      build?: Record<string, string>;
    };
    t.equal(manifest.build?.PARTITIONS_FILE, './partitions.csv', 'the manifest names its partitions.csv');
    const table = rows(readFileSync(join('boards', board, 'partitions.csv'), 'utf8'));
    let end = 0x9000;
    for (const row of table) {
      t.ok(row.offset >= end, `${row.name} at 0x${row.offset.toString(16)} does not overlap the one before`);
      if (row.type === 'app') t.equal(row.offset % 0x10000, 0, `${row.name} (app) is on a 64 KB boundary`);
      t.equal(row.size % 0x1000, 0, `${row.name} is whole 4 KB sectors`);
      end = row.offset + row.size;
    }
    t.ok(end <= 0x400000, `all inside 4 MB (ends at 0x${end.toString(16)})`);
    const calllog = table.find((r) => r.name === 'calllog');
    t.equal(calllog?.type, 'data', 'a calllog data partition');
    t.ok((calllog?.size ?? 0) >= 0x4000, 'calllog holds at least 4 sectors');
    const xs = table.find((r) => r.name === 'xs');
    t.same([xs?.type, xs?.subtype], ['0x40', '1'], 'the mod partition as Moddable finds it (type 0x40, subtype 1)');
    t.ok((table.find((r) => r.name === 'factory')?.size ?? 0) >= 0x200000, 'the app partition has at least 2 MB');
    t.end();
  });
}
