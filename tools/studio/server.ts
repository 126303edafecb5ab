/**
 * `ringdown studio [MENU.xml] [--clips DIR] [--port N]`: a local web page to edit a menu, see its
 * flow, call it and hear it. The server listens on 127.0.0.1 only and serves nothing but the
 * page's own files, the menu named on the command line (read, and Save writes that one file,
 * atomically) and the clip folder's WAVs by plain clip name. It opens no browser: it prints the URL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { PHONE_KEYS } from '../../src/ozml/check-board.js';
import { MAX_CLIP_BYTES } from '../../src/audio/wav.js';
import { clipNameProblem } from '../../src/clips/catalog.js';
import { Command } from '../command.js';
import { findClipFolder, MAX_MENU_BYTES, readClipFolder } from '../menu-file.js';
import { readRegularFile } from '../read-file.js';
import { outputProblem, writeOutput, type OutputOptions } from '../output.js';
import { changedSince, decodeMenu, menuVersion, readMenuBytes } from './menu-version.js';
import type { StudioMenu } from './protocol.js';

/** The port the studio listens on unless told. */
export const STUDIO_PORT = 4170;

export const STUDIO = new Command({
  name: 'studio',
  summary: 'a local page: edit the menu, see its flow, call it, hear it',
  description: `Serves a local page on 127.0.0.1: edit the menu with the checker's diagnostics, see its flow,
call it and hear it. Opens nothing by itself; prints the URL. Without a menu it shows the
door-phone example, read-only; a menu file that does not exist yet is made by Save.`,
  positionals: [{ name: 'MENU.xml', optional: true }],
  options: [
    {
      name: 'clips',
      type: 'string',
      value: 'DIR',
      description: 'the clip folder (without it: clips/ beside the menu)',
    },
    {
      name: 'port',
      type: 'string',
      value: 'N',
      default: String(STUDIO_PORT),
      description: 'the port; 0 picks a free one',
    },
    {
      name: 'phone',
      type: 'string',
      value: 'rotary',
      description: 'the checker warns at every <Input> a rotary dial cannot reach (as check does)',
    },
  ],
  exit: '0 when stopped, 2 usage error or the port is taken',
  examples: ['ringdown studio examples/door-phone.xml'],
});

export interface StudioOptions {
  /** The menu file; without one the page shows the door-phone example, read-only. */
  menuPath?: string;
  clips?: string;
  port: number;
  /** A phone from PHONE_KEYS: the page warns at Inputs it cannot reach. */
  phone?: string;
  /** Where the built page is (default: dist/studio of this package). */
  assets?: string;
}

const PACKAGE = new URL('../../../', import.meta.url);
const ASSETS = fileURLToPath(new URL('dist/studio/', PACKAGE));
const EXAMPLE = fileURLToPath(new URL('examples/door-phone.xml', PACKAGE));
const NEW_MENU = '<?xml version="1.0"?>\n<Response>\n  <Speak>Hello.</Speak>\n  <Hangup/>\n</Response>\n';

const TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json',
  'studio.css': 'text/css; charset=utf-8',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class StudioServer {
  private readonly server: Server;
  private port = 0;
  /** The clips the page may fetch: the clip folder's readable WAVs when the menu was last read. */
  private clipNames: ReadonlySet<string> | undefined;

  constructor(private readonly options: StudioOptions) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Listens on 127.0.0.1 and resolves to the page's URL. */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => {
        const address = this.server.address();
        this.port = typeof address === 'object' && address !== null ? address.port : this.options.port;
        resolve(`http://127.0.0.1:${this.port}/`);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      send(res, status, 'text/plain; charset=utf-8', `${e instanceof Error ? e.message : String(e)}\n`);
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only this machine's page may talk to us: a page elsewhere that points a name at 127.0.0.1
    // (DNS rebinding) sends its own Host, and a cross-site write its own Origin.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`)
      throw new HttpError(403, `unexpected Host ${JSON.stringify(host)}`);
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`)
      throw new HttpError(403, `unexpected Origin ${JSON.stringify(origin)}`);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = req.method ?? 'GET';
    if (path === '/api/menu') {
      if (method === 'GET') return send(res, 200, 'application/json', JSON.stringify(this.menu()));
      if (method === 'PUT') return this.save(req, res);
      throw new HttpError(405, 'GET or PUT only');
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'GET only');
    const asset = path === '/' ? 'index.html' : path.slice(1);
    if (Object.hasOwn(TYPES, asset)) {
      const file = join(this.options.assets ?? ASSETS, asset);
      if (!existsSync(file)) throw new HttpError(404, `${asset} is not built (run npm run build)`);
      return send(res, 200, TYPES[asset]!, readFileSync(file));
    }
    const clip = /^\/clips\/([^/]+)\.wav$/.exec(path);
    if (clip !== null) return this.clip(decodePath(clip[1]!), res);
    throw new HttpError(404, 'not found');
  }

  private menu(): StudioMenu {
    const { menuPath } = this.options;
    const clipDir = menuPath !== undefined ? findClipFolder(menuPath, this.options.clips) : this.options.clips;
    const folder = clipDir !== undefined ? readClipFolder(clipDir) : undefined;
    this.clipNames = new Set(folder?.durations.keys());
    let text: string;
    let version = '';
    if (menuPath === undefined) text = readFileSync(EXAMPLE, 'utf8');
    else {
      const bytes = readMenuBytes(menuPath);
      if (bytes !== undefined && !(bytes instanceof Uint8Array))
        throw new HttpError(500, `${menuPath}: ${bytes.problem}`);
      version = menuVersion(bytes);
      const decoded = bytes === undefined ? NEW_MENU : decodeMenu(bytes);
      // Never decoded lossily: a Save would write the replacement characters back.
      if (typeof decoded !== 'string') {
        throw new HttpError(
          422,
          `${menuPath}: not UTF-8 (byte ${decoded.badByte + 1} is not valid UTF-8); the studio edits UTF-8 menus only: convert it (for example iconv -f latin1 -t utf-8) and start the studio again`,
        );
      }
      text = decoded;
    }
    return {
      version,
      name: menuPath ?? basename(EXAMPLE),
      ...(menuPath !== undefined ? { path: resolve(menuPath) } : {}),
      text,
      saveable: menuPath !== undefined,
      outputs: SIM_OUTPUT_NAMES,
      ...(this.options.phone !== undefined
        ? { phone: { name: this.options.phone, keys: PHONE_KEYS[this.options.phone]! } }
        : {}),
      ...(clipDir !== undefined ? { clipDir } : {}),
      catalog: folder?.catalog.clips ?? {},
      durations: Object.fromEntries(folder?.durations ?? []),
      problems: (folder?.problems ?? []).map((p) => `${p.file}:1:1: error: ${p.message}`),
    };
  }

  /** Save: the body replaces the named menu file, whole or not at all. Nothing else is written. */
  private async save(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { menuPath } = this.options;
    if (menuPath === undefined)
      throw new HttpError(403, 'no menu file was named on the command line: nothing to save to');
    if (!(req.headers['content-type'] ?? '').startsWith('text/plain'))
      throw new HttpError(415, 'the menu is sent as text/plain');
    // Save replaces the one named menu file (keeping its mode), never a symlink or anything else.
    const policy: OutputOptions = { command: 'studio', existing: 'replace' };
    const refused = outputProblem(menuPath, policy);
    if (refused !== undefined) throw new HttpError(409, refused);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_MENU_BYTES) throw new HttpError(413, `a menu is at most ${MAX_MENU_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.concat(chunks));
    } catch {
      throw new HttpError(400, 'the menu is not UTF-8');
    }
    const conflict = changedSince(menuPath, String(req.headers['x-menu-version'] ?? ''));
    if (conflict !== undefined) {
      return send(
        res,
        409,
        'application/json',
        JSON.stringify({
          error: `${menuPath} changed since the page read it; not replaced`,
          disk: conflict,
          yours: text,
        }),
      );
    }
    const problem = writeOutput(menuPath, text, policy);
    if (problem !== undefined) throw new HttpError(409, problem);
    send(
      res,
      200,
      'application/json',
      JSON.stringify({ saved: menuPath, bytes: size, version: menuVersion(new TextEncoder().encode(text)) }),
    );
  }

  /** A clip by its plain name, from the clip folder only. */
  private clip(name: string, res: ServerResponse): void {
    const problem = clipNameProblem(name);
    if (problem !== undefined) throw new HttpError(400, `clip name ${JSON.stringify(name)}: ${problem}`);
    const { menuPath } = this.options;
    const dir = menuPath !== undefined ? findClipFolder(menuPath, this.options.clips) : this.options.clips;
    if (dir === undefined) throw new HttpError(404, 'no clip folder');
    // Only what the folder's reader accepted as a clip (a readable WAV), never any other file.
    if (this.clipNames === undefined) this.menu();
    if (this.clipNames?.has(name) !== true) throw new HttpError(404, `no clip ${name} in ${dir}`);
    const file = join(dir, `${name}.wav`);
    const bytes = readRegularFile(file, MAX_CLIP_BYTES, 'a clip');
    if (!(bytes instanceof Uint8Array)) throw new HttpError(404, `${file}: ${bytes.problem}`);
    send(res, 200, 'audio/wav', bytes);
  }
}

/** A percent-encoded path segment, decoded; a malformed escape (`%E0%A4%A`) is the client's error, 400. */
function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `malformed percent-escape in ${JSON.stringify(segment)}`);
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

export async function runStudio(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const args = STUDIO.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const port = values.port ?? String(STUDIO_PORT);
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    err(`ringdown studio: --port ${port}: expected a port number, 0 to 65535 (0 picks a free one)`);
    return 2;
  }
  const phone = values.phone;
  if (phone !== undefined && !Object.hasOwn(PHONE_KEYS, phone)) {
    err(`ringdown studio: --phone: no phone '${phone}' (known: ${Object.keys(PHONE_KEYS).join(', ')})`);
    return 2;
  }
  const menuPath = args.positionals[0];
  const server = new StudioServer({
    port: Number(port),
    ...(phone !== undefined ? { phone } : {}),
    ...(menuPath !== undefined ? { menuPath } : {}),
    ...(values.clips !== undefined ? { clips: values.clips } : {}),
  });
  let url: string;
  try {
    url = await server.listen();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw e;
    err(
      `ringdown studio: port ${port} ${code === 'EADDRINUSE' ? 'is taken (another program listens on it)' : 'may not be used by this user'}; --port 0 picks a free one`,
    );
    return 2;
  }
  out(`ringdown studio: ${menuPath ?? 'the door-phone example (read-only)'} at ${url}`);
  out('open it in a browser; Ctrl-C stops the studio');
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
