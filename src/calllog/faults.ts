/**
 * Faults as call-log entries: a menu that did not load (the fallback ran), a mod refused (the
 * built-in menu ran) and a line input the
 * supervisor found broken, each one line a person can act on when reading `ringdown log`.
 */
import type { MenuFault } from '../engine/fallback.js';
import type { LineFault } from '../line/supervisor.js';
import type { FaultRecord } from './record.js';

export function menuFaultEntry(fault: MenuFault, atMs: number): FaultRecord {
  const what =
    fault.kind === 'invalid'
      ? `menu has ${fault.errors} error${fault.errors === 1 ? '' : 's'}, fallback runs: `
      : 'fallback runs: ';
  return { kind: 'fault', atMs, message: `${what}${fault.message}` };
}

/** An installed mod refused at boot (its menu did not load, or a clip is missing): the built-in menu runs. */
export function modFaultEntry(fault: MenuFault, atMs: number): FaultRecord {
  return { kind: 'fault', atMs, message: `mod refused, built-in menu runs: ${fault.message}` };
}

export function lineFaultEntry(fault: LineFault): FaultRecord {
  switch (fault.kind) {
    case 'dtmf-stuck':
      return {
        kind: 'fault',
        atMs: fault.atMs,
        message: `DTMF strobe stuck: key ${fault.key} down for ${fault.downMs} ms; keys ignored until it clears`,
      };
    case 'dtmf-chatter':
      return {
        kind: 'fault',
        atMs: fault.atMs,
        message: `DTMF strobe chatters: ${fault.events} key-downs within ${fault.windowMs} ms; keys ignored until it settles`,
      };
    case 'hook-chatter':
      return {
        kind: 'fault',
        atMs: fault.atMs,
        message: `hook input chatters: ${fault.events} edges within ${fault.windowMs} ms (floating or stuck mid-level); line out of order until it settles`,
      };
    case 'recovered':
      return {
        kind: 'fault',
        atMs: fault.atMs,
        message: `${fault.input === 'dtmf' ? 'DTMF' : 'hook'} input recovered`,
      };
  }
}
