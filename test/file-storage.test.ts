/**
 * The file-backed flash image (drivers/file-storage/file-storage.ts: the lin board's recordings store) on
 * a fake of Moddable's `File`: a new or short file is extended with erased sectors, writes only
 * clear bits, erase sets 0xFF, and the recordings written on it read back as on a flash region.
 */
import t from 'tap';
import { FileStorage, type StorageFile } from '../drivers/file-storage/file-storage.js';
import { FlashRecordings } from '../src/calllog/flash-recordings.js';

/** Host files by path, for a fake `File` that reads and writes them like Moddable's lin module. */
function fakeFiles(files: Map<string, Uint8Array>): new (path: string, write?: boolean) => StorageFile {
  return class FakeFile implements StorageFile {
    position = 0;
    constructor(
      private readonly path: string,
      write?: boolean,
    ) {
      if (!files.has(path)) {
        if (write !== true) throw new Error('file not found');
        files.set(path, new Uint8Array(0));
      }
    }
    get length(): number {
      return files.get(this.path)!.length;
    }
    read(_type: typeof ArrayBuffer, count: number): ArrayBuffer {
      const bytes = files.get(this.path)!;
      if (this.position + count > bytes.length) throw new Error('read past end of file');
      const out = bytes.slice(this.position, this.position + count);
      this.position += count;
      return out.buffer;
    }
    write(buffer: ArrayBuffer): void {
      const old = files.get(this.path)!;
      const next = new Uint8Array(Math.max(old.length, this.position + buffer.byteLength));
      next.set(old);
      next.set(new Uint8Array(buffer), this.position);
      files.set(this.path, next);
      this.position += buffer.byteLength;
    }
    close(): void {}
  };
}

t.test('a new file becomes an erased region; a short one is completed, its bytes kept', async (t) => {
  const files = new Map<string, Uint8Array>();
  const io = fakeFiles(files);
  const store = new FileStorage({ io, path: '/tmp/r.bin', byteLength: 3 * 4096 + 100 });
  t.equal(store.byteLength, 3 * 4096, 'whole sectors');
  t.same(files.get('/tmp/r.bin'), new Uint8Array(3 * 4096).fill(0xff));
  files.set('/tmp/s.bin', Uint8Array.of(1, 2, 3));
  new FileStorage({ io, path: '/tmp/s.bin', byteLength: 2 * 4096 });
  const s = files.get('/tmp/s.bin')!;
  t.equal(s.length, 2 * 4096);
  t.same([...s.subarray(0, 5)], [1, 2, 3, 0xff, 0xff]);
  t.ok(s.subarray(3).every((b) => b === 0xff));
  t.throws(() => new FileStorage({ io, path: '/tmp/x.bin', byteLength: 4096 }), /fewer than two sectors/);
});

t.test('NOR rules: a write clears bits only, erase sets a sector to 0xFF; outside the region throws', async (t) => {
  const files = new Map<string, Uint8Array>();
  const store = new FileStorage({ io: fakeFiles(files), path: '/r', byteLength: 2 * 4096 });
  store.write(10, Uint8Array.of(0xf0, 0x0f));
  store.write(10, Uint8Array.of(0x3c, 0xff));
  t.same([...store.read(9, 4)], [0xff, 0x30, 0x0f, 0xff]);
  store.erase(0);
  t.same([...store.read(9, 4)], [0xff, 0xff, 0xff, 0xff]);
  t.same(store.read(100, 0), new Uint8Array(0));
  t.throws(() => store.read(2 * 4096 - 1, 2), RangeError);
  t.throws(() => store.erase(2), RangeError);
});

t.test('recordings on a file-backed image survive a reopen (the next boot), as on flash', async (t) => {
  const files = new Map<string, Uint8Array>();
  const io = fakeFiles(files);
  const first = new FlashRecordings(new FileStorage({ io, path: '/rec', byteLength: 16 * 4096 }));
  const voice = Int16Array.from({ length: 12_000 }, (_, i) => ((i * 97) % 20000) - 10000);
  const w = first.open('guest-1');
  w.append(voice);
  w.close();
  const again = new FlashRecordings(new FileStorage({ io, path: '/rec', byteLength: 16 * 4096 }));
  const [kept] = again.recordings();
  t.match(kept, { name: 'guest-1', complete: true, samples: 12_000 });
  t.same(again.samples(kept!.id), voice);
});
