/**
 * The menu's save history, kept in this browser's localStorage under the file's absolute path:
 * each Save keeps the version it replaces. In the browser and not beside the file, because the
 * studio writes no file but the one the user named; the price is that another browser (or a
 * cleared profile) has its own history.
 */

export interface SavedVersion {
  /** When it was replaced (ms since 1970). */
  time: number;
  text: string;
}

/** The most versions kept per file: older ones are dropped first. */
export const MAX_VERSIONS = 20;

export class SaveHistory {
  private readonly key: string;

  constructor(path: string) {
    this.key = `ringdown-studio/history/${path}`;
  }

  /** The kept versions, newest first. */
  list(): SavedVersion[] {
    try {
      const found: unknown = JSON.parse(localStorage.getItem(this.key) ?? '[]');
      return Array.isArray(found)
        ? found.filter((v): v is SavedVersion => typeof v?.time === 'number' && typeof v?.text === 'string')
        : [];
    } catch {
      return [];
    }
  }

  /**
   * Keeps `text` (the version a Save replaced) unless it equals the newest kept one. When the
   * browser's storage is full the oldest versions go first; returns why nothing could be kept.
   */
  keep(text: string, time: number): string | undefined {
    const versions = this.list();
    if (versions[0]?.text === text) return undefined;
    versions.unshift({ time, text });
    versions.length = Math.min(versions.length, MAX_VERSIONS);
    while (versions.length > 0) {
      try {
        localStorage.setItem(this.key, JSON.stringify(versions));
        return undefined;
      } catch {
        versions.pop();
      }
    }
    return "the browser's storage is full or off: the replaced version was not kept in the history";
  }
}
