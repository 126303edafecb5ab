/**
 * Terminal input as the simulator reads it: one entry per key the user pressed. An escape
 * sequence (an arrow key is ESC [ A, F1 is ESC O P, Alt+x is ESC x) is one entry, never the
 * printable characters it ends with (the arrows end in A-D, which are DTMF keys).
 */
export function splitKeys(text: string): string[] {
  const keys: string[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch !== '\x1b' || i + 1 >= chars.length) {
      keys.push(ch);
      continue;
    }
    const next = chars[i + 1]!;
    let end = i + 1; // index of the sequence's last character
    if (next === '[') {
      // CSI: parameter bytes 0x30-0x3F, intermediate bytes 0x20-0x2F, then a final byte 0x40-0x7E.
      end = i + 2;
      while (end < chars.length && /[\x20-\x3f]/.test(chars[end]!)) end++;
      if (end >= chars.length) end = chars.length - 1;
    } else if (next === 'O' && i + 2 < chars.length) {
      end = i + 2; // SS3: F1-F4, and arrows in application mode
    }
    keys.push(chars.slice(i, end + 1).join(''));
    i = end;
  }
  return keys;
}

/** A name for an escape sequence the simulator ignores, for the hint it shows. */
export function describeKey(key: string): string {
  const arrows: Record<string, string> = { A: 'up', B: 'down', C: 'right', D: 'left' };
  const last = key.at(-1) ?? '';
  if (key.length === 3 && (key[1] === '[' || key[1] === 'O') && Object.hasOwn(arrows, last))
    return `the ${arrows[last]} arrow`;
  return JSON.stringify(key);
}
