/** `ringdown graph` (the flow diagram as SVG), the studio's server, and the core's running-command hook. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import t from 'tap';
import { SimClipLibrary } from '../sim/sim-clips.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { encodeWav } from '../src/audio/wav.js';
import { NORTH_AMERICA } from '../src/line/profile.js';
import { loadMenu } from '../src/ozml/load.js';
import type { Command } from '../src/ozml/menu.js';
import { runGraph } from '../tools/graph.js';
import { StudioServer } from '../tools/studio/server.js';
import { CallSession } from '../sim/call-session.js';

interface Svg {
  nodes: Map<string, { kind: string; line?: string }>;
  edges: { from: string; to: string; label?: string; kind: string }[];
}

/** Parses the SVG as XML (it must be well formed) and lists its nodes and edges. */
function readSvg(text: string): Svg {
  const svg: Svg = { nodes: new Map(), edges: [] };
  const parser = new SaxesParser({ xmlns: false });
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    const cls = (a.class ?? '').split(' ');
    if (tag.name === 'g' && cls[0] === 'node')
      svg.nodes.set(a.id!, { kind: cls[1]!, ...(a['data-line'] !== undefined ? { line: a['data-line'] } : {}) });
    if (tag.name === 'g' && cls[0] === 'edge')
      svg.edges.push({
        from: a['data-from']!,
        to: a['data-to']!,
        kind: cls[1]!,
        ...(a['data-label'] !== undefined ? { label: a['data-label'] } : {}),
      });
  });
  parser.write(text).close();
  return svg;
}

function graph(file: string): string {
  const out: string[] = [];
  t.equal(
    runGraph(
      [file],
      (l) => out.push(l),
      (l) => out.push(l),
    ),
    0,
    `graph ${file}`,
  );
  return `${out.join('\n')}\n`;
}

t.test('graph of the door phone: every command a node, every key a branch', async (t) => {
  const text = graph('examples/door-phone.xml');
  t.equal(graph('examples/door-phone.xml'), text, 'deterministic');
  const svg = readSvg(text);
  const kinds = [...svg.nodes.values()].map((n) => n.kind);
  t.equal(kinds.filter((k) => k === 'speak').length, 8, 'eight Speaks');
  t.equal(kinds.filter((k) => k === 'userinput').length, 2, 'two UserInputs');
  t.equal(kinds.filter((k) => k === 'hangup').length, 1, 'one Hangup');
  t.equal(kinds.filter((k) => k === 'delay').length, 1, 'one Delay');
  t.ok(svg.nodes.has('n-start'), 'a start node');
  const branch = (from: string, label: string): string | undefined =>
    svg.edges.find((e) => e.from === from && e.kind === 'branch' && e.label === label)?.to;
  // The top menu fans out from its last prompt (line 9), the sub-menu from its prompt (line 18).
  t.equal(branch('n-9-7', '1'), 'n-13-9', 'key 1: the office message');
  t.equal(branch('n-9-7', '2'), 'n-16-9', 'key 2: the deliveries sub-menu');
  t.equal(branch('n-9-7', '0'), 'n-28-9', 'key 0: write to us');
  t.ok(branch('n-9-7', 'no key ×5')?.startsWith('n-junction'), 'no key five times: on to what follows');
  t.equal(branch('n-18-13', '1'), 'n-22-15', 'sub-menu key 1: the neighbour');
  t.ok(
    svg.edges.some((e) => e.kind === 'back' && e.to === 'n-5-3' && e.label === 'no key: again'),
    'repeat: back to the top menu',
  );
  // Edge labels are drawn after every node, so no box hides one (SVG paints in document order).
  t.ok(text.lastIndexOf('class="node ') < text.indexOf('<g class="labels">'), 'labels are drawn above the nodes');
  t.ok(
    svg.edges.some((e) => e.from === 'n-32-3' && e.to === 'n-33-3'),
    'goodbye, then hang up',
  );
  t.notOk(svg.nodes.has('n-end'), 'the menu always hangs up: no end-of-menu node');
  for (const e of svg.edges)
    t.ok(svg.nodes.has(e.from) && svg.nodes.has(e.to), `edge ${e.from} → ${e.to} joins two nodes`);
});

t.test('graph of NoInput, NoMatch, Failed, BackKey, flash and Output', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-graph-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'menu.xml');
  writeFileSync(
    file,
    `<Response>
  <UserInput timeout="3" MaxNoMatch="2">
    <InitialCommands><Speak>Choose.</Speak></InitialCommands>
    <Inputs>
      <Input key="1"><UserInput BackKey="*"><InitialCommands><Speak>Sub.</Speak></InitialCommands><Inputs><Input key="2"/></Inputs></UserInput></Input>
      <Input key="F"><Output name="door" pulse="3"/></Input>
    </Inputs>
    <NoInput><Speak>Nothing?</Speak></NoInput>
    <NoMatch><Speak>Wrong.</Speak></NoMatch>
    <Failed><Speak>Bye.</Speak><Hangup/></Failed>
  </UserInput>
</Response>
`,
  );
  const svg = readSvg(graph(file));
  const labels = svg.edges.filter((e) => e.from === 'n-3-22' && e.kind === 'branch').map((e) => e.label);
  t.same(labels, ['1', 'flash', 'no input', 'wrong key', 'failed'], 'a branch for each key and outcome');
  t.ok(
    svg.edges.some((e) => e.kind === 'back' && e.from === 'n-5-22' && e.to === 'n-2-3' && e.label === 'back: *'),
    'BackKey: back to the parent UserInput',
  );
  t.ok(
    svg.edges.some((e) => e.kind === 'back' && e.from === 'n-8-14' && e.to === 'n-2-3' && e.label === 'again'),
    'NoInput: then the prompt again',
  );
  t.ok(
    svg.edges.some((e) => e.kind === 'back' && e.from === 'n-9-14' && e.to === 'n-2-3'),
    'NoMatch: then the prompt again',
  );
  t.equal(svg.nodes.get('n-6-22')?.kind, 'output', 'the Output');
  t.equal(svg.nodes.get('n-10-32')?.kind, 'hangup', 'the Hangup in Failed');
  t.ok(
    svg.edges.some((e) => e.to === 'n-end'),
    'the other paths reach the end of the menu',
  );
  const out = join(dir, 'menu.svg');
  t.equal(
    runGraph(
      [file, '--out', out],
      () => {},
      () => {},
    ),
    0,
  );
  t.equal(readFileSync(out, 'utf8'), graph(file), '--out writes the same SVG');
  writeFileSync(join(dir, 'bad.xml'), '<Response><Delay>x</Delay></Response>');
  const errs: string[] = [];
  t.equal(
    runGraph(
      [join(dir, 'bad.xml')],
      () => {},
      (l) => errs.push(l),
    ),
    1,
    'a broken menu: exit 1',
  );
  t.match(errs[0], /bad\.xml:1:11: error: /, "with check's diagnostic");
});

t.test('the core says which command runs: each command, and its UserInput while it waits', async (t) => {
  const { menu } = loadMenu(
    '<Response><Delay>1</Delay><UserInput timeout="2"><InitialCommands><Speak>Hi.</Speak></InitialCommands><Inputs><Input key="1"><Hangup/></Input></Inputs></UserInput></Response>',
  );
  const clock = new VirtualClock();
  const seen: Command['kind'][] = [];
  const session = new CallSession({
    menu: menu!,
    clips: new SimClipLibrary({ fixedMs: 500 }),
    profile: NORTH_AMERICA,
    clock,
    onCommand: (c) => seen.push(c.kind),
  });
  session.toggleHook();
  while (clock.step(2000)) {
    /* run to the wait */
  }
  session.key('1');
  t.same(seen, ['delay', 'userinput', 'speak', 'userinput', 'hangup'], 'delay, input, prompt, waiting, hang-up');
});

function get(
  url: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method, headers }, (res) => {
      let text = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

t.test('studio server: 127.0.0.1 only, the named menu, the clip folder, nothing else', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ringdown-studio-server-'));
  const menu = join(dir, 'menu.xml');
  writeFileSync(menu, '<Response><Speak>Hi.</Speak></Response>\n');
  mkdirSync(join(dir, 'clips'));
  writeFileSync(join(dir, 'clips', 'catalog.json'), '{ "clips": {} }');
  writeFileSync(join(dir, 'clips', 'hi.wav'), encodeWav(new Int16Array(774)));
  writeFileSync(join(dir, 'secret.wav'), 'not yours');
  symlinkSync(join(dir, 'secret.wav'), join(dir, 'clips', 'link.wav'));
  const server = new StudioServer({ menuPath: menu, port: 0 });
  const url = await server.listen();
  t.teardown(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'listens on 127.0.0.1');
  t.match((await get(url, '/')).body, /<title>Ringdown studio<\/title>/, 'the page');
  t.equal((await get(url, '/app.js')).status, 200, 'its script');
  const info = JSON.parse((await get(url, '/api/menu')).body) as {
    name: string;
    text: string;
    version: string;
    saveable: boolean;
    durations: Record<string, number>;
  };
  t.same(
    [info.name, info.saveable, info.durations],
    [menu, true, { hi: 97 }],
    'the menu and its clips (774 samples: 6 whole IMA blocks, 96.75 ms)',
  );
  t.equal((await get(url, '/clips/hi.wav')).body.slice(0, 4), 'RIFF', 'a clip by name');
  for (const path of [
    '/clips/..%2Fsecret.wav',
    '/clips/../secret.wav',
    '/clips/%2e%2e%2fmenu.wav',
    '/clips/link.wav',
    '/secret.wav',
    '/api/../menu.xml',
    '/clips/.catalog.wav',
  ]) {
    const res = await get(url, path);
    t.ok(res.status >= 400 && !res.body.includes('not yours'), `${path}: refused (${res.status})`);
  }
  t.equal((await get(url, '/', { host: 'evil.example:80' })).status, 403, 'another Host is refused (DNS rebinding)');
  const put = (
    body: string,
    headers: Record<string, string> = { 'content-type': 'text/plain' },
  ): Promise<{ status: number; body: string }> => get(url, '/api/menu', headers, 'PUT', body);
  t.equal(
    (await put('<Response/>', { 'content-type': 'text/plain', origin: 'http://evil.example' })).status,
    403,
    'a write from another origin is refused',
  );
  t.equal(
    (await put('<Response/>', { 'content-type': 'application/x-www-form-urlencoded' })).status,
    415,
    'a form post is refused',
  );
  const query = await get(
    url,
    '/api/menu?path=/etc/passwd',
    { 'content-type': 'text/plain', 'x-menu-version': info.version },
    'PUT',
    'x',
  );
  t.equal(query.status, 200, 'a query names nothing: Save writes the named menu');
  t.equal(readFileSync(menu, 'utf8'), 'x', 'only the named file');
  // A Save names the version it read: an older one (the file changed since) is refused with both.
  const stale = await put('<Response><Hangup/></Response>\n', {
    'content-type': 'text/plain',
    'x-menu-version': info.version,
  });
  t.equal(stale.status, 409, 'a Save over a file changed since it was read is refused');
  const conflict = JSON.parse(stale.body) as { disk: { version: string; text: string }; yours: string };
  t.same(
    [conflict.disk.text, conflict.yours],
    ['x', '<Response><Hangup/></Response>\n'],
    "with the file's text and the one sent",
  );
  t.equal(readFileSync(menu, 'utf8'), 'x', 'the file as it was');
  const saved = await put('<Response><Hangup/></Response>\n', {
    'content-type': 'text/plain',
    'x-menu-version': (JSON.parse(query.body) as { version: string }).version,
  });
  t.equal(saved.status, 200, 'save');
  t.equal(readFileSync(menu, 'utf8'), '<Response><Hangup/></Response>\n', 'the file is replaced');
  t.equal((await get(url, '/api/menu', {}, 'POST', 'x')).status, 405, 'other methods are refused');
  t.same(readdirSync(dir).sort(), ['clips', 'menu.xml', 'secret.wav'], 'nothing else written');

  t.notOk('phone' in info, 'no phone named: the page checks keys for none');

  const readOnly = new StudioServer({ port: 0, phone: 'rotary' });
  const roUrl = await readOnly.listen();
  t.teardown(() => readOnly.close());
  const example = JSON.parse((await get(roUrl, '/api/menu')).body) as {
    name: string;
    saveable: boolean;
    phone?: unknown;
  };
  t.same([example.name, example.saveable], ['door-phone.xml', false], 'without a file: the example, read-only');
  t.same(
    example.phone,
    { name: 'rotary', keys: '0123456789F' },
    '--phone rotary: the page checks the keys a rotary dial sends',
  );
  t.equal(
    (await get(roUrl, '/api/menu', { 'content-type': 'text/plain' }, 'PUT', 'x')).status,
    403,
    'and Save is refused',
  );
});
