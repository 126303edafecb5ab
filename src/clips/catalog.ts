/**
 * The clip catalog: which prerecorded clip says which text. It lives in the clip folder as
 * `catalog.json`: `{ "clips": { "Text as written in Speak": "clip-name" } }`; the clip itself is
 * `clip-name.wav` in the same folder (a MAUD resource of that name on the chip). A `Speak` with a
 * `clip="name"` attribute names its clip directly.
 */
export interface ClipCatalog {
  clips: Record<string, string>;
}

/** A resolved clip: its name and how long it plays. */
export interface ClipRef {
  clip: string;
  ms: number;
}

/** Finds the clip for a Speak. Boards implement it from their files or resources. */
export interface ClipLibrary {
  resolve(text: string, clip?: string): ClipRef | undefined;
}

/** Texts are looked up with white space collapsed, so line breaks in a menu do not matter. */
export function catalogKey(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The clip a Speak plays by the catalog: its own `clip` attribute first, then its text. */
export function clipName(catalog: ClipCatalog, text: string, clip?: string): string | undefined {
  if (clip !== undefined) return clip;
  const key = catalogKey(text);
  return Object.hasOwn(catalog.clips, key) ? catalog.clips[key] : undefined;
}

/** The longest clip name: `NAME.wav` fits every file system's name limit (eCryptfs: 143 bytes). */
export const MAX_CLIP_NAME = 128;

/**
 * Why `name` is not a plain clip name (letters, digits, `_ . -`, starting with a letter or digit,
 * at most MAX_CLIP_NAME characters), or undefined when it is one. A clip name is always a file
 * name inside the clip folder: no separator, no `..`, no absolute path, no NUL or control
 * character can get through.
 */
export function clipNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name))
    return 'must be a clip name (letters, digits, _ . -, starting with a letter or digit)';
  if (name.length > MAX_CLIP_NAME) return `is ${name.length} characters long; a clip name has at most ${MAX_CLIP_NAME}`;
  return undefined;
}

/** A record with no prototype: a text or name like `__proto__` or `constructor` is just a key. */
export function plainRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Validates a parsed catalog.json; returns a message naming the bad entry when it is not one. */
export function checkCatalog(value: unknown): ClipCatalog | string {
  if (typeof value !== 'object' || value === null) return 'catalog must be a JSON object';
  const clips = (value as { clips?: unknown }).clips;
  if (typeof clips !== 'object' || clips === null || Array.isArray(clips)) return 'catalog needs a "clips" object';
  const out = plainRecord<string>();
  for (const [text, name] of Object.entries(clips)) {
    const problem = typeof name === 'string' ? clipNameProblem(name) : 'must be a clip name (letters, digits, _ . -)';
    if (problem !== undefined) return `clip for ${JSON.stringify(text)} ${problem}; got ${JSON.stringify(name)}`;
    out[catalogKey(text)] = name as string;
  }
  return { clips: out };
}

/** A rough speaking time for a text with no clip: 65 ms a character, at least 500 ms. */
export function estimateSpeechMs(text: string): number {
  return Math.max(500, Math.round(text.length * 65));
}

/** FNV-1a, 32 bits, as 8 hex digits: a stable short hash for clip names. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The clip name a text gets when the catalog has none: its words in lower case joined by dashes,
 * cut to 60 characters with a hash of the whole text appended when cut.
 */
export function clipSlug(text: string): string {
  const key = catalogKey(text);
  const slug = key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > 0 && slug.length <= 60) return slug;
  return `${slug.slice(0, 48).replace(/-+$/, '')}-${fnv1a(key)}`.replace(/^-/, 'clip-');
}
