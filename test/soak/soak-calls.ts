/**
 * The soak: thousands of simulated calls with random caller behaviour on long-lived phones, two
 * per menu (one given call events, one raw wire events through the line state machine: bouncing
 * hook contacts, dial pulses, DTMF, rings), as a device lives for months: every call goes through
 * the same Phone, its trace through the invariant checks (LineRig) and into a call log on
 * simulated flash. Pure (no Node,
 * no timers): the same code runs on XS (soak-entry.ts) and on Node.
 */
import { CallLog } from '../../src/calllog/call-log.js';
import { MemoryStore } from '../../src/calllog/memory-store.js';
import { CallRecorder } from '../../src/calllog/recorder.js';
import { loadMenuOrFallback } from '../../src/engine/fallback.js';
import { digitPulses, pulseTrain } from '../../src/line/rotary.js';
import { LineRig, type LineEvent } from './line-rig.js';

/** A small, fast, seeded generator (mulberry32): the same seed gives the same calls everywhere. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let x = this.state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

export interface SoakSummary {
  calls: number;
  /** Line events delivered (hook, flash, keys). */
  events: number;
  /** Virtual time simulated, ms. */
  virtualMs: number;
  /** Calls the log holds now (the ring keeps the newest). */
  logged: number;
  /** Breaches of the line invariants or log failures, the first few. */
  violations: string[];
}

const KEYS = '0123456789*#';
const MENU_KEYS = ['1', '2', '0', '#', '*'];
const CODES = ['1234#', '4321#', '12', '1*'];

interface Line {
  name: string;
  /** Raw wire events through the line state machine, or decided call events. */
  raw: boolean;
  rig: LineRig;
}

export class Soak {
  private readonly lines: Line[];
  private readonly random: Random;
  private readonly log = new CallLog(new MemoryStore(4096, 4));
  private readonly summary: SoakSummary = { calls: 0, events: 0, virtualMs: 0, logged: 0, violations: [] };

  /**
   * `menus`: name to OzML text (a text that does not load runs the fallback menu, as on the
   * device). Each menu gets two phones: one driven by call events, one by raw wire events.
   */
  constructor(menus: Readonly<Record<string, string>>, seed: number) {
    this.random = new Random(seed);
    this.lines = Object.entries(menus).flatMap(([name, text]) =>
      [false, true].map((raw) => {
        const recorder = new CallRecorder({
          callEnd: raw ? 'idle' : 'onhook',
          onRecord: (record) => {
            const stored = this.log.append(record);
            if (typeof stored === 'string') this.violation(stored);
          },
        });
        // Each line its own clip length, so prompts and keys meet at every relative moment.
        const rig = new LineRig({
          menu: loadMenuOrFallback({ text, file: name }).menu,
          clipMs: this.random.int(300, 4000),
          raw,
          onTrace: (e) => recorder.observe(e),
        });
        return { name: `${name}${raw ? ' (raw)' : ''}`, raw, rig };
      }),
    );
  }

  /** Runs `count` more calls; returns the running totals. */
  run(count: number): SoakSummary {
    for (let i = 0; i < count; i++) this.call();
    this.summary.logged = this.log.entries().length;
    this.summary.virtualMs = this.lines.reduce((sum, l) => sum + l.rig.clock.now(), 0);
    return { ...this.summary, violations: [...this.summary.violations] };
  }

  /** One call with random behaviour on a random line, from lifting the handset to putting it back. */
  private call(): void {
    const r = this.random;
    const line = r.pick(this.lines);
    const rig = line.rig;
    let at = rig.clock.now() + r.int(0, 60_000);
    const send = (event: LineEvent, after = 0): void => {
      rig.advanceTo(at);
      rig.deliver(event);
      this.summary.events++;
      at += after;
    };
    /** A hook level change; on a raw line with 0-3 contact bounces 1-3 ms apart first. */
    const level = (offHook: boolean): void => {
      const bounces = r.int(0, 3);
      for (let b = 0; b < bounces; b++) {
        send({ what: 'hook', offHook }, r.int(1, 3));
        send({ what: 'hook', offHook: !offHook }, r.int(1, 3));
      }
      send({ what: 'hook', offHook });
    };
    const lift = (): void => (line.raw ? level(true) : send({ what: 'offhook' }));
    const hangUp = (): void => (line.raw ? level(false) : send({ what: 'onhook' }));
    const key = (k: string): void => {
      if (!line.raw) return send({ what: 'key', key: k });
      const pulses = digitPulses(k);
      if (pulses === undefined || r.next() < 0.6) return send({ what: 'dtmf', key: k });
      // Dialled: pulses at 8-12 pps, then the loop stays closed until the digit is decided.
      const train = pulseTrain(pulses, { pulsesPerSecond: r.int(8, 12), breakRatio: 0.6 });
      const start = at;
      for (const c of train) {
        at = start + c.atMs;
        send({ what: 'hook', offHook: c.offHook });
      }
      at += 400;
    };
    const flash = (): void => {
      if (!line.raw) return send({ what: 'flash' });
      send({ what: 'hook', offHook: false }, r.int(300, 1100));
      send({ what: 'hook', offHook: true });
    };

    if (line.raw && r.next() < 0.25) {
      // The phone rings first (a doorbell); the caller answers after 0-8 s, or it rings out.
      send({ what: 'ring' }, r.int(0, r.next() < 0.1 ? 40_000 : 8000));
    }
    lift();
    const actions = r.int(0, 8);
    for (let a = 0; a < actions; a++) {
      const roll = r.next();
      at += r.int(0, roll < 0.3 ? 400 : 8000);
      if (roll < 0.55) key(r.pick(MENU_KEYS));
      else if (roll < 0.7) key(r.pick(KEYS.split('')));
      else if (roll < 0.8) {
        for (const k of r.pick(CODES)) {
          key(k);
          at += r.int(80, 900);
        }
      } else if (roll < 0.86) flash();
      else if (roll < 0.9) {
        // A key storm: a stuck button or a child, a few hundred keys a second.
        const n = r.int(20, 300);
        for (let k = 0; k < n; k++)
          send(
            line.raw ? { what: 'dtmf', key: r.pick(MENU_KEYS) } : { what: 'key', key: r.pick(MENU_KEYS) },
            r.int(1, 8),
          );
      } else if (roll < 0.93) {
        // A redundant off-hook, a ring while off-hook, or a crackle on the line (a 1-12 ms break).
        if (!line.raw) send({ what: 'offhook' });
        else if (r.next() < 0.5) send({ what: 'ring' });
        else {
          send({ what: 'hook', offHook: false }, r.int(1, 12));
          send({ what: 'hook', offHook: true });
        }
      } else at += r.int(10_000, 90_000);
    }
    if (r.next() < 0.15) {
      // The handset left off the hook: the menu must end in the reorder tone by itself.
      rig.settle();
      at = rig.clock.now() + r.int(0, 30_000);
    } else {
      at += r.int(0, 20_000);
    }
    hangUp();
    if (!line.raw && r.next() < 0.05) hangUp();
    // Whatever outlives the call (the flash window, an output pulse) runs out before the next one.
    rig.settle();
    rig.forgetBoardHistory();
    this.summary.calls++;
    for (const v of rig.violations.splice(0)) this.violation(`${line.name}: ${v}`);
    rig.checker.violations.length = 0;
  }

  private violation(message: string): void {
    if (this.summary.violations.length < 20) this.summary.violations.push(message);
  }
}
