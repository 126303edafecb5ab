/**
 * Decoding a user's recording, whatever its format: WAV by Ringdown's own decoder
 * (src/audio/convert.ts), MP3, Ogg Vorbis and FLAC by WebAssembly decoders from npm
 * (mpg123-decoder, @wasm-audio-decoders/ogg-vorbis and /flac: MIT, no native build), loaded only
 * when a recording needs one.
 *
 * A recording longer than one clip can hold is refused before it is decoded when its header
 * states its length (a WAV's data size, FLAC's STREAMINFO, an MP3's Xing/Info or VBRI frame
 * count, an Ogg stream's last granule position), and otherwise as soon as the decoded audio passes
 * the limit: the input is fed to the decoder a little at a time, so a small file that expands to
 * hours of audio (FLAC stores silence in a few bytes a frame) never takes more memory than the
 * limit's worth of decoded audio.
 */
import { decodeWav, type Pcm } from '../../src/audio/convert.js';
import { MAX_CLIP_BYTES, readWavInfo } from '../../src/audio/wav.js';

/** The file name endings `ringdown clips` looks for in a recordings folder, in this order. */
export const RECORDING_EXTENSIONS = ['wav', 'mp3', 'ogg', 'oga', 'flac'] as const;

/**
 * The longest recording converted, in seconds: what one clip file holds (MAX_CLIP_BYTES of
 * 8 kHz 16-bit mono after its 44-byte header), so a clip made from it is never refused as too large.
 */
export const MAX_RECORDING_SECONDS = Math.floor((MAX_CLIP_BYTES - 44) / 2 / 8000);

/**
 * Input bytes given to a decoder at a time. Small, because what one piece decodes to is kept
 * whole before the limit is checked: a FLAC frame of constant samples takes about 12 bytes for up
 * to 65,535 samples, so 1 KiB can still be some 5.6 million samples a channel.
 */
const CHUNK_BYTES = 1024;

type Kind = 'wav' | 'mp3' | 'ogg' | 'flac';

function startsWith(bytes: Uint8Array, text: string, at = 0): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** What the bytes are, by their first bytes (not the file's name). */
export function sniff(bytes: Uint8Array): Kind | undefined {
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WAVE', 8)) return 'wav';
  if (startsWith(bytes, 'fLaC')) return 'flac';
  if (startsWith(bytes, 'OggS')) return 'ogg';
  if (startsWith(bytes, 'ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  return undefined;
}

/** A length as H:MM:SS.s, or M:SS.s under an hour. */
export function formatLength(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  const hours = Math.floor(tenths / 36_000);
  const minutes = Math.floor(tenths / 600) % 60;
  const rest = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

function tooLong(length: string, maxSeconds: number): string {
  return `the recording is too long: ${length}, the limit is ${maxSeconds} s`;
}

const u32be = (b: Uint8Array, at: number): number =>
  ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const u32le = (b: Uint8Array, at: number): number =>
  ((b[at + 3]! << 24) >>> 0) + (b[at + 2]! << 16) + (b[at + 1]! << 8) + b[at]!;

/** A WAV's length from its fmt and data chunks, with samples at their block-aligned slots as decodeWav reads them. */
function wavSeconds(bytes: Uint8Array): number | undefined {
  const info = readWavInfo(bytes);
  if (typeof info === 'string' || info.sampleRate === 0) return undefined;
  const frameBytes = Math.max(info.blockAlign ?? 0, (info.bitsPerSample >> 3) * info.channels);
  return frameBytes > 0 ? Math.floor(info.dataBytes / frameBytes) / info.sampleRate : undefined;
}

/** FLAC's STREAMINFO (the first metadata block): 20-bit sample rate, 36-bit total samples (0: unknown). */
function flacSeconds(bytes: Uint8Array): number | undefined {
  if (bytes.length < 8 + 34 || (bytes[4]! & 0x7f) !== 0) return undefined;
  const d = 8;
  const rate = (bytes[d + 10]! << 12) | (bytes[d + 11]! << 4) | (bytes[d + 12]! >> 4);
  const total = (bytes[d + 13]! & 0x0f) * 2 ** 32 + u32be(bytes, d + 14);
  return rate > 0 && total > 0 ? total / rate : undefined;
}

const MPEG1_RATES = [44100, 48000, 32000];

/**
 * An MP3's length from the frame count of a Xing/Info or VBRI header in its first frame (after
 * an ID3v2 tag); undefined when it has none (a plain CBR file states no length).
 */
function mp3Seconds(bytes: Uint8Array): number | undefined {
  let at = 0;
  if (startsWith(bytes, 'ID3') && bytes.length >= 10) {
    at = 10 + ((bytes[6]! & 0x7f) << 21) + ((bytes[7]! & 0x7f) << 14) + ((bytes[8]! & 0x7f) << 7) + (bytes[9]! & 0x7f);
    if ((bytes[5]! & 0x10) !== 0) at += 10;
  }
  if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1]! & 0xe0) !== 0xe0) return undefined;
  const version = (bytes[at + 1]! >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const layer = (bytes[at + 1]! >> 1) & 3; // 1 Layer III, 2 Layer II, 3 Layer I
  const rateIndex = (bytes[at + 2]! >> 2) & 3;
  if (version === 1 || layer === 0 || rateIndex === 3) return undefined;
  const rate = MPEG1_RATES[rateIndex]! / (version === 3 ? 1 : version === 2 ? 2 : 4);
  const perFrame = layer === 3 ? 384 : layer === 2 || version === 3 ? 1152 : 576;
  const mono = bytes[at + 3]! >> 6 === 3;
  const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const xing = at + 4 + sideInfo;
  let frames: number | undefined;
  if (startsWith(bytes, 'Xing', xing) || startsWith(bytes, 'Info', xing)) {
    if (xing + 12 <= bytes.length && (u32be(bytes, xing + 4) & 1) !== 0) frames = u32be(bytes, xing + 8);
  } else if (startsWith(bytes, 'VBRI', at + 36) && at + 36 + 18 <= bytes.length) {
    frames = u32be(bytes, at + 36 + 14);
  }
  return frames !== undefined && frames > 0 ? (frames * perFrame) / rate : undefined;
}

/** The largest Ogg page: a 27-byte header, 255 lacing values, 255 segments of 255 bytes. */
const MAX_OGG_PAGE = 27 + 255 + 255 * 255;

/**
 * An Ogg Vorbis stream's length: the granule position (samples) of its last page that has one,
 * over the rate in its identification header.
 */
function oggSeconds(bytes: Uint8Array): number | undefined {
  if (bytes.length < 28) return undefined;
  const packet = 27 + bytes[26]!;
  if (packet + 16 > bytes.length || bytes[packet] !== 1 || !startsWith(bytes, 'vorbis', packet + 1)) return undefined;
  const rate = u32le(bytes, packet + 12);
  const serial = u32le(bytes, 14);
  if (rate === 0) return undefined;
  for (let at = bytes.length - 27; at >= 0 && at >= bytes.length - 2 * MAX_OGG_PAGE; at--) {
    if (!startsWith(bytes, 'OggS', at) || bytes[at + 4] !== 0 || u32le(bytes, at + 14) !== serial) continue;
    const low = u32le(bytes, at + 6);
    const high = u32le(bytes, at + 10);
    if (high === 0xffffffff && low === 0xffffffff) continue; // no packet ends on this page
    const granule = high * 2 ** 32 + low;
    return granule > 0 ? granule / rate : undefined;
  }
  return undefined;
}

/** The length a recording's header states, in seconds, where its format has one. */
export function statedSeconds(bytes: Uint8Array, kind: Kind): number | undefined {
  if (kind === 'wav') return wavSeconds(bytes);
  if (kind === 'flac') return flacSeconds(bytes);
  if (kind === 'mp3') return mp3Seconds(bytes);
  return oggSeconds(bytes);
}

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
}

/** A WebAssembly decoder fed a piece at a time. */
interface StreamDecoder {
  decode(piece: Uint8Array): Decoded | Promise<Decoded>;
  /** What it still holds once the input has ended (MP3 has nothing held back). */
  flush?(): Promise<Decoded>;
}

/**
 * Feeds `bytes` to `decoder` CHUNK_BYTES at a time, keeping a copy of what each piece decodes
 * to, and stops once more than `maxSeconds` of audio has come out.
 */
async function decodeBounded(
  decoder: StreamDecoder,
  bytes: Uint8Array,
  source: string,
  maxSeconds: number,
): Promise<Pcm | string> {
  const parts: Float32Array[][] = [];
  let total = 0;
  let rate = 0;
  /** Keeps a piece's audio; false once the audio so far is longer than the limit. */
  const keep = (d: Decoded): boolean => {
    if (d.samplesDecoded === 0 || d.channelData.length === 0) return true;
    if (d.sampleRate > 0) rate = d.sampleRate;
    parts.push(d.channelData.map((c) => c.slice(0, d.samplesDecoded)));
    total += d.samplesDecoded;
    return rate === 0 || total <= maxSeconds * rate;
  };
  const over = tooLong(`more than ${formatLength(maxSeconds)}`, maxSeconds);
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    if (!keep(await decoder.decode(bytes.subarray(at, at + CHUNK_BYTES)))) return over;
  }
  if (decoder.flush !== undefined && !keep(await decoder.flush())) return over;
  if (total === 0 || rate === 0) return `no audio could be decoded from the ${source} file`;
  const count = parts[0]!.length;
  const channels = Array.from({ length: count }, () => new Float32Array(total));
  let offset = 0;
  for (const part of parts) {
    for (let c = 0; c < count; c++) channels[c]!.set(part[c] ?? part[0]!, offset);
    offset += part[0]!.length;
  }
  let clipped = 0;
  for (let i = 0; i < total; i++) if (channels.some((c) => Math.abs(c[i]!) >= 0.9999)) clipped++;
  return { sampleRate: rate, channels, source, clipped };
}

/** The WebAssembly decoder for `kind`, ready, and its format's name for reports. */
async function wasmDecoder(
  kind: 'mp3' | 'flac' | 'ogg',
): Promise<{ decoder: StreamDecoder & { free(): void }; source: string }> {
  if (kind === 'mp3') {
    const decoder = new (await import('mpg123-decoder')).MPEGDecoder();
    await decoder.ready;
    return { decoder, source: 'MP3' };
  }
  if (kind === 'flac') {
    const decoder = new (await import('@wasm-audio-decoders/flac')).FLACDecoder();
    await decoder.ready;
    return { decoder, source: 'FLAC' };
  }
  const decoder = new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder();
  await decoder.ready;
  return { decoder, source: 'Ogg Vorbis' };
}

/**
 * The decoded audio of a recording, or a message saying why not: among others, that it is longer
 * than `maxSeconds` (from its header before anything is decoded, else once decoding passes it).
 */
export async function decodeRecording(bytes: Uint8Array, maxSeconds = MAX_RECORDING_SECONDS): Promise<Pcm | string> {
  const kind = sniff(bytes);
  if (kind === undefined) return 'not a recording this tool reads (WAV, MP3, Ogg Vorbis or FLAC)';
  const stated = statedSeconds(bytes, kind);
  if (stated !== undefined && stated > maxSeconds) return tooLong(formatLength(stated), maxSeconds);
  try {
    if (kind === 'wav') return decodeWav(bytes);
    const { decoder, source } = await wasmDecoder(kind);
    try {
      return await decodeBounded(decoder, bytes, source, maxSeconds);
    } finally {
      decoder.free();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return `no ${kind} decoder installed (hint: npm install)`;
    return `cannot decode it as ${kind}: ${e instanceof Error ? e.message : String(e)}`;
  }
}
