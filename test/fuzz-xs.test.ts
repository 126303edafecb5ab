/**
 * The parser and checker on the device's engine: the fuzz documents (token soup, random OzML
 * trees, mutated example menus) loaded on XS (xsnap-worker) must give exactly what Node gives,
 * never a throw: the properties proven on Node hold on the chip's engine too.
 */
import fc from 'fast-check';
import t from 'tap';
import { loadMenu } from '../src/ozml/load.js';
import { bundleForXs, defineGlobal } from './xs/bundle.js';
import { needsXs, runXs } from './xs/xsnap.js';
import { example, mutation, ozmlDocument, xmlish } from './fuzz-documents.js';
import { SEED } from './fuzz-support.js';

type Message = { index: number; result: string } | { index: number; error: string };

t.test('600 fuzz documents load on XS exactly as on Node', needsXs(), async (t) => {
  const documents = fc.sample(
    fc.oneof(
      xmlish,
      ozmlDocument,
      fc
        .tuple(example, fc.array(mutation, { minLength: 1, maxLength: 3 }))
        .map(([e, ms]) => ms.reduce((s, m) => m(s), e.text)),
    ),
    { seed: SEED, numRuns: 600 },
  );
  const results = new Map<number, Message>();
  const xs = await runXs(
    defineGlobal('RINGDOWN_DOCS', documents) + (await bundleForXs({ entry: 'test/xs/load-entry.ts' })),
    {
      onCommand: (bytes) => {
        const message = JSON.parse(new TextDecoder().decode(bytes)) as Message;
        results.set(message.index, message);
        return new Uint8Array(0);
      },
    },
  );
  t.equal(xs.ok, true, xs.error ?? 'the XS run ended normally');
  let same = 0;
  let accepted = 0;
  const differences: string[] = [];
  documents.forEach((doc, index) => {
    const node = JSON.stringify(loadMenu(doc));
    const got = results.get(index);
    if (got !== undefined && 'result' in got && got.result === node) {
      same++;
      if (node.startsWith('{"menu"')) accepted++;
    } else if (differences.length < 3) {
      differences.push(
        `document ${index} ${JSON.stringify(doc.slice(0, 80))}: XS ${JSON.stringify(got).slice(0, 200)}, Node ${node.slice(0, 200)}`,
      );
    }
  });
  t.same(differences, [], 'no document differs');
  t.equal(
    same,
    documents.length,
    `${same} of ${documents.length} identical (${accepted} accepted, ${documents.length - accepted} rejected)`,
  );
  t.comment(`XS: ${documents.length} loads in ${xs.meters.compute} compute units`);
});
