/**
 * Decoding a user's recording, whatever its format: WAV by Ringdown's own decoder
 * (src/audio/convert.ts), MP3, Ogg Vorbis and FLAC by WebAssembly decoders from npm
 * (mpg123-decoder, @wasm-audio-decoders/ogg-vorbis and /flac: MIT, no native build), loaded only
 * when a recording needs one.
 */
import { decodeWav, type Pcm } from '../../src/audio/convert.js';

/** The file name endings `ringdown clips` looks for in a recordings folder, in this order. */
export const RECORDING_EXTENSIONS = ['wav', 'mp3', 'ogg', 'oga', 'flac'] as const;

function startsWith(bytes: Uint8Array, text: string, at = 0): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** What the bytes are, by their first bytes (not the file's name). */
export function sniff(bytes: Uint8Array): 'wav' | 'mp3' | 'ogg' | 'flac' | undefined {
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WAVE', 8)) return 'wav';
  if (startsWith(bytes, 'fLaC')) return 'flac';
  if (startsWith(bytes, 'OggS')) return 'ogg';
  if (startsWith(bytes, 'ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  return undefined;
}

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: unknown[];
}

function fromDecoder(d: Decoded, source: string): Pcm | string {
  if (d.samplesDecoded === 0 || d.channelData.length === 0 || d.sampleRate === 0) return `no audio could be decoded from the ${source} file`;
  const channels = d.channelData.map((c) => c.subarray(0, d.samplesDecoded));
  let clipped = 0;
  for (let i = 0; i < d.samplesDecoded; i++) if (channels.some((c) => Math.abs(c[i]!) >= 0.9999)) clipped++;
  return { sampleRate: d.sampleRate, channels, source, clipped };
}

/** The decoded audio of a recording, or a message saying why not. */
export async function decodeRecording(bytes: Uint8Array): Promise<Pcm | string> {
  const kind = sniff(bytes);
  try {
    if (kind === 'wav') return decodeWav(bytes);
    if (kind === 'mp3') {
      const { MPEGDecoder } = await import('mpg123-decoder');
      const decoder = new MPEGDecoder();
      await decoder.ready;
      try {
        return fromDecoder(decoder.decode(bytes), 'MP3');
      } finally {
        decoder.free();
      }
    }
    if (kind === 'flac') {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
      const decoder = new FLACDecoder();
      await decoder.ready;
      try {
        return fromDecoder(await decoder.decodeFile(bytes), 'FLAC');
      } finally {
        decoder.free();
      }
    }
    if (kind === 'ogg') {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
      const decoder = new OggVorbisDecoder();
      await decoder.ready;
      try {
        return fromDecoder(await decoder.decodeFile(bytes), 'Ogg Vorbis');
      } finally {
        decoder.free();
      }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return `no ${kind} decoder installed (hint: npm install)`;
    return `cannot decode it as ${kind}: ${e instanceof Error ? e.message : String(e)}`;
  }
  return 'not a recording this tool reads (WAV, MP3, Ogg Vorbis or FLAC)';
}
