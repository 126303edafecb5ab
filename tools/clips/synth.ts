/**
 * Speech synthesis for clips with no recording: espeak-ng speaks the text to a WAV (the system's
 * espeak-ng when it is installed, else the npm package `espeak-ng`, espeak-ng built to
 * WebAssembly, run as a separate program: tools/clips/espeak-wasm.ts), and Ringdown's own
 * converter (src/audio/convert.ts) turns it into what the device plays: 8 kHz, mono, 16-bit PCM,
 * band-limited to the phone line (high-pass at 250 Hz, low-pass at 3.4 kHz) and peak-normalised.
 * `RINGDOWN_SPEECH=system|wasm` chooses one.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertToClip, decodeWav } from '../../src/audio/convert.js';
import { encodeWav } from '../../src/audio/wav.js';
import { hasTool } from '../outside/tools.js';

export interface VoiceOptions {
  /** espeak-ng voice (`espeak-ng --voices` lists them). */
  voice: string;
  /** Words a minute. */
  speed: number;
}

export const DEFAULT_VOICE: VoiceOptions = { voice: 'en-us', speed: 160 };

/** What the conversion after espeak-ng does: when it changes, every synthesized clip is made again. */
export const SYNTH_CONVERSION = 'ringdown-convert-1 rate=8000 highpass=250 lowpass=3400 peak=-3dBFS';

/** Everything that decides a synthesized clip's bytes: when it changes, the clip is made again. */
export function synthKey(text: string, voice: VoiceOptions): string {
  return createHash('sha256')
    .update(JSON.stringify(['espeak-ng', voice.voice, voice.speed, SYNTH_CONVERSION, text]))
    .digest('hex')
    .slice(0, 16);
}

export type SpeechEngine = 'espeak-ng' | 'espeak-ng (WebAssembly, npm)';

function wasmAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('espeak-ng');
    return true;
  } catch {
    return false;
  }
}

/** The synthesizer clips will use, or why there is none. */
export function speechEngine(): SpeechEngine | { problem: string } {
  const choice = process.env.RINGDOWN_SPEECH;
  if (choice !== 'wasm' && hasTool('espeak-ng')) return 'espeak-ng';
  if (choice !== 'system' && wasmAvailable()) return 'espeak-ng (WebAssembly, npm)';
  return {
    problem:
      'espeak-ng is not installed and the npm package espeak-ng is missing; one of them speaks the Speak texts that have no recorded clip (hint: npm install, or on Debian/Ubuntu: sudo apt-get install espeak-ng; on macOS: brew install espeak-ng; or record every clip yourself)',
  };
}

/** The WAV bytes espeak-ng makes for each text, or a message. `scratch` is a file path it may use. */
export function speak(
  engine: SpeechEngine,
  texts: readonly string[],
  voice: VoiceOptions,
  scratch: string,
): Uint8Array[] | string {
  if (engine === 'espeak-ng') {
    const wavs: Uint8Array[] = [];
    for (const text of texts) {
      const r = spawnSync('espeak-ng', ['-v', voice.voice, '-s', String(voice.speed), '--stdin', '-w', scratch], {
        input: text,
        encoding: 'utf8',
      });
      if (r.error !== undefined) return `espeak-ng: ${r.error.message}`;
      if (r.status !== 0)
        return `espeak-ng failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`;
      wavs.push(readFileSync(scratch));
      rmSync(scratch, { force: true });
    }
    return wavs;
  }
  const program = fileURLToPath(new URL('./espeak-wasm.js', import.meta.url));
  const r = spawnSync(process.execPath, [program], {
    input: JSON.stringify({ voice: voice.voice, speed: voice.speed, texts }),
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.error !== undefined) return `espeak-ng (WebAssembly): ${r.error.message}`;
  if (r.status !== 0)
    return `espeak-ng (WebAssembly) failed (exit ${r.status ?? r.signal}): ${r.stderr.toString().trim().split('\n')[0] ?? ''}`;
  const out = new Uint8Array(r.stdout);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const wavs: Uint8Array[] = [];
  for (let at = 0; at + 4 <= out.length; ) {
    const length = view.getUint32(at, true);
    wavs.push(out.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return wavs.length === texts.length
    ? wavs
    : `espeak-ng (WebAssembly) gave ${wavs.length} WAVs for ${texts.length} texts`;
}

/** espeak-ng's WAV made into a device clip (8 kHz mono 16-bit, telephone band, peak -3 dBFS). */
export function speechToClip(wav: Uint8Array): Uint8Array | string {
  const pcm = decodeWav(wav);
  if (typeof pcm === 'string') return `espeak-ng's output: ${pcm}`;
  return encodeWav(convertToClip(pcm, { highPassHz: 250, peakDbfs: -3 }).samples);
}
