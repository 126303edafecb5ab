/**
 * The studio page: the editor with `ringdown check`'s diagnostics as you type, the flow diagram
 * with the running command lit, and a phone that runs the menu on the same core and simulated
 * board as `ringdown sim`, on a real-time clock (as `ringdown tui` does). No UI framework: a few
 * elements updated by hand are all it needs.
 */
import { renderCall } from '../../../sim/render-wav.js';
import { SimClipLibrary } from '../../../sim/sim-clips.js';
import { encodeWav } from '../../../src/audio/wav.js';
import type { TraceEvent } from '../../../src/engine/trace.js';
import { PROFILES, type LineProfile } from '../../../src/line/profile.js';
import { checkClips } from '../../../src/ozml/check-clips.js';
import { formatDiagnostic, hasErrors } from '../../../src/ozml/diagnostic.js';
import { loadMenu } from '../../../src/ozml/load.js';
import { checkPhoneKeys } from '../../../src/ozml/check-board.js';
import type { Command, Menu } from '../../../src/ozml/menu.js';
import { formatTraceLine } from '../../trace-line.js';
import { RealTimeClock } from '../../../sim/realtime-clock.js';
import { CallSession } from '../../../sim/call-session.js';
import { flowSvg, layoutFlow, type Flow } from '../flow.js';
import type { StudioMenu } from '../protocol.js';
import { Editor } from './editor.js';
import { WebSpeaker } from './web-speaker.js';

/** What the browser test reads (and a curious person in the console). */
interface StudioHooks {
  readonly audioStarted: number;
  readonly speechStarted: number;
  trace: string[];
  lit: string | undefined;
  diagnostics: string[];
  notes: string[];
}

const KEYPAD = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

class Studio {
  readonly hooks: StudioHooks;
  private menu: Menu | undefined;
  private flow: Flow | undefined;
  private session: CallSession | undefined;
  private clock: RealTimeClock | undefined;
  private saved = '';
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly texts = new Map<string, string>();
  private readonly noted = new Set<string>();
  private readonly speaker = new WebSpeaker(
    (clip) => this.texts.get(clip),
    (message) => this.addNote(message),
  );
  private readonly editor = new Editor(element('source'), element('highlight'), element('gutter'), () => this.changed());

  constructor(private readonly info: StudioMenu) {
    const speaker = this.speaker;
    this.hooks = {
      get audioStarted() {
        return speaker.audioStarted;
      },
      get speechStarted() {
        return speaker.speechStarted;
      },
      trace: [],
      lit: undefined,
      diagnostics: [],
      notes: [],
    };
    element('file').textContent = info.saveable ? info.name : `${info.name} (example: read-only; name a file to save)`;
    this.editor.text = info.text;
    this.saved = info.text;
    element<HTMLButtonElement>('save').disabled = !info.saveable;
    if (info.clipDir === undefined) {
      this.addNote('no clip folder: every Speak is read by the browser\'s speech synthesis (make clips with ringdown clips MENU --out DIR)');
    }
    for (const name of Object.keys(info.durations)) void this.speaker.load(name);
    this.check();
    this.wire();
    this.refresh();
  }

  private wire(): void {
    element('save').addEventListener('click', () => void this.save());
    document.addEventListener('keydown', (e) => this.keydown(e));
    element('hook').addEventListener('click', () => this.act(() => this.toggleHook()));
    element('flash').addEventListener('click', () => this.act(() => this.sessionFor(false)?.flash()));
    element('ring').addEventListener('click', () => this.act(() => this.ring()));
    element('export').addEventListener('click', () => this.export());
    element('profile').addEventListener('change', () => this.refresh());
    const keypad = element('keypad');
    for (const key of KEYPAD) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = key;
      button.dataset['key'] = key;
      button.addEventListener('click', () => this.act(() => this.key(key)));
      keypad.append(button);
    }
    element('flow').addEventListener('click', (e) => {
      const node = (e.target as Element).closest('.node');
      const line = Number(node?.getAttribute('data-line') ?? 0);
      if (line > 0) this.showSource(line, Number(node?.getAttribute('data-col') ?? 1));
    });
    element('diagnostics').addEventListener('click', (e) => {
      const item = (e.target as Element).closest('li');
      const line = Number(item?.getAttribute('data-line') ?? 0);
      if (line > 0) this.editor.showLine(line, Number(item?.getAttribute('data-col') ?? 1));
    });
  }

  // --- the editor and the checker ---

  private changed(): void {
    element('status').textContent = this.editor.text === this.saved ? '' : 'edited';
    if (this.checkTimer !== undefined) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.check(), 150);
  }

  /** What `ringdown check NAME` says about the text in the editor. */
  private check(): void {
    const { info } = this;
    const result = loadMenu(this.editor.text, undefined, info.outputs);
    const diagnostics = result.diagnostics;
    if (result.menu !== undefined && info.clipDir !== undefined) {
      diagnostics.push(...checkClips(result.menu, { clips: info.catalog }, (name) => Object.hasOwn(info.durations, name), info.clipDir));
    }
    if (result.menu !== undefined && info.phone !== undefined) diagnostics.push(...checkPhoneKeys(result.menu, info.phone.name, info.phone.keys));
    diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
    const failed = hasErrors(diagnostics) || info.problems.length > 0;
    const list = element('diagnostics');
    list.replaceChildren();
    const lines: string[] = [];
    const add = (text: string, kind: string, at?: { line: number; col: number }): void => {
      const item = document.createElement('li');
      item.className = kind;
      item.textContent = text;
      if (at !== undefined) {
        item.dataset['line'] = String(at.line);
        item.dataset['col'] = String(at.col);
      }
      list.append(item);
      lines.push(text);
    };
    for (const problem of info.problems) add(problem, 'error');
    for (const d of diagnostics) add(formatDiagnostic(info.name, d), d.severity, d);
    if (!failed) add(`${info.name}: ok`, 'ok');
    this.hooks.diagnostics = lines;
    this.editor.setMarks(diagnostics.map((d) => ({ line: d.line, col: d.col, severity: d.severity, message: d.message })));
    const menu = hasErrors(diagnostics) ? undefined : result.menu;
    const flowPane = element('flow');
    flowPane.classList.toggle('stale', menu === undefined);
    flowPane.title = menu === undefined ? 'the last menu without errors: mend the errors to redraw' : '';
    if (menu === undefined) return;
    this.menu = menu;
    this.flow = layoutFlow(menu);
    flowPane.innerHTML = flowSvg(this.flow, info.name);
    this.light(this.hooks.lit);
  }

  private async save(): Promise<void> {
    const text = this.editor.text;
    const status = element('status');
    const response = await fetch('api/menu', { method: 'PUT', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text });
    if (!response.ok) {
      status.textContent = `not saved: ${(await response.text()).trim()}`;
      return;
    }
    this.saved = text;
    status.textContent = `saved ${this.info.name}`;
  }

  private showSource(line: number, col: number): void {
    const text = this.editor.text.split('\n')[line - 1] ?? '';
    const panel = element('source-line');
    panel.hidden = false;
    panel.textContent = `line ${line}: ${text.trim()}`;
    this.editor.showLine(line, col);
  }

  // --- the phone ---

  private get profile(): LineProfile {
    const name = element<HTMLSelectElement>('profile').value;
    return (Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined) ?? PROFILES['us']!;
  }

  /**
   * The call session: a new one (the menu as edited now, the chosen tones) whenever the phone is
   * idle with its handset down; the one in progress otherwise.
   */
  private sessionFor(lifting: boolean): CallSession | undefined {
    const current = this.session;
    const idle = current === undefined || (!current.offHook && current.lineState === 'idle');
    const stale = current === undefined || current.options.menu !== this.menu || current.options.profile !== this.profile;
    if (!(lifting && idle && stale) && current !== undefined) return current;
    if (this.menu === undefined) {
      element('status').textContent = 'mend the errors first: there is no menu to call';
      return undefined;
    }
    this.clock?.stop();
    const clock = new RealTimeClock({ onFired: () => this.refresh() });
    this.clock = clock;
    const info = this.info;
    const clips = new SimClipLibrary({ catalog: { clips: info.catalog }, durations: new Map(Object.entries(info.durations)) });
    this.session = new CallSession({
      menu: this.menu,
      clips,
      profile: this.profile,
      clock,
      speaker: this.speaker,
      onTrace: (event) => this.traced(event),
      onCommand: (command) => this.running(command),
    });
    if (current !== undefined) this.printTrace('--- a new call: the menu as it is now ---');
    return this.session;
  }

  /** A click or a key: wake the audio (browsers want a gesture), bring the clock to now, act. */
  private act(action: () => void): void {
    this.speaker.wake();
    this.clock?.sync();
    action();
    this.refresh();
  }

  private toggleHook(): void {
    this.sessionFor(this.session === undefined || !this.session.offHook)?.toggleHook();
  }

  private key(key: string): void {
    const session = this.session;
    if (session === undefined || !session.key(key)) {
      element('status').textContent = 'lift the handset first';
      return;
    }
    const button = element('keypad').querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    button?.classList.add('pressed');
    setTimeout(() => button?.classList.remove('pressed'), 150);
  }

  private ring(): void {
    const session = this.sessionFor(true);
    if (session !== undefined && !session.ring()) element('status').textContent = 'the handset is up: replace it to ring';
  }

  private traced(event: TraceEvent): void {
    switch (event.type) {
      case 'play':
        this.texts.set(event.clip, event.text);
        if (!this.speaker.clipSamples(event.clip) && !this.noted.has(event.clip)) {
          this.noted.add(event.clip);
          this.addNote(`no clip file ${event.clip}.wav: speech synthesis reads "${event.text}" (its length in the call is an estimate)`);
        }
        element('now-playing').textContent = `▶ ${event.text}`;
        break;
      case 'tone':
        element('now-playing').textContent = `▶ ${event.name} tone`;
        break;
      case 'play-cut':
      case 'tone-stop':
        element('now-playing').textContent = '';
        break;
      case 'ring':
        this.speaker.ring(this.profile.ring);
        break;
      case 'ring-stop':
        this.speaker.stopRing();
        break;
      case 'offhook':
        this.light('n-start');
        break;
      case 'onhook':
        this.light(undefined);
        element('now-playing').textContent = '';
        break;
      case 'hangup':
        if (event.reason === 'end') this.light('n-end');
        break;
      default:
        break;
    }
    this.printTrace(formatTraceLine(event));
  }

  private printTrace(line: string): void {
    this.hooks.trace.push(line);
    const pane = element('trace');
    pane.append(`${line}\n`);
    pane.scrollTop = pane.scrollHeight;
  }

  private running(command: Command): void {
    this.light(this.flow?.byCommand.get(command)?.id ?? `n-${command.line}-${command.col}`);
  }

  private light(id: string | undefined): void {
    this.hooks.lit = id;
    for (const lit of document.querySelectorAll('#flow .node.lit')) lit.classList.remove('lit');
    if (id === undefined) return;
    const node = document.getElementById(id);
    node?.classList.add('lit');
    node?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  private refresh(): void {
    const session = this.session;
    const up = session?.offHook === true;
    const hook = element('hook');
    hook.textContent = up ? 'Replace handset' : 'Lift handset';
    hook.classList.toggle('up', up);
    element('line-state').textContent = `${up ? 'handset up' : 'handset down'} · line ${session?.lineState ?? 'idle'}`;
    const outputs = session?.outputs;
    element('outputs').innerHTML = (outputs?.names ?? [])
      .map((name) => `<span class="${outputs?.read(name) === true ? 'on' : ''}">${name}: ${outputs?.read(name) === true ? 'on' : 'off'}</span>`)
      .join('');
  }

  private addNote(message: string): void {
    this.hooks.notes.push(message);
    const item = document.createElement('li');
    item.textContent = message;
    element('notes').append(item);
  }

  private keydown(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if ((e.ctrlKey || e.metaKey) && e.key === 's') {
      e.preventDefault();
      if (this.info.saveable) void this.save();
      return;
    }
    if (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
    const key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
    if (key === ' ' || key === 'Enter') this.act(() => this.toggleHook());
    else if (KEYPAD.includes(key)) this.act(() => this.key(key));
    else if (key === 'F') this.act(() => this.sessionFor(false)?.flash());
    else if (key === 'R') this.act(() => this.ring());
    else return;
    e.preventDefault();
  }

  // --- export ---

  /** The trace as `ringdown sim` prints it, and the call's audio as `--wav` writes it. */
  private export(): void {
    const session = this.session;
    const clock = this.clock;
    if (session === undefined || clock === undefined) {
      element('status').textContent = 'nothing to export: make a call first';
      return;
    }
    clock.sync();
    const now = clock.now();
    const text = [...session.trace, { t: now, type: 'end' } as const].map(formatTraceLine).join('\n');
    const segments = session.audio.segments.map((s) => ({ ...s, end: s.end ?? now }));
    const samples = renderCall({ segments, endMs: now, clip: (name) => this.speaker.clipSamples(name) });
    const base = (this.info.name.split(/[\\/]/).pop() ?? 'menu').replace(/\.xml$/i, '');
    download(`${base}-call.txt`, new Blob([`${text}\n`], { type: 'text/plain' }));
    download(`${base}-call.wav`, new Blob([new Uint8Array(encodeWav(samples))], { type: 'audio/wav' }));
    element('status').textContent = `exported ${base}-call.txt and ${base}-call.wav (clips without a file are silence there, as in sim --wav)`;
  }
}

function download(name: string, blob: Blob): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

async function start(): Promise<void> {
  const response = await fetch('api/menu');
  if (!response.ok) throw new Error(await response.text());
  const studio = new Studio((await response.json()) as StudioMenu);
  (window as unknown as { __studio: StudioHooks }).__studio = studio.hooks;
}

start().catch((e: unknown) => {
  document.body.textContent = `the studio could not start: ${e instanceof Error ? e.message : String(e)}`;
});
