/**
 * Live sound for the interactive simulator (`ringdown tui --sound`): each clip and tone the
 * simulated line plays goes to the computer's speaker through sox's `play`, and stops when the
 * line stops it. Host only; the simulation itself never waits for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.js';
import { renderTone } from '../../src/tones/synth.js';
import type { ToneSpec } from '../../src/tones/tone.js';
import type { Speaker } from '../../sim/sounding-audio.js';

export { SoundingAudio, type Speaker } from '../../sim/sounding-audio.js';

/** How long a tone file lasts: longer than anyone leaves a phone off-hook in a try-out. */
const TONE_SECONDS = 120;

export interface PlaySpeakerOptions {
  /** Where the clips are (`NAME.wav`); a clip with no file is silent. */
  clipDir: string | undefined;
  /** The player command (default sox's `play`), given a WAV file. */
  command?: string;
  /** Told once when the player cannot be run. */
  onProblem?: (message: string) => void;
}

/** A Speaker that runs `play -q FILE` for each sound and kills it to stop it. */
export class PlaySpeaker implements Speaker {
  private child: ChildProcess | undefined;
  private readonly tones = new Map<string, string>();
  private scratch: string | undefined;
  private broken = false;

  constructor(private readonly options: PlaySpeakerOptions) {}

  clip(name: string): void {
    this.stop();
    const dir = this.options.clipDir;
    const file = dir !== undefined ? join(dir, `${name}.wav`) : undefined;
    if (file !== undefined && existsSync(file)) this.start(file);
  }

  tone(tone: ToneSpec): void {
    this.stop();
    let file = this.tones.get(tone.name);
    if (file === undefined) {
      this.scratch ??= mkdtempSync(join(tmpdir(), 'ringdown-tones-'));
      file = join(this.scratch, `${tone.name}.wav`);
      const samples = new Int16Array(8000 * TONE_SECONDS);
      renderTone(tone, 8000, 0, samples, 0, samples.length);
      writeFileSync(file, encodeWav(samples));
      this.tones.set(tone.name, file);
    }
    this.start(file);
  }

  stop(): void {
    this.child?.kill();
    this.child = undefined;
  }

  /** Stops the sound and removes the tone files. */
  close(): void {
    this.stop();
    if (this.scratch !== undefined) rmSync(this.scratch, { recursive: true, force: true });
  }

  private start(file: string): void {
    if (this.broken) return;
    const command = this.options.command ?? 'play';
    const child = spawn(command, ['-q', file], { stdio: 'ignore' });
    child.on('error', (e: NodeJS.ErrnoException) => {
      this.broken = true;
      const why =
        e.code === 'ENOENT' ? `${command} not found (it comes with sox: sudo apt-get install sox)` : e.message;
      this.options.onProblem?.(`no sound: ${why}`);
    });
    this.child = child;
  }
}
