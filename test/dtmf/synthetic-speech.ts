/**
 * Synthetic speech for DTMF talk-off testing: espeak-ng in several voices, pitches and speeds,
 * resampled to 8 kHz by sox, deterministic for a given length. Cached in a file, since the test
 * and the bench both want about ten minutes of it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav, readWavSamples } from '../../src/audio/wav.js';

const SENTENCES = [
  'Thank you for calling. Please press one for opening hours, two to leave a message, or stay on the line.',
  'The quick brown fox jumps over the lazy dog while the telephone keeps ringing in the hall.',
  'Your code was not recognised. Please enter the four digit code again, followed by the hash key.',
  'Nine, one, one. Seven, eight, six, five, four, three, two, one, zero, star, hash.',
  'Welcome to the village hall. The door will open after the tone. Please push firmly.',
  'She sells sea shells by the sea shore, and the shells she sells are surely sea shells.',
  'All operators are busy at the moment. Your call is important to us. Please hold.',
  'Ah, ooh, eee, mmm, la la la, do re mi fa so la ti do, hello, hello, is anybody there?',
  'The rain in Spain stays mainly in the plain. How now, brown cow. Peter Piper picked a peck.',
  'One hundred and twenty three thousand four hundred and fifty six point seven eight nine.',
];

/** Voices, pitches (0-99) and speeds (words per minute) cycled through. */
const VOICES = ['en', 'en-us', 'de', 'fr', 'es', 'it', 'nl', 'pl'];
const PITCHES = [20, 50, 80, 99, 35, 65];
const SPEEDS = [130, 160, 190, 220];

/** Runs espeak-ng and sox for one chunk; returns 8 kHz samples. */
function speakChunk(text: string, voice: string, pitch: number, speed: number): Int16Array {
  const espeak = spawnSync('espeak-ng', ['-v', voice, '-p', String(pitch), '-s', String(speed), '--stdout', text], {
    maxBuffer: 64 * 1024 * 1024,
  });
  if (espeak.status !== 0 || espeak.error !== undefined)
    throw new Error(`espeak-ng failed: ${espeak.error?.message ?? espeak.stderr.toString()}`);
  const sox = spawnSync(
    'sox',
    ['-t', 'wav', '-', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed', '-t', 'wav', '-'],
    {
      input: espeak.stdout,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (sox.status !== 0 || sox.error !== undefined)
    throw new Error(`sox failed: ${sox.error?.message ?? sox.stderr.toString()}`);
  // sox writes a streaming header with an unknown length; take what follows `data` + size.
  const bytes = new Uint8Array(sox.stdout);
  const dataAt = Buffer.from(bytes).indexOf('data');
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataAt + 8);
  const samples = new Int16Array(Math.floor((bytes.length - dataAt - 8) / 2));
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/** At least `seconds` of synthetic speech at 8 kHz, cached as a WAV under `dir`. */
export function syntheticSpeech(dir: string, seconds: number): Int16Array {
  const file = join(dir, `ringdown-speech-v1-${seconds}s.wav`);
  if (existsSync(file)) {
    const read = readWavSamples(readFileSync(file));
    if (typeof read !== 'string') return read.samples;
  }
  const chunks: Int16Array[] = [];
  let total = 0;
  const text = SENTENCES.join(' ');
  for (let i = 0; total < seconds * 8000; i++) {
    const chunk = speakChunk(
      text,
      VOICES[i % VOICES.length]!,
      PITCHES[i % PITCHES.length]!,
      SPEEDS[i % SPEEDS.length]!,
    );
    chunks.push(chunk);
    total += chunk.length;
  }
  const all = new Int16Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp`, encodeWav(all));
  renameSync(`${file}.tmp`, file);
  return all;
}
