import t from 'tap';
import { maudDurationMs, ResourceClipLibrary } from '../../drivers/resource-clips/resource-clips.js';

/** A MAUD header as Moddable's wav2maud writes it. */
function maud(sampleRate: number, samples: number, format = 1): Uint8Array {
  const bytes = new Uint8Array(12 + 68);
  const view = new DataView(bytes.buffer);
  bytes.set([0x6d, 0x61, 1, 16]);
  view.setUint16(4, sampleRate, true);
  bytes[6] = 1;
  bytes[7] = format;
  view.setUint32(8, samples, true);
  return bytes;
}

t.test('MAUD header gives the play time', async (t) => {
  t.equal(maudDurationMs(maud(8000, 16000)), 2000);
  t.equal(maudDurationMs(maud(8000, 129 * 62)), 1000); // 7998 samples, IMA chunks of 129
  t.equal(maudDurationMs(maud(11025, 11025, 0)), 1000);
  t.equal(maudDurationMs(new TextEncoder().encode('RIFF....WAVE')), undefined);
  t.equal(maudDurationMs(maud(8000, 1).subarray(0, 11)), undefined);
  t.equal(maudDurationMs(maud(0, 1)), undefined);
});

t.test('clips resolve by catalog, attribute or slug, only when the build has them', async (t) => {
  const reads: string[] = [];
  const resources: Record<string, Uint8Array> = { 'hello.maud': maud(8000, 12000), 'bye-now.maud': maud(8000, 4000) };
  const library = new ResourceClipLibrary({
    catalog: { clips: { 'Hello there.': 'hello' } },
    read: (path) => {
      reads.push(path);
      return resources[path];
    },
  });
  t.same(library.resolve('Hello   there.'), { clip: 'hello', ms: 1500 });
  t.same(library.resolve('Bye now'), { clip: 'bye-now', ms: 500 });
  t.same(library.resolve('anything', 'hello'), { clip: 'hello', ms: 1500 });
  t.equal(library.resolve('Not recorded'), undefined);
  t.equal(library.resolve('Not recorded'), undefined);
  t.same(reads, ['hello.maud', 'bye-now.maud', 'not-recorded.maud'], 'each resource is read once');
});
