/**
 * `ringdown sim MENU.xml --events "..." [--clip-ms N] [--clips DIR] [--until S] [--profile P]
 * [--ring-menu FILE] [--trigger NAME=FILE[:PROFILE]]... [--jsonl]`.
 */
import { parseArgs } from 'node:util';
import { parseEvents } from '../boards/sim/events.js';
import { SimClipLibrary } from '../boards/sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../boards/sim/sim-outputs.js';
import { simulate } from '../boards/sim/simulate.js';
import type { RingTrigger } from '../src/engine/phone.js';
import type { TraceEvent } from '../src/engine/trace.js';
import { PROFILES } from '../src/line/profile.js';
import { formatDiagnostic, hasErrors } from '../src/ozml/diagnostic.js';
import type { Menu } from '../src/ozml/menu.js';
import { findClipFolder, readClipFolder, readMenuFile } from './menu-file.js';

export const SIM_USAGE =
  'usage: ringdown sim MENU.xml --events "offhook@0 2@7 onhook@30" [--clip-ms N] [--clips DIR] [--until S] [--profile us|uk|cept] [--ring-menu FILE] [--trigger NAME=FILE[:PROFILE]]... [--jsonl]';

/** One trace event as a human reads it: time in seconds, type, then its fields. */
export function formatTraceLine(e: TraceEvent): string {
  const fields = Object.entries(e)
    .filter(([k]) => k !== 't' && k !== 'type')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return `${(e.t / 1000).toFixed(3).padStart(9)}  ${e.type.padEnd(9)} ${fields.join(' ')}`.trimEnd();
}

export function runSim(argv: string[], out: (line: string) => void, err: (line: string) => void): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: 'offhook@0' },
      'clip-ms': { type: 'string' },
      clips: { type: 'string' },
      until: { type: 'string' },
      profile: { type: 'string', default: 'us' },
      jsonl: { type: 'boolean' },
      'ring-menu': { type: 'string' },
      trigger: { type: 'string', multiple: true },
    },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    err(SIM_USAGE);
    return 2;
  }
  const events = parseEvents(values.events ?? '');
  if (typeof events === 'string') {
    err(`ringdown sim: --events: ${events}`);
    return 2;
  }
  const profile = PROFILES[values.profile ?? 'us'];
  if (profile === undefined) {
    err(`ringdown sim: --profile must be one of ${Object.keys(PROFILES).join(', ')}`);
    return 2;
  }
  let fixedMs: number | undefined;
  if (values['clip-ms'] !== undefined) {
    fixedMs = Number(values['clip-ms']);
    if (!Number.isInteger(fixedMs) || fixedMs < 0) {
      err('ringdown sim: --clip-ms must be a whole number of ms');
      return 2;
    }
  }
  let untilMs: number | undefined;
  if (values.until !== undefined) {
    untilMs = Math.round(Number(values.until) * 1000);
    if (!Number.isFinite(untilMs) || untilMs < 0) {
      err('ringdown sim: --until must be a number of seconds');
      return 2;
    }
  }
  const { menu, diagnostics } = readMenuFile(file, SIM_OUTPUT_NAMES);
  for (const d of diagnostics) err(formatDiagnostic(file, d));
  if (menu === undefined || hasErrors(diagnostics)) return 1;

  const loadOther = (path: string): Menu | undefined => {
    const other = readMenuFile(path, SIM_OUTPUT_NAMES);
    for (const d of other.diagnostics) err(formatDiagnostic(path, d));
    return hasErrors(other.diagnostics) ? undefined : other.menu;
  };
  let ringMenu: Menu | undefined;
  if (values['ring-menu'] !== undefined) {
    ringMenu = loadOther(values['ring-menu']);
    if (ringMenu === undefined) return 1;
  }
  const triggers: Record<string, RingTrigger> = {};
  for (const spec of values.trigger ?? []) {
    const m = /^([A-Za-z][A-Za-z0-9_-]*)=(.+?)(?::(us|uk|cept))?$/.exec(spec);
    if (m === null) {
      err(`ringdown sim: --trigger ${spec}: expected NAME=FILE or NAME=FILE:PROFILE (us, uk, cept)`);
      return 2;
    }
    const triggerMenu = loadOther(m[2]!);
    if (triggerMenu === undefined) return 1;
    const cadence = m[3] !== undefined ? PROFILES[m[3]]?.ring : undefined;
    triggers[m[1]!] = { menu: triggerMenu, ...(cadence !== undefined ? { cadence } : {}) };
  }

  const clipDir = findClipFolder(file, values.clips);
  const folder = clipDir !== undefined ? readClipFolder(clipDir) : undefined;
  for (const p of folder?.problems ?? []) err(`${p.file}:1:1: warning: ${p.message}`);
  const clips = new SimClipLibrary({
    ...(folder !== undefined ? { catalog: folder.catalog, durations: folder.durations } : {}),
    ...(fixedMs !== undefined ? { fixedMs } : {}),
  });
  const print = values.jsonl === true ? (e: TraceEvent) => out(JSON.stringify(e)) : (e: TraceEvent) => out(formatTraceLine(e));
  simulate({
    menu,
    events,
    clips,
    profile,
    onTrace: print,
    triggers,
    ...(untilMs !== undefined ? { untilMs } : {}),
    ...(ringMenu !== undefined ? { ringMenu } : {}),
  });
  for (const text of clips.estimated) {
    err(`${file}: warning: no clip for ${JSON.stringify(text)}; its length was estimated from the text (give --clip-ms or run ringdown clips)`);
  }
  return 0;
}
