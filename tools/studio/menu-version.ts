import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { MAX_MENU_BYTES } from '../menu-file.js';
import { readRegularFile } from '../read-file.js';

/**
 * A menu file's version as the page saw it: a hash of its bytes ('' when there is no file yet).
 * Save sends back the version it read; a different one on disk means someone else (another tab,
 * an editor, git) changed the file since, and the Save must not silently replace their work.
 */
export function menuVersion(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : createHash('sha256').update(bytes).digest('hex');
}

/** The file's bytes now, or undefined when it does not exist; a message when it cannot be read. */
export function readMenuBytes(path: string): Uint8Array | undefined | { problem: string } {
  if (!existsSync(path)) return undefined;
  return readRegularFile(path, MAX_MENU_BYTES, 'a menu');
}

/** The menu's text, or where it stops being UTF-8 (the studio never decodes a file lossily). */
export function decodeMenu(bytes: Uint8Array): string | { badByte: number } {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // Fed one byte at a time, the decoder throws at the byte that makes the sequence invalid.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let good = 0;
    try {
      for (; good < bytes.length; good++) decoder.decode(bytes.subarray(good, good + 1), { stream: true });
      decoder.decode();
    } catch {
      /* good is the offending byte */
    }
    return { badByte: good };
  }
}

export interface Conflict {
  /** The version on disk now. */
  version: string;
  /** Its text (UTF-8), when it is UTF-8. */
  text?: string;
}

/**
 * Checks, just before a Save writes, that the file is still the version the page read: returns
 * what is on disk now when it is not (the caller answers 409 with it), undefined when it is.
 */
export function changedSince(path: string, expected: string): Conflict | undefined {
  const bytes = readMenuBytes(path);
  if (bytes !== undefined && !(bytes instanceof Uint8Array)) return { version: `unreadable: ${bytes.problem}` };
  const version = menuVersion(bytes);
  if (version === expected) return undefined;
  const text = bytes === undefined ? '' : decodeMenu(bytes);
  return typeof text === 'string' ? { version, text } : { version };
}
