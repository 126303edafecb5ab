/**
 * UTF-8 to and from bytes for log messages. The core has no TextEncoder (XS has it only as a
 * module), so this is the small hand-written form; surrogate pairs become one 4-byte sequence.
 */
import { invalidUtf8Offset } from '../ozml/utf8.js';

/** Encodes `text`, keeping whole characters within `maxBytes`; a lone surrogate becomes U+FFFD. */
export function encodeUtf8(text: string, maxBytes = Infinity): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    const seq =
      cp < 0x80
        ? [cp]
        : cp < 0x800
          ? [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)]
          : cp < 0x10000
            ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
            : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
    if (out.length + seq.length > maxBytes) break;
    out.push(...seq);
  }
  return new Uint8Array(out);
}

/** Decodes strict UTF-8 (checked by the menu loader's own validator); undefined when invalid. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  if (invalidUtf8Offset(bytes) >= 0) return undefined;
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : 3;
    let cp = need === 0 ? b : b & (0x3f >> need);
    for (let k = 1; k <= need; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f);
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}
