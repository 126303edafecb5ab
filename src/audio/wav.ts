/**
 * RIFF/WAVE reading and writing for 16-bit PCM, on plain bytes (no Node APIs): clips, simulator
 * recordings and DTMF test signals all go through here.
 */
export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 1 is integer PCM; anything else is compressed or float. */
  format: number;
  /** Offset and length in bytes of the `data` chunk's contents. */
  dataOffset: number;
  dataBytes: number;
  /** Length in ms, from the data length. */
  ms: number;
  /** Bytes a frame takes (the fmt chunk's block align). */
  blockAlign?: number;
  /** A WAVE_FORMAT_EXTENSIBLE file's sub-format (1 PCM, 3 float, ...). */
  subFormat?: number;
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(bytes[at + i] ?? 0);
  return s;
}

/** Reads a WAV header; returns a message saying what is wrong when it is not a usable WAV. */
export function readWavInfo(bytes: Uint8Array): WavInfo | string {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WAVE') {
    return 'not a WAV file (no RIFF/WAVE header)';
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'ms'> | undefined;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return 'truncated WAV header (fmt chunk)';
      fmt = {
        format: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
        blockAlign: view.getUint16(body + 12, true),
      };
      if (fmt.format === 0xfffe && size >= 40 && body + 26 <= bytes.length)
        fmt.subFormat = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      if (fmt === undefined) return 'WAV data chunk comes before its fmt chunk';
      const available = Math.max(0, bytes.length - body);
      if (size > available) return `truncated WAV data: header says ${size} bytes, file has ${available}`;
      const frameBytes = fmt.channels * (fmt.bitsPerSample >> 3);
      const frames = frameBytes > 0 ? Math.floor(size / frameBytes) : 0;
      const ms = fmt.sampleRate > 0 ? Math.round((frames * 1000) / fmt.sampleRate) : 0;
      return { ...fmt, dataOffset: body, dataBytes: size, ms };
    }
    at = body + size + (size & 1);
  }
  return fmt === undefined ? 'truncated WAV header (no fmt chunk)' : 'WAV file has no data chunk';
}

/**
 * The largest clip file the tools read: 4 MiB (4 min 22 s at 8 kHz, 16-bit) is more than the
 * ESP32's flash holds next to the firmware, so a larger file cannot be a clip.
 */
export const MAX_CLIP_BYTES = 4 * 1024 * 1024;

/** The most sample bytes a WAV can hold: its sizes are 32-bit (RIFF size = data + 36). */
export const MAX_WAV_DATA_BYTES = 0xffffffff - 36;

/** Checks that a WAV is what the device plays: 8000 Hz, mono, 16-bit integer PCM. */
export function deviceFormatProblem(info: WavInfo, rate = 8000): string | undefined {
  if (info.format !== 1 && !(info.format === 0xfffe && (info.subFormat ?? 1) === 1))
    return `compressed or float WAV (format ${info.format}); need 16-bit PCM`;
  if (info.channels !== 1) return `${info.channels} channels; need mono`;
  if (info.bitsPerSample !== 16) return `${info.bitsPerSample}-bit samples; need 16-bit`;
  if (info.sampleRate !== rate) return `${info.sampleRate} Hz; need ${rate} Hz`;
  return undefined;
}

/** Decodes the samples of a 16-bit PCM mono WAV. */
export function readWavSamples(bytes: Uint8Array): { info: WavInfo; samples: Int16Array } | string {
  const info = readWavInfo(bytes);
  if (typeof info === 'string') return info;
  if (info.bitsPerSample !== 16 || info.channels !== 1 || (info.format !== 1 && info.format !== 0xfffe)) {
    return 'need a 16-bit PCM mono WAV';
  }
  const samples = new Int16Array(info.dataBytes >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset + info.dataOffset, samples.length * 2);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return { info, samples };
}

/** The 44-byte header of a 16-bit mono PCM WAV holding `samples` samples. */
export function wavHeader(samples: number, sampleRate = 8000): Uint8Array {
  const dataBytes = samples * 2;
  if (!Number.isInteger(samples) || samples < 0 || dataBytes > MAX_WAV_DATA_BYTES)
    throw new RangeError(`a WAV cannot hold ${samples} samples`);
  const bytes = new Uint8Array(44);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  return bytes;
}

/** Writes 16-bit samples as little-endian bytes (a WAV's data) into `bytes` (2 per sample). */
export function sampleBytesInto(samples: Int16Array, bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, samples.length * 2);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
}

/** Encodes 16-bit mono samples as a WAV file. */
export function encodeWav(samples: Int16Array, sampleRate = 8000): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  bytes.set(wavHeader(samples.length, sampleRate));
  sampleBytesInto(samples, bytes.subarray(44));
  return bytes;
}
