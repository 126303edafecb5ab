/** What the studio's server tells its page (GET /api/menu). */

/** What the page gets at start: the menu's text and what the checker needs besides it. */
export interface StudioMenu {
  /** The file's name as given on the command line (diagnostics are `NAME:LINE:COL: ...`). */
  name: string;
  /** The named file's absolute path: the page keeps the file's save history under it. */
  path?: string;
  text: string;
  /** The file's version as read (a hash; '' for none): Save sends it as X-Menu-Version. */
  version: string;
  /** False when no file was named: the page shows the door-phone example and cannot save. */
  saveable: boolean;
  /** The simulated board's output names (`check --board sim`). */
  outputs: readonly string[];
  /** The phone named by `--phone` and the keys it can send: the checker warns at Inputs it cannot reach. */
  phone?: { name: string; keys: string };
  /** The clip folder as named (given, or `clips/` beside the menu), when there is one. */
  clipDir?: string;
  catalog: Record<string, string>;
  /** Length in ms of each clip file, by clip name: the page fetches `/clips/NAME.wav`. */
  durations: Record<string, number>;
  /** Problems with the clip folder, as `check` prints them. */
  problems: string[];
}

/** What a Save refused with 409 says: the file changed on disk since the page read it. */
export interface SaveConflict {
  error: string;
  /** What is on disk now: its version, and its text when that is UTF-8. */
  disk: { version: string; text?: string };
  /** The text this Save sent. */
  yours: string;
}
