/**
 * CRC-32 as in IEEE 802.3, zlib and PNG (reflected polynomial 0xEDB88320, initial and final value
 * 0xFFFFFFFF): `crc32(bytes of "123456789") === 0xCBF43926`. It guards each log record, so a torn
 * or half-erased record is never read as a good one.
 */
let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table !== undefined) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * The CRC-32 of `bytes[from, to)`; with `previous` (the CRC-32 of the bytes before), the CRC-32
 * of those bytes followed by these, so a stream can be checked piece by piece.
 */
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length, previous = 0): number {
  const t = crcTable();
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = from; i < to; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
