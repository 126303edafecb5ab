/**
 * The DTMF key matrix (ITU-T Q.23): each key is one low-group ("row") and one high-group
 * ("column") frequency, sent together.
 */
export const ROW_HZ: readonly number[] = [697, 770, 852, 941];
export const COLUMN_HZ: readonly number[] = [1209, 1336, 1477, 1633];

/** Keys by row then column. */
export const KEY_MATRIX: readonly string[] = ['123A', '456B', '789C', '*0#D'];

/** All 16 keys. */
export const DTMF_KEYS = '123A456B789C*0#D';

/** The row and column frequencies of a key, or undefined for a character that is not a key. */
export function keyFrequencies(key: string): { row: number; column: number } | undefined {
  for (let r = 0; r < KEY_MATRIX.length; r++) {
    const c = KEY_MATRIX[r]!.indexOf(key.toUpperCase());
    if (key.length === 1 && c >= 0) return { row: ROW_HZ[r]!, column: COLUMN_HZ[c]! };
  }
  return undefined;
}

/** The key at a row and column index. */
export function keyAt(row: number, column: number): string {
  return KEY_MATRIX[row]!.charAt(column);
}
