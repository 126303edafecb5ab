/**
 * A program of its own, run by `ringdown clips` as a child process when espeak-ng is not installed:
 * it runs the npm package `espeak-ng` (espeak-ng built to WebAssembly, GPL-3.0-or-later) and sends
 * back WAV bytes. Ringdown (MIT) only talks to it through pipes, so the two programs stay apart:
 * nothing of espeak-ng is linked into Ringdown's own modules, and nothing goes into firmware.
 *
 * stdin: JSON `{"voice": "en-us", "speed": 160, "texts": ["...", ...]}`.
 * stdout: for each text, its WAV's length as 4 bytes (little-endian) then the WAV.
 * On failure: a message on stderr and exit status 1.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The parts of the WebAssembly global used here (the project's lib has no DOM types). */
interface Wasm {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

interface Request {
  voice: string;
  speed: number;
  texts: string[];
}

async function main(): Promise<number> {
  const request = JSON.parse(readFileSync(0, 'utf8')) as Request;
  const { default: ESpeakNg } = await import('espeak-ng');
  // Compiled once, instantiated per text (each run of espeak-ng's main needs a fresh instance):
  // compiling its 18 MB takes most of a run.
  const wasmPath = join(dirname(createRequire(import.meta.url).resolve('espeak-ng')), 'espeak-ng.wasm');
  const compiled = await wasm.compile(readFileSync(wasmPath));
  const chunks: Uint8Array[] = [];
  for (const text of request.texts) {
    const errors: string[] = [];
    // The text goes in a file, never on the command line: a text starting with '-' is just text.
    const module = await ESpeakNg({
      arguments: ['-v', request.voice, '-s', String(request.speed), '-w', '/out.wav', '-f', '/in.txt'],
      preRun: [(m) => m.FS.writeFile('/in.txt', text)],
      instantiateWasm: (imports, done) => {
        void wasm.instantiate(compiled, imports).then((instance) => done(instance, compiled));
        return {};
      },
      print: () => undefined,
      printErr: (line) => errors.push(line),
    });
    let wav: Uint8Array;
    try {
      wav = module.FS.readFile('/out.wav');
    } catch {
      process.stderr.write(`espeak-ng (WebAssembly) made no speech: ${errors.join(' ').trim() || 'no output'}\n`);
      return 1;
    }
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, wav.length, true);
    chunks.push(length, wav);
  }
  for (const c of chunks) process.stdout.write(c);
  return 0;
}

process.exitCode = await main();
