/**
 * Speech synthesis for clips with no recording: espeak-ng speaks the text to a WAV, sox turns it
 * into what the device plays (8 kHz, mono, 16-bit PCM; band-limited for the phone line and
 * normalised). Both are Debian packages; when one is missing the message says how to get it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

export interface VoiceOptions {
  /** espeak-ng voice (`espeak-ng --voices` lists them). */
  voice: string;
  /** Words a minute. */
  speed: number;
}

export const DEFAULT_VOICE: VoiceOptions = { voice: 'en-us', speed: 160 };

/**
 * The sox effects after espeak-ng: a high-pass at 250 Hz (a phone line passes about 300–3400 Hz,
 * ITU-T G.712, so rumble below is wasted level), then peak-normalise to -3 dBFS. The rate change
 * to 8 kHz that the output format asks for is sox's own band-limited resampler. `-D` turns off
 * dither so the same text always gives the same bytes.
 */
const SOX_EFFECTS = ['highpass', '250', 'gain', '-n', '-3'];

/** Everything that decides a synthesized clip's bytes: when it changes, the clip is made again. */
export function synthKey(text: string, voice: VoiceOptions): string {
  return createHash('sha256')
    .update(JSON.stringify(['espeak-ng', voice.voice, voice.speed, 'sox', ...SOX_EFFECTS, text]))
    .digest('hex')
    .slice(0, 16);
}

const INSTALL: Record<string, string> = {
  'espeak-ng': 'espeak-ng is not installed; it speaks the Speak texts that have no recorded clip',
  sox: 'sox is not installed; it converts synthesized speech to 8 kHz mono 16-bit WAV',
};

function installHint(tool: string): string {
  return `${INSTALL[tool] ?? `${tool} is not installed`} (hint: on Debian/Ubuntu run: sudo apt-get install ${tool}; on macOS: brew install ${tool}; or record every clip yourself as 8 kHz mono 16-bit WAV)`;
}

/** Runs a tool; returns a message on failure. */
function run(tool: string, args: string[], input?: string): string | undefined {
  const r = spawnSync(tool, args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  if (r.error !== undefined) {
    return (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? installHint(tool) : `${tool}: ${r.error.message}`;
  }
  if (r.status !== 0) return `${tool} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`;
  return undefined;
}

/** A message when espeak-ng or sox cannot be run (checked before anything is written). */
export function missingTool(): string | undefined {
  return run('espeak-ng', ['--version']) ?? run('sox', ['--version']);
}

/** Says `text` into `out` (8 kHz mono 16-bit WAV), using `scratch` for espeak-ng's own output. */
export function synthesize(text: string, voice: VoiceOptions, scratch: string, out: string): string | undefined {
  return (
    run('espeak-ng', ['-v', voice.voice, '-s', String(voice.speed), '--stdin', '-w', scratch], text) ??
    run('sox', ['-V1', '-D', scratch, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', out, ...SOX_EFFECTS])
  );
}

/** The command that converts a recording the user made to the device format, for hints. */
export function convertHint(file: string): string {
  return `sox ${file} -r 8000 -c 1 -b 16 -e signed-integer ${file.replace(/\.wav$/i, '')}-8k.wav`;
}
