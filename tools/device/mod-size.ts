/**
 * How big a mod may be on a board: the size of the `xs` row (type 0x40, subtype 1: Moddable's mod
 * partition) in the board's ESP-IDF partition table, and the check of a built archive against it.
 * No SDK needed, so the arithmetic is tested on its own.
 */

/** Clip bytes a second on the device: IMA ADPCM at 8 kHz mono is 4 bits a sample. */
export const CLIP_BYTES_PER_SECOND = 4000;

/** A partition table number: `0x...`, decimal, or with a `K`/`M` suffix (as mcmanifest.js reads them). */
export function partitionNumber(text: string): number | undefined {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  const m = /^(\d+)([KM]?)$/i.exec(t);
  if (m === null) return undefined;
  const scale = m[2]?.toUpperCase() === 'K' ? 1024 : m[2]?.toUpperCase() === 'M' ? 1024 * 1024 : 1;
  return Number(m[1]) * scale;
}

export interface Partition {
  name: string;
  type: string;
  subtype: string;
  offset: number | undefined;
  size: number;
}

/** The rows of an ESP-IDF partition table CSV (comments and blank lines skipped). */
export function parsePartitions(csv: string): Partition[] | string {
  const rows: Partition[] = [];
  for (const [index, raw] of csv.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    const [name, type, subtype, offset, size] = cells;
    if (name === undefined || type === undefined || subtype === undefined || size === undefined)
      return `line ${index + 1}: expected Name, Type, SubType, Offset, Size`;
    const bytes = partitionNumber(size);
    if (bytes === undefined) return `line ${index + 1}: size ${JSON.stringify(size)} is not a number`;
    rows.push({
      name,
      type,
      subtype,
      offset: offset === undefined || offset === '' ? undefined : partitionNumber(offset),
      size: bytes,
    });
  }
  return rows;
}

/** The mod partition's size in bytes: the row of type 0x40 subtype 1 (Moddable names it `xs`). */
export function modPartitionSize(csv: string): number | string {
  const rows = parsePartitions(csv);
  if (typeof rows === 'string') return rows;
  const row = rows.find((r) => partitionNumber(r.type) === 0x40 && partitionNumber(r.subtype) === 1);
  if (row === undefined) return 'no mod partition (a row of type 0x40, subtype 1, named xs)';
  return row.size;
}

/** Undefined when a mod of `bytes` fits a partition of `capacity`, else why not, by how much. */
export function modTooLarge(bytes: number, capacity: number): string | undefined {
  if (bytes <= capacity) return undefined;
  const over = bytes - capacity;
  return `the mod is ${bytes} bytes, ${over} bytes (${kib(over)}) more than the mod partition's ${capacity} bytes (${kib(capacity)})`;
}

/** How many minutes of clips (IMA ADPCM, 8 kHz) fit in `bytes`, to one decimal. */
export function clipMinutes(bytes: number): number {
  return Math.floor((bytes / CLIP_BYTES_PER_SECOND / 60) * 10) / 10;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
