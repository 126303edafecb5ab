/**
 * The device link's transfers over a LinkClient, shared by the CLI (`ringdown pull/push`) and the
 * studio page (Web Serial): no file system, no Node APIs, so the page bundles it as it is.
 */
import { crc32 } from '../../src/checksum/crc32.js';
import { encodePackage } from '../../src/link/menu-slots.js';
import { CHUNK_BYTES, CHUNK_SAMPLES, Kind, sampleBytes, u32s } from '../../src/link/protocol.js';
import type { LinkRecordingInfo } from '../../src/link/server.js';
import { LinkError, type LinkClient } from './client.js';

/** The device's recordings (LIST), those entries that are well formed. */
export async function listRecordings(client: LinkClient): Promise<LinkRecordingInfo[]> {
  const list = (await client.json(Kind.LIST)).recordings;
  if (!Array.isArray(list)) throw new LinkError('failed', 'the device sent no recordings list');
  return list.filter(
    (r): r is LinkRecordingInfo =>
      typeof r === 'object' &&
      r !== null &&
      typeof r.name === 'string' &&
      typeof r.id === 'number' &&
      typeof r.samples === 'number' &&
      typeof r.complete === 'boolean',
  );
}

/**
 * Reads recording `r` from sample `from` to its end, a chunk (16-bit LE samples) at a time to
 * `chunk`; returns the bytes read.
 */
export async function readRecording(
  client: LinkClient,
  r: LinkRecordingInfo,
  from: number,
  chunk: (bytes: Uint8Array) => void,
): Promise<number> {
  let bytes = 0;
  for (let have = from; have < r.samples; ) {
    const data = await client.data(Kind.READ, u32s([r.id, have, Math.min(CHUNK_SAMPLES, r.samples - have)]));
    if (data.length === 0)
      throw new LinkError('failed', `${r.name}: the device sent no samples from ${have} of ${r.samples}`);
    chunk(data);
    have += data.length >> 1;
    bytes += data.length;
  }
  return bytes;
}

/** Sends a clip, kept on the device as a recording of its name once whole and checked. */
export async function sendClip(client: LinkClient, name: string, samples: Int16Array): Promise<void> {
  const bytes = sampleBytes(samples);
  await client.json(Kind.CLIP_BEGIN, { name, samples: samples.length, crc: crc32(bytes) });
  for (let at = 0; at < samples.length; at += CHUNK_SAMPLES)
    await client.json(
      Kind.CLIP_DATA,
      u32s([at], bytes.subarray(2 * at, 2 * Math.min(samples.length, at + CHUNK_SAMPLES))),
    );
  await client.json(Kind.CLIP_END);
}

/**
 * Sends a menu and the catalog of its uploaded clips (Speak text → clip name); the device checks
 * it and switches to it from the next call. Returns the menu's CRC-32, as STATUS names it.
 */
export async function sendMenu(client: LinkClient, menu: Uint8Array, sent: Record<string, string>): Promise<number> {
  const pkg = encodePackage({
    menu,
    catalog: new TextEncoder().encode(Object.keys(sent).length > 0 ? JSON.stringify({ clips: sent }) : ''),
  });
  await client.json(Kind.MENU_BEGIN, { bytes: pkg.length, crc: crc32(pkg) });
  for (let at = 0; at < pkg.length; at += CHUNK_BYTES)
    await client.json(Kind.MENU_DATA, u32s([at], pkg.subarray(at, Math.min(pkg.length, at + CHUNK_BYTES))));
  await client.json(Kind.MENU_END);
  return crc32(menu);
}
