/**
 * The options `ringdown sim` and `ringdown device` share for one scripted call: `--events`,
 * `--profile`, `--clip-ms`, `--until`, each checked the same strict way (plain bounded decimals).
 */
import { MAX_CLIP_MS, parseEvents, parseSeconds, parseWholeMs, type SimEvent } from '../sim/events.js';
import { PROFILES, profileNamed, type LineProfile } from '../src/line/profile.js';

export interface CallOptionValues {
  events?: string | undefined;
  profile?: string | undefined;
  'clip-ms'?: string | undefined;
  until?: string | undefined;
}

export interface CallOptions {
  events: SimEvent[];
  profileName: string;
  profile: LineProfile;
  fixedMs: number | undefined;
  untilMs: number | undefined;
}

/** The checked options, or the message saying which is wrong (the caller exits 2 with it). */
export function parseCallOptions(values: CallOptionValues, command: string): CallOptions | string {
  const events = parseEvents(values.events ?? '');
  if (typeof events === 'string') return `ringdown ${command}: --events: ${events}`;
  const profileName = values.profile ?? 'us';
  const profile = profileNamed(profileName);
  if (profile === undefined) return `ringdown ${command}: --profile must be one of ${Object.keys(PROFILES).join(', ')}`;
  let fixedMs: number | undefined;
  if (values['clip-ms'] !== undefined) {
    const ms = parseWholeMs(values['clip-ms'], MAX_CLIP_MS);
    if (typeof ms === 'string') return `ringdown ${command}: --clip-ms: ${ms}`;
    fixedMs = ms;
  }
  let untilMs: number | undefined;
  if (values.until !== undefined) {
    const ms = parseSeconds(values.until);
    if (typeof ms === 'string') return `ringdown ${command}: --until: ${ms}`;
    untilMs = ms;
  }
  return { events, profileName, profile, fixedMs, untilMs };
}
