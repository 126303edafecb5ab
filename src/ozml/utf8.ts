/**
 * Finds the first byte that is not part of a valid UTF-8 sequence (overlong forms, surrogates
 * and code points above U+10FFFF included); -1 when the whole buffer is valid.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Line and column (1-based) of a byte offset in valid UTF-8 text before it. Columns count UTF-16
 * code units, as the XML parser's do (a character above U+FFFF counts 2), so both agree.
 */
export function utf8Position(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  // A byte order mark is not a column (the parser does not count it either).
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf && offset >= 3 ? 3 : 0;
  for (let i = start; i < offset; i++) {
    const b = bytes[i]!;
    // A line ends at LF, CRLF or a lone CR, as the parser counts them.
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      col = 1;
    } else if (b === 0x0d) {
      // the CR of a CRLF: the LF ends the line
    } else if ((b & 0xc0) !== 0x80) {
      col += b >= 0xf0 ? 2 : 1;
    }
  }
  return { line, col };
}
