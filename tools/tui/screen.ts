/** The interactive simulator's screen, as plain lines: a pure function of the session and the time. */
import type { TraceEvent } from '../../src/engine/trace.js';
import { catalogKey } from '../../src/clips/catalog.js';
import type { Command, Menu } from '../../src/ozml/menu.js';
import { formatTraceLine } from '../sim.js';
import type { CallSession } from '../../sim/call-session.js';

/** Where each Speak text sits in the menu: `line L:C`, with the UserInputs/Inputs it is inside. */
export function speakPositions(menu: Menu): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (commands: readonly Command[], path: string): void => {
    for (const c of commands) {
      if (c.kind === 'speak') {
        const key = catalogKey(c.text);
        if (!out.has(key)) out.set(key, `Speak at line ${c.line}:${c.col}${path}`);
      } else if (c.kind === 'userinput') {
        const here = ` in UserInput ${c.line}:${c.col}`;
        walk(c.initial, `${here}${path}`);
        walk(c.noInput, ` in NoInput of UserInput ${c.line}:${c.col}${path}`);
        walk(c.noMatch, ` in NoMatch of UserInput ${c.line}:${c.col}${path}`);
        if (c.failed !== undefined) walk(c.failed, ` in Failed of UserInput ${c.line}:${c.col}${path}`);
        for (const input of c.inputs) walk(input.commands, ` in Input key="${input.key}"${here}${path}`);
      }
    }
  };
  walk(menu.commands, '');
  return out;
}

export interface ScreenInfo {
  menuFile: string;
  /** Where clip lengths come from, for the header. */
  clipsNote: string;
  positions: Map<string, string>;
  /** A note for the status line (e.g. "handset is down: lift it first"). */
  note?: string;
}

function since<E extends TraceEvent>(trace: readonly TraceEvent[], pick: (e: TraceEvent) => e is E): E | undefined {
  for (let i = trace.length - 1; i >= 0; i--) {
    const e = trace[i]!;
    if (pick(e)) return e;
  }
  return undefined;
}

function playing(session: CallSession, now: number): string {
  const segment = session.audio.segments[session.audio.segments.length - 1];
  if (segment === undefined || segment.end !== undefined) return 'silence';
  if (segment.kind === 'tone' && segment.tone !== undefined) {
    const { frequencies, cadenceMs } = segment.tone;
    const cadence = cadenceMs.length > 0 ? `${cadenceMs.join('/')} ms` : 'steady';
    return `tone ${segment.name}  ${frequencies.join(' + ')} Hz, ${cadence}`;
  }
  const play = since(session.trace, (e): e is Extract<TraceEvent, { type: 'play' }> => e.type === 'play');
  const text = play?.clip === segment.name ? ` "${play.text}"` : '';
  const total = play?.clip === segment.name ? ` / ${(play.ms / 1000).toFixed(1)}` : '';
  return `clip ${segment.name}${text}  ${((now - segment.start) / 1000).toFixed(1)}${total} s`;
}

function position(session: CallSession, info: ScreenInfo): string {
  const last = since(session.trace, (e): e is TraceEvent =>
    ['offhook', 'onhook', 'play', 'delay', 'input', 'wait', 'timeout', 'hangup', 'digits', 'failed', 'back'].includes(
      e.type,
    ),
  );
  if (last === undefined) return 'waiting for the handset to be lifted';
  switch (last.type) {
    case 'onhook':
      return 'waiting for the handset to be lifted';
    case 'offhook':
      return 'top of the menu';
    case 'play':
      return info.positions.get(catalogKey(last.text)) ?? `Play ${last.clip}`;
    case 'delay':
      return `Delay ${(last.ms / 1000).toFixed(1)} s`;
    case 'input':
      return `UserInput listening for keys (pass ${last.pass}, timeout ${(last.timeout / 1000).toFixed(1)} s)`;
    case 'wait':
      return `UserInput waiting ${(last.ms / 1000).toFixed(1)} s for a key`;
    case 'hangup':
      return `the menu hung up (${last.reason}); replace the handset`;
    default:
      return formatTraceLine(last).trim();
  }
}

/** The screen, one string a line, at wall time `now` ms. */
export function renderScreen(session: CallSession, now: number, info: ScreenInfo, width = 100): string[] {
  const trace = session.trace;
  let callStart = 0;
  for (let i = trace.length - 1; i >= 0; i--) {
    if (trace[i]!.type === 'offhook') {
      callStart = i;
      break;
    }
  }
  const call = trace.slice(callStart);
  const keys = call
    .filter((e) => e.type === 'key' || e.type === 'flash')
    .map((e) => (e.type === 'key' ? e.key : 'flash'));
  const outcome = since(call, (e): e is TraceEvent =>
    ['match', 'nomatch', 'ignored', 'held', 'digits'].includes(e.type),
  );
  const outputs = session.outputs.names.map((n) => `${n} ${session.outputs.read(n) ? 'ON' : 'off'}`).join('  ');
  const lines = [
    `Ringdown simulator  ${info.menuFile}  (${info.clipsNote})`,
    '',
    `  Time      ${(now / 1000).toFixed(1)} s`,
    `  Handset   ${session.offHook ? 'OFF-HOOK (lifted)' : 'on-hook (down)'}      Line  ${session.lineState}`,
    `  Playing   ${playing(session, now)}`,
    `  Keys      ${keys.length > 0 ? keys.join(' ') : '-'}${
      outcome !== undefined
        ? `      last: ${formatTraceLine(outcome)
            .trim()
            .replace(/^\S+\s+/, '')
            .replace(/\s+/g, ' ')}`
        : ''
    }`,
    `  Menu      ${position(session, info)}`,
    `  Outputs   ${outputs}`,
    '',
    '  Trace (latest last)',
    ...trace.slice(-10).map((e) => `  ${formatTraceLine(e)}`),
    '',
    `  [space] lift/replace handset   [0-9 * # a-d] keys   [f] hook flash   [r] ring   [s] speak   [q] quit`,
    ...(info.note !== undefined ? [`  ${info.note}`] : []),
  ];
  return lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
}
