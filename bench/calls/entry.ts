/**
 * XS side of `npm run bench`: every operation the benchmark measures, as `globalThis.RB.*`, so
 * the Node side runs each one as its own XS crank and reads that crank's meters. Menu texts come
 * in as `globalThis.RINGDOWN_MENUS` (XS has no file system). Operations return nothing: the
 * crank's compute and heap are the result.
 */
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { parse as txmlParse } from 'txml/txml';
import { SimClipLibrary } from '../../sim/sim-clips.js';
import { SIM_OUTPUT_NAMES } from '../../sim/sim-outputs.js';
import { parseEvents } from '../../sim/events.js';
import { simulate } from '../../sim/simulate.js';
import { VirtualClock } from '../../sim/virtual-clock.js';
import type { AudioPlayer } from '../../hal/audio.js';
import type { Clock, TimerHandle } from '../../hal/clock.js';
import { Phone } from '../../src/engine/phone.js';
import { NORTH_AMERICA } from '../../src/line/profile.js';
import { loadMenu } from '../../src/ozml/load.js';
import type { Menu } from '../../src/ozml/menu.js';
import { parseXml } from '../../src/ozml/xml.js';

declare const globalThis: {
  RINGDOWN_MENUS?: Readonly<Record<string, string>>;
  RB?: Record<string, (...args: string[]) => unknown>;
};
declare const issueCommand: (message: ArrayBuffer) => ArrayBuffer;
declare const performance: { now(): number };

const CLIP_MS = 2000;

function text(path: string): string {
  const menu = globalThis.RINGDOWN_MENUS?.[path];
  if (menu === undefined) throw new Error(`menu ${path} was not injected`);
  return menu;
}

function menuOf(path: string): Menu {
  const loaded = loadMenu(text(path), undefined, SIM_OUTPUT_NAMES);
  if (loaded.menu === undefined) throw new Error(`${path} does not load: ${loaded.diagnostics[0]?.message}`);
  return loaded.menu;
}

function events(script: string) {
  const parsed = parseEvents(script);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/**
 * Audio that keeps no log (SimAudio records every segment, which would be the only thing growing
 * over 1,000 calls): a clip ends after its length, a tone plays until stopped.
 */
class QuietAudio implements AudioPlayer {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly clipMs: number,
  ) {}

  play(_clip: string, onEnd: () => void): void {
    this.stop();
    this.timer = this.clock.schedule(this.clipMs, () => {
      this.timer = undefined;
      onEnd();
    });
  }

  playTone(): void {
    this.stop();
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    this.timer = undefined;
  }
}

/** A phone that stays up across many calls, its trace counted and dropped, nothing logged. */
class LongRun {
  readonly clock = new VirtualClock();
  private readonly phone: Phone;
  events = 0;

  constructor(menu: Menu) {
    const clock = this.clock;
    const clips = new SimClipLibrary({ fixedMs: CLIP_MS });
    this.phone = new Phone({
      menu,
      clock,
      audio: new QuietAudio(clock, CLIP_MS),
      line: { disconnect: () => undefined },
      clips,
      profile: NORTH_AMERICA,
      trace: () => {
        this.events++;
      },
    });
  }

  /** One call: the script's events from now, run until nothing is pending. */
  call(script: ReturnType<typeof events>): void {
    for (const event of script) {
      this.clock.schedule(event.at, () => {
        if (event.what === 'key') this.phone.key(event.key);
        else if (event.what === 'offhook') this.phone.offHook();
        else if (event.what === 'onhook') this.phone.onHook();
        else this.phone.flash();
      });
    }
    while (this.clock.step()) {
      // every timer of the call
    }
  }
}

let longRun: LongRun | undefined;
let longScript: ReturnType<typeof events> = [];

globalThis.RB = {
  baseline(_path: string): void {},
  /** Ours, well-formedness and tree only; a malformed document ends in its positioned error. */
  parse(path: string): void {
    parseXml(text(path));
  },
  /** Ours, parse and check: a menu, or its positioned diagnostics. */
  parseCheck(path: string): void {
    loadMenu(text(path), undefined, SIM_OUTPUT_NAMES);
  },
  txml(path: string): void {
    txmlParse(text(path));
  },
  fastXmlParser(path: string): void {
    new XMLParser({ ignoreAttributes: false }).parse(text(path));
  },
  saxes(path: string): void {
    const parser = new SaxesParser({ position: true });
    let elements = 0;
    parser.on('opentag', () => {
      elements++;
    });
    parser.on('error', (error) => {
      throw error;
    });
    parser.write(text(path)).close();
    if (elements === 0) throw new Error(`${path}: saxes saw no element`);
  },
  call(path: string, script: string): void {
    const result = simulate({
      menu: menuOf(path),
      events: events(script),
      clips: new SimClipLibrary({ fixedMs: CLIP_MS }),
    });
    if (result.trace.some((e) => e.type === 'error')) throw new Error(`${path}: the call traced an error`);
  },
  startLongRun(path: string, script: string): void {
    longRun = new LongRun(menuOf(path));
    longScript = events(script);
  },
  /** `count` consecutive calls in one crank. */
  longCalls(count: string): void {
    for (let i = 0; i < Number(count); i++) longRun?.call(longScript);
  },
  /** Wall time of `op(path)`, mean over `runs` runs in µs, sent through `issueCommand`. */
  time(op: string, path: string, runs: string): void {
    const fn = globalThis.RB?.[op];
    if (fn === undefined) throw new Error(`no operation ${op}`);
    const n = Number(runs);
    const start = performance.now();
    for (let i = 0; i < n; i++) fn(path);
    const us = ((performance.now() - start) * 1000) / n;
    issueCommand(new TextEncoder().encode(String(us)).buffer as ArrayBuffer);
  },
};
