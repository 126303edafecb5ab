/**
 * The exit-status contract, for every command: a missing input file and a bad option each end
 * with exit 2 and one line saying what is wrong; a missing argument or required option is named;
 * the studio's port and request errors. (A full standard output: cli-output.test.ts.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { COMMAND_NAMES, dispatch } from '../tools/cli.js';
import { StudioServer } from '../tools/studio/server.js';

/** `ringdown ARGS` run here (as bin/ringdown.js runs it): its exit status and what it printed. */
async function ringdown(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await dispatch(
    args,
    (line) => void (stdout += `${line}\n`),
    (line) => void (stderr += `${line}\n`),
  );
  return { status, stdout, stderr };
}

/** All it printed, as lines. */
function lines(r: { stdout: string; stderr: string }): string[] {
  return `${r.stdout}${r.stderr}`.split('\n').filter((l) => l !== '');
}

const dir = mkdtempSync(join(tmpdir(), 'ringdown-errors-'));
const missing = (name: string): string => join(dir, 'missing', name);

t.test('a missing input file: exit 2 and one line naming it, in every command', async (t) => {
  const cases: [string, string[]][] = [
    ['check', ['check', missing('m.xml')]],
    ['sim', ['sim', missing('m.xml')]],
    ['sim --ring-menu', ['sim', 'examples/door-phone.xml', '--ring-menu', missing('m.xml')]],
    ['sim --trigger', ['sim', 'examples/door-phone.xml', '--trigger', `bell=${missing('m.xml')}`]],
    ['sim say:', ['sim', 'examples/guestbook.xml', '--events', `offhook@0 say:${missing('caller.wav')}@1`]],
    ['tui', ['tui', missing('m.xml')]],
    ['clips', ['clips', missing('m.xml'), '--out', join(dir, 'clips-out')]],
    ['dtmf', ['dtmf', 'decode', missing('k.wav')]],
    ['log', ['log', missing('d.bin')]],
    ['recordings', ['recordings', missing('d.bin')]],
    ['graph', ['graph', missing('m.xml')]],
    ['device', ['device', missing('m.xml')]],
    ['device say:', ['device', 'examples/guestbook.xml', '--events', `offhook@0 say:${missing('caller.wav')}@1`]],
    ['mod', ['mod', missing('m.xml')]],
    ['build', ['build', '--board', 'esp32-ag1171-mt8870', '--menu', missing('m.xml')]],
  ];
  const covered = new Set(cases.map(([name]) => name.split(' ')[0]));
  t.same(
    COMMAND_NAMES.filter((c) => !covered.has(c)).sort(),
    ['pull', 'push', 'status', 'studio', 'wiring'],
    'every command that reads a file (a studio menu that does not exist yet is made by Save; wiring reads only its board; the link commands open a serial port first: test/link.test.ts)',
  );
  for (const [name, args] of cases) {
    const r = await ringdown(args);
    t.equal(r.status, 2, `${name}: exit 2`);
    t.equal(lines(r).length, 1, `${name}: one line`);
    t.match(lines(r)[0], /missing\/\w+\.\w+.*cannot read the file \(ENOENT\)/, `${name}: names the file`);
  }
  const bin = spawnSync(process.execPath, ['bin/ringdown.js', 'sim', missing('m.xml')], { encoding: 'utf8' });
  t.same(
    [bin.status, bin.stdout, bin.stderr],
    [2, '', `${missing('m.xml')}:1:1: error: cannot read the file (ENOENT)\n`],
    'the same from bin/ringdown.js',
  );
});

t.test('a bad option: exit 2 and one line naming it, in every command', async (t) => {
  for (const command of COMMAND_NAMES) {
    const args = command === 'dtmf' ? ['dtmf', 'decode', '--no-such-option'] : [command, '--no-such-option'];
    const r = await ringdown(args);
    t.equal(r.status, 2, `${command}: exit 2`);
    t.equal(r.stdout, '', `${command}: nothing on stdout`);
    t.equal(
      r.stderr,
      `ringdown ${args.slice(0, -1).join(' ')}: unknown option --no-such-option (see ringdown ${args.slice(0, -1).join(' ')} --help)\n`,
      `${command}: one line`,
    );
  }
});

t.test('a missing argument, value or required option is named', async (t) => {
  const said = async (args: string[]): Promise<string> => {
    const r = await ringdown(args);
    t.equal(r.status, 2, `${args.join(' ')}: exit 2`);
    return r.stderr;
  };
  t.equal(await said(['build']), 'ringdown build: missing required option --board (see ringdown build --help)\n');
  t.equal(
    await said(['clips', 'examples/door-phone.xml']),
    'ringdown clips: missing required option --out (see ringdown clips --help)\n',
  );
  t.equal(
    await said(['dtmf', 'encode', '123']),
    'ringdown dtmf encode: missing required option --out (see ringdown dtmf encode --help)\n',
  );
  t.equal(await said(['sim']), 'ringdown sim: MENU.xml is missing (see ringdown sim --help)\n');
  t.equal(await said(['check']), 'ringdown check: MENU.xml is missing (see ringdown check --help)\n');
  t.equal(
    await said(['graph', 'a.xml', 'b.xml']),
    "ringdown graph: unexpected argument 'b.xml' (see ringdown graph --help)\n",
  );
  t.equal(
    await said(['sim', 'examples/door-phone.xml', '--wav']),
    'ringdown sim: option --wav needs a value (FILE) (see ringdown sim --help)\n',
  );
  t.equal(
    await said(['check', 'examples/door-phone.xml', '--json=yes']),
    'ringdown check: option --json takes no value (see ringdown check --help)\n',
  );
  t.equal(await said(['dtmf']), 'ringdown dtmf: decode or encode is missing (see ringdown dtmf --help)\n');
  const negative = await ringdown(['dtmf', 'encode', '1', '--out', join(dir, 'one.wav'), '--level-dbfs', '-20']);
  t.equal(negative.status, 0, 'a negative number is a value, not an option');
});

function get(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('studio: a malformed percent-escape is a bad request (400), not a server fault', async (t) => {
  const server = new StudioServer({ port: 0 });
  const url = await server.listen();
  t.teardown(() => server.close());
  t.equal(await get(url, '/clips/%E0%A4%A.wav'), 400);
  t.equal(await get(url, '/clips/%.wav'), 400);
  t.equal(await get(url, '/clips/%61.wav'), 404, 'a good escape (of a clip that is not there): 404');
});

t.test('studio on a port in use says it is taken and that --port 0 picks a free one', async (t) => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  t.teardown(() => busy.close());
  const port = (busy.address() as AddressInfo).port;
  const child = spawn(process.execPath, ['bin/ringdown.js', 'studio', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill(), 30_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  t.equal(code, 2);
  t.equal(
    stderr,
    `ringdown studio: port ${port} is taken (another program listens on it); --port 0 picks a free one\n`,
  );
});
