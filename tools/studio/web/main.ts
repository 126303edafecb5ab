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
import type { SaveConflict, StudioMenu } from '../protocol.js';
import { diffLines } from '../line-diff.js';
import { mountDeviceLink } from './device-link.js';
import { Editor } from './editor.js';
import { type SavedVersion, SaveHistory } from './history.js';
import { WebSpeaker } from './web-speaker.js';

/** What the browser test reads (and a curious person in the console). */
interface StudioHooks {
  readonly audioStarted: number;
  readonly speechStarted: number;
  trace: string[];
  lit: string | undefined;
  diagnostics: string[];
  notes: string[];
  /** The save history's versions, newest first (what the History panel lists). */
  readonly history: SavedVersion[];
}

/** Elements that take typed keys themselves: the phone's page-wide keys leave them alone. */
const TEXT_CONTROLS = 'input, select, textarea, [contenteditable]';

const KEYPAD = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

class Studio {
  readonly hooks: StudioHooks;
  /** The menu the editor's text makes, when it has no error: the only menu a call may run. */
  private menu: Menu | undefined;
  /** The first error in the editor's text, when there is one: why the handset refuses. */
  private firstError: string | undefined;
  private flow: Flow | undefined;
  private session: CallSession | undefined;
  private clock: RealTimeClock | undefined;
  private saved = '';
  /** The file's version this page holds (read or last saved): a Save must find it on disk. */
  private version = '';
  /** The version on disk when a Save was refused, and its text. */
  private onConflict: { version: string; text?: string } | undefined;
  /** The UserInputs the diagram shows folded, by node id: kept across edits and redraws. */
  private readonly folded = new Set<string>();
  /** The diagram's Tab stop (a node's id, or `fold ID`): kept across redraws. */
  private roving: string | undefined;
  /** The command the call runs now (the diagram lights its node, or the folded box it is under). */
  private runningCommand: Command | undefined;
  /** The diagram's scale: 1 draws its text at its own size (11-12 px), never smaller unless asked. */
  private zoom = 1;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  /** The versions each Save replaced, kept in this browser (none for the read-only example). */
  private readonly history: SaveHistory | undefined;
  /** The version chosen in the History panel. */
  private chosen: SavedVersion | undefined;
  private readonly texts = new Map<string, string>();
  private readonly noted = new Set<string>();
  private readonly speaker = new WebSpeaker(
    (clip) => this.texts.get(clip),
    (message) => this.addNote(message),
  );
  private readonly editor = new Editor(element('source'), element('highlight'), element('gutter'), () =>
    this.changed(),
  );

  constructor(private readonly info: StudioMenu) {
    const speaker = this.speaker;
    const history = info.saveable && info.path !== undefined ? new SaveHistory(info.path) : undefined;
    this.history = history;
    this.hooks = {
      get history() {
        return history?.list() ?? [];
      },
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
    this.version = info.version;
    element<HTMLButtonElement>('save').disabled = !info.saveable;
    element<HTMLButtonElement>('history-button').disabled = this.history === undefined;
    if (info.clipDir === undefined) {
      this.addNote(
        "no clip folder: every Speak is read by the browser's speech synthesis (make clips with ringdown clips MENU --out DIR)",
      );
    }
    for (const name of Object.keys(info.durations)) void this.speaker.load(name);
    this.check();
    this.wire();
    this.refresh();
    mountDeviceLink(element('device-link'), () => this.editor.text, download);
  }

  private wire(): void {
    element('save').addEventListener('click', () => void this.save());
    element('keep-mine').addEventListener('click', () => void this.save(this.onConflict?.version));
    element('load-theirs').addEventListener('click', () => {
      const theirs = this.onConflict;
      if (theirs?.text === undefined) return;
      this.editor.text = theirs.text;
      this.saved = theirs.text;
      this.version = theirs.version;
      element('conflict').hidden = true;
      this.changed();
      element('status').textContent = `loaded ${this.info.name} as it is on disk`;
    });
    element('history-button').addEventListener('click', () => this.toggleHistory());
    element('history-close').addEventListener('click', () => this.toggleHistory(false));
    element('versions').addEventListener('click', (e) => {
      const item = (e.target as Element).closest('button');
      const chosen = this.history?.list()[Number(item?.getAttribute('data-index') ?? -1)];
      if (chosen !== undefined) this.choose(chosen);
    });
    element('restore').addEventListener('click', () => this.restore());
    // Leaving the page (reload, close, another address) with unsaved edits asks first.
    window.addEventListener('beforeunload', (e) => {
      if (this.editor.text === this.saved) return;
      e.preventDefault();
      e.returnValue = '';
    });
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
      button.dataset.key = key;
      button.addEventListener('click', () => this.act(() => this.key(key)));
      keypad.append(button);
    }
    const flowPane = element('flow');
    flowPane.addEventListener('click', (e) => {
      const fold = (e.target as Element).closest('.fold');
      if (fold !== null) return this.fold(fold.getAttribute('data-node') ?? '');
      const node = (e.target as Element).closest('.node');
      if (node !== null) this.showNode(node.id);
    });
    flowPane.addEventListener('keydown', (e) => {
      const target = e.target as Element;
      // Arrow keys, Home and End move between the boxes and fold buttons: one Tab stop for the
      // whole diagram, however many commands the menu has.
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[e.key];
      if (step !== undefined && target.closest('.node, .fold') !== null) {
        e.preventDefault();
        this.moveInDiagram(target.closest('.node, .fold')!, step);
        return;
      }
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const fold = target.closest('.fold');
      const node = target.closest('.node');
      if (fold !== null) this.fold(fold.getAttribute('data-node') ?? '');
      else if (node !== null) this.showNode(node.id);
      else return;
      e.preventDefault();
    });
    // A node reached with Tab shows its whole text and its source line, as a click does.
    flowPane.addEventListener('focusin', (e) => {
      const item = (e.target as Element).closest('.node, .fold');
      if (item !== null) this.rove(item);
      const node = (e.target as Element).closest('.node');
      if (node !== null) this.showNode(node.id);
    });
    // Pan and zoom: the pane scrolls (wheel, arrow keys, dragging the background); Ctrl-wheel,
    // + and - zoom; Fit shows it whole, 100 % at its own size.
    flowPane.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey) return;
        e.preventDefault();
        this.zoomTo(this.zoom * (e.deltaY < 0 ? 1.2 : 1 / 1.2));
      },
      { passive: false },
    );
    flowPane.addEventListener('keydown', (e) => {
      if (e.key === '+' || e.key === '=') this.zoomTo(this.zoom * 1.2);
      else if (e.key === '-') this.zoomTo(this.zoom / 1.2);
      else return;
      e.preventDefault();
    });
    let drag: { x: number; y: number; left: number; top: number } | undefined;
    flowPane.addEventListener('pointerdown', (e) => {
      if ((e.target as Element).closest('.node, .fold') !== null || e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, left: flowPane.scrollLeft, top: flowPane.scrollTop };
    });
    window.addEventListener('pointermove', (e) => {
      if (drag === undefined) return;
      flowPane.scrollLeft = drag.left - (e.clientX - drag.x);
      flowPane.scrollTop = drag.top - (e.clientY - drag.y);
    });
    window.addEventListener('pointerup', () => {
      drag = undefined;
    });
    element('zoom-in').addEventListener('click', () => this.zoomTo(this.zoom * 1.2));
    element('zoom-out').addEventListener('click', () => this.zoomTo(this.zoom / 1.2));
    element('zoom-fit').addEventListener('click', () => {
      const flow = this.flow;
      if (flow === undefined) return;
      this.zoomTo(Math.min((flowPane.clientWidth - 8) / flow.width, (flowPane.clientHeight - 8) / flow.height, 1));
    });
    element('zoom-reset').addEventListener('click', () => this.zoomTo(1));
    element('diagnostics').addEventListener('click', (e) => {
      const item = (e.target as Element).closest('button');
      const line = Number(item?.getAttribute('data-line') ?? 0);
      if (line > 0) this.editor.showLine(line, Number(item?.getAttribute('data-col') ?? 1));
    });
  }

  // --- the editor and the checker ---

  private changed(): void {
    element('status').textContent = this.editor.text === this.saved ? '' : 'edited';
    if (this.chosen !== undefined && !element('history').hidden) this.choose(this.chosen);
    if (this.checkTimer !== undefined) clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.check(), 150);
  }

  /** What `ringdown check NAME` says about the text in the editor. */
  private check(): void {
    const { info } = this;
    const result = loadMenu(this.editor.text, undefined, info.outputs);
    const diagnostics = result.diagnostics;
    if (result.menu !== undefined && info.clipDir !== undefined) {
      // A missing clip is a warning here, not check's error: the browser speaks the prompt, so
      // new wording can be tried before its clip is made.
      const clips = checkClips(
        result.menu,
        { clips: info.catalog },
        (name) => Object.hasOwn(info.durations, name),
        info.clipDir,
      );
      diagnostics.push(
        ...clips.map((d) =>
          d.severity === 'error'
            ? { ...d, severity: 'warning' as const, message: `${d.message}: the browser speaks it` }
            : d,
        ),
      );
    }
    if (result.menu !== undefined && info.phone !== undefined)
      diagnostics.push(...checkPhoneKeys(result.menu, info.phone.name, info.phone.keys));
    diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
    const failed = hasErrors(diagnostics) || info.problems.length > 0;
    const list = element('diagnostics');
    list.replaceChildren();
    const lines: string[] = [];
    const add = (text: string, kind: string, at?: { line: number; col: number }): void => {
      const item = document.createElement('li');
      item.className = kind;
      if (at !== undefined) {
        // A button: reachable and operable from the keyboard, it puts the caret at the place.
        const go = document.createElement('button');
        go.type = 'button';
        go.textContent = text;
        go.dataset.line = String(at.line);
        go.dataset.col = String(at.col);
        item.append(go);
      } else {
        item.textContent = text;
      }
      list.append(item);
      lines.push(text);
    };
    for (const problem of info.problems) add(problem, 'error');
    for (const d of diagnostics) add(formatDiagnostic(info.name, d), d.severity, d);
    if (!failed) add(`${info.name}: ok`, 'ok');
    this.hooks.diagnostics = lines;
    this.editor.setMarks(
      diagnostics.map((d) => ({ line: d.line, col: d.col, severity: d.severity, message: d.message })),
    );
    const menu = hasErrors(diagnostics) ? undefined : result.menu;
    const first = diagnostics.find((d) => d.severity === 'error');
    this.firstError = first !== undefined ? formatDiagnostic(info.name, first) : undefined;
    this.menu = menu;
    const flowPane = element('flow');
    flowPane.classList.toggle('stale', menu === undefined);
    flowPane.title = menu === undefined ? 'the last menu without errors: mend the errors to redraw' : '';
    if (menu === undefined) return;
    this.draw(menu);
  }

  /** Lays out and draws the diagram of `menu`, its folded UserInputs folded, the lit node lit. */
  private draw(menu: Menu): void {
    const flowPane = element('flow');
    this.flow = layoutFlow(menu, { folded: this.folded });
    const opening = flowPane.querySelector('svg') === null;
    flowPane.innerHTML = flowSvg(this.flow, this.info.name, { foldButtons: true });
    this.zoomTo(this.zoom);
    // The first drawing opens on the call's start, centred: the menu reads down from there.
    if (opening) flowPane.scrollLeft = (flowPane.scrollWidth - flowPane.clientWidth) / 2;
    for (const node of flowPane.querySelectorAll<SVGGElement>('.node')) {
      node.setAttribute('tabindex', '-1');
      // Its name is its <title>: the whole text, where the drawn lines may be cut short.
      node.setAttribute('role', 'button');
    }
    const items = this.diagramItems();
    this.rove(items.find((item) => itemKey(item) === this.roving) ?? items[0]);
    // A call in progress lights its command's node, or the folded UserInput it is under.
    const running = this.session?.offHook === true ? this.runningCommand : undefined;
    this.light(running !== undefined ? (this.flow.byCommand.get(running)?.id ?? this.hooks.lit) : this.hooks.lit);
  }

  /** The diagram's boxes and fold buttons in reading order: each box, then its fold button. */
  private diagramItems(): Element[] {
    const pane = element('flow');
    return [...pane.querySelectorAll('.node')].flatMap((node) => {
      const fold = pane.querySelector(`.fold[data-node="${CSS.escape(node.id)}"]`);
      return fold !== null ? [node, fold] : [node];
    });
  }

  /** Makes `item` the diagram's one Tab stop (the others are reached with the arrow keys). */
  private rove(item: Element | undefined): void {
    if (item === undefined) return;
    for (const other of element('flow').querySelectorAll('.node[tabindex="0"], .fold[tabindex="0"]'))
      other.setAttribute('tabindex', '-1');
    item.setAttribute('tabindex', '0');
    this.roving = itemKey(item);
  }

  /** Moves focus `step` items on in the diagram (±Infinity: to the first or the last). */
  private moveInDiagram(from: Element, step: number): void {
    const items = this.diagramItems();
    const at = items.indexOf(from);
    const to =
      items[
        Math.max(0, Math.min(items.length - 1, Number.isFinite(step) ? at + step : step < 0 ? 0 : items.length - 1))
      ];
    if (to === undefined) return;
    this.rove(to);
    (to as SVGGElement).focus();
    reveal(element('flow'), to);
  }

  /** Folds the UserInput at node `id` to one box, or unfolds it; focus stays on its button. */
  private fold(id: string): void {
    if (this.menu === undefined) return;
    if (!this.folded.delete(id)) this.folded.add(id);
    this.draw(this.menu);
    element('flow')
      .querySelector<SVGGElement>(`.fold[data-node="${CSS.escape(id)}"]`)
      ?.focus();
  }

  /** Draws the diagram at `zoom` times its own size (between 1/20 and 4). */
  private zoomTo(zoom: number): void {
    this.zoom = Math.min(4, Math.max(0.05, zoom));
    const svg = element('flow').querySelector('svg');
    if (svg === null || this.flow === undefined) return;
    svg.setAttribute('width', String(Math.round(this.flow.width * this.zoom)));
    svg.setAttribute('height', String(Math.round(this.flow.height * this.zoom)));
    element('zoom-reset').textContent = `${Math.round(this.zoom * 100)} %`;
  }

  /**
   * Save: the editor's text replaces the file, but only if the file is still the version this page
   * read (or last saved). When it changed elsewhere the server refuses with both versions, and
   * the page offers either: keep mine (save over theirs) or load theirs.
   */
  private async save(over?: string): Promise<void> {
    const text = this.editor.text;
    const status = element('status');
    const headers = { 'content-type': 'text/plain; charset=utf-8', 'x-menu-version': over ?? this.version };
    const response = await fetch('api/menu', { method: 'PUT', headers, body: text });
    if (response.status === 409) {
      this.conflict((await response.json()) as SaveConflict);
      return;
    }
    if (!response.ok) {
      status.textContent = `not saved: ${(await response.text()).trim()}`;
      return;
    }
    this.version = ((await response.json()) as { version: string }).version;
    // The history keeps what this Save replaced: the file's text as last read or saved, or the
    // other version on disk when the user chose to save over it.
    const replaced = over !== undefined ? this.onConflict?.text : this.saved;
    const problem = replaced !== undefined && replaced !== text ? this.history?.keep(replaced, Date.now()) : undefined;
    if (problem !== undefined) this.addNote(problem);
    this.saved = text;
    element('conflict').hidden = true;
    status.textContent = `saved ${this.info.name}`;
    if (!element('history').hidden) this.showHistory();
  }

  // --- the save history ---

  private toggleHistory(open = element('history').hidden): void {
    const panel = element('history');
    panel.hidden = !open;
    element('history-button').setAttribute('aria-expanded', String(open));
    if (open) {
      this.showHistory();
      element('versions').querySelector('button')?.focus();
    } else {
      element('history-button').focus();
    }
  }

  /** Lists the kept versions, newest first, and shows the chosen one's differences. */
  private showHistory(): void {
    const versions = this.history?.list() ?? [];
    element('history-note').textContent =
      versions.length === 0
        ? `No earlier version of ${this.info.name} yet: each Save keeps the version it replaces, in this browser's storage (never in a file beside the menu).`
        : `The last ${versions.length} version${versions.length === 1 ? '' : 's'} of ${this.info.name} that a Save replaced, kept in this browser's storage (never in a file beside the menu). Choose one to compare it with the editor's text.`;
    const list = element('versions');
    list.replaceChildren(
      ...versions.map((v, i) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.index = String(i);
        button.setAttribute('aria-pressed', String(this.chosen?.time === v.time));
        button.textContent = `${new Date(v.time).toLocaleString()} · ${v.text.split('\n').length} lines`;
        item.append(button);
        return item;
      }),
    );
    const still = versions.find((v) => v.time === this.chosen?.time && v.text === this.chosen.text);
    if (still !== undefined) this.choose(still);
    else {
      this.chosen = undefined;
      element('diff').textContent = '';
      element('diff-legend').textContent = '';
      element<HTMLButtonElement>('restore').disabled = true;
    }
  }

  /** The differences from a kept version to the editor's text: − only in it, + only in the editor. */
  private choose(version: SavedVersion): void {
    this.chosen = version;
    const versions = this.history?.list() ?? [];
    for (const button of element('versions').querySelectorAll('button'))
      button.setAttribute('aria-pressed', String(versions[Number(button.dataset.index)]?.time === version.time));
    const diff = diffLines(version.text, this.editor.text);
    const changed = diff.filter((l) => l.kind !== 'same').length;
    element('diff-legend').textContent =
      changed === 0 ? 'the same as the editor' : `− only in that version, + only in the editor (${changed} lines)`;
    const pane = element('diff');
    const lines: HTMLElement[] = [];
    const line = (kind: string, text: string): void => {
      const span = document.createElement('span');
      span.className = kind;
      span.textContent = text;
      lines.push(span);
    };
    // Unchanged lines far from a change are shown as one line saying how many.
    const near = (i: number): boolean => diff.slice(Math.max(0, i - 2), i + 3).some((l) => l.kind !== 'same');
    // Two or more of them in a row, that is: a lone one is shown.
    let far: string[] = [];
    const flush = (): void => {
      if (far.length === 1) line('same', `  ${far[0]}`);
      else if (far.length > 1) line('skip', `  ⋯ ${far.length} unchanged lines`);
      far = [];
    };
    for (const [i, l] of diff.entries()) {
      if (l.kind === 'same' && !near(i)) {
        far.push(l.text);
        continue;
      }
      flush();
      line(l.kind, `${l.kind === 'del' ? '−' : l.kind === 'add' ? '+' : ' '} ${l.text}`);
    }
    flush();
    pane.replaceChildren(...lines);
    element<HTMLButtonElement>('restore').disabled = changed === 0;
  }

  /** Puts the chosen version in the editor, as an edit: Save writes it, like any other. */
  private restore(): void {
    const version = this.chosen;
    if (version === undefined) return;
    this.editor.text = version.text;
    this.changed();
    this.choose(version);
    element('status').textContent =
      `restored the version replaced at ${new Date(version.time).toLocaleString()}: Save to write it`;
  }

  private conflict(found: SaveConflict): void {
    element('status').textContent = `not saved: ${found.error}`;
    const panel = element('conflict');
    panel.hidden = false;
    element('conflict-message').textContent = `${found.error}. Your text is still in the editor.`;
    element('theirs').textContent = found.disk.text ?? '(not UTF-8: it cannot be shown)';
    element<HTMLButtonElement>('load-theirs').disabled = found.disk.text === undefined;
    this.onConflict = {
      version: found.disk.version,
      ...(found.disk.text !== undefined ? { text: found.disk.text } : {}),
    };
    element('keep-mine').focus();
  }

  /**
   * A node chosen in the diagram: its whole text and its source line in the details panel, the
   * line tinted in the editor. Focus stays in the diagram: the editor is never focused from here.
   */
  private showNode(id: string): void {
    const node = this.flow?.nodes.find((n) => n.id === id);
    if (node === undefined) return;
    const panel = element('source-line');
    panel.hidden = false;
    const where =
      node.line !== undefined ? `line ${node.line}: ${(this.editor.text.split('\n')[node.line - 1] ?? '').trim()}` : '';
    panel.textContent = [`${node.title}${node.detail !== '' ? `: ${node.detail}` : ''}`, where]
      .filter((l) => l !== '')
      .join('\n');
    if (node.line !== undefined) this.editor.showLine(node.line, node.col ?? 1, false);
  }

  // --- the phone ---

  private get profile(): LineProfile {
    const name = element<HTMLSelectElement>('profile').value;
    return (Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined) ?? PROFILES.us!;
  }

  /**
   * The call session: a new one (the menu as edited now, the chosen tones) whenever the phone is
   * idle with its handset down; the one in progress otherwise.
   */
  private sessionFor(lifting: boolean): CallSession | undefined {
    const current = this.session;
    const idle = current === undefined || (!current.offHook && current.lineState === 'idle');
    const stale =
      current === undefined || current.options.menu !== this.menu || current.options.profile !== this.profile;
    if (!(lifting && idle && stale) && current !== undefined) return current;
    if (this.menu === undefined) {
      // The call runs exactly the editor's text: with an error in it there is nothing to call.
      element('status').textContent = `the menu has errors, no call: ${this.firstError ?? 'mend them first'}`;
      return undefined;
    }
    this.clock?.stop();
    const clock = new RealTimeClock({ onFired: () => this.refresh() });
    this.clock = clock;
    const info = this.info;
    const clips = new SimClipLibrary({
      catalog: { clips: info.catalog },
      durations: new Map(Object.entries(info.durations)),
    });
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
    if (session !== undefined && !session.ring())
      element('status').textContent = 'the handset is up: replace it to ring';
  }

  private traced(event: TraceEvent): void {
    switch (event.type) {
      case 'play':
        this.texts.set(event.clip, event.text);
        if (!this.speaker.clipSamples(event.clip) && !this.noted.has(event.clip)) {
          this.noted.add(event.clip);
          this.addNote(
            `no clip file ${event.clip}.wav: speech synthesis reads "${event.text}" (its length in the call is an estimate)`,
          );
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
        this.runningCommand = undefined;
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
    this.runningCommand = command;
    this.light(this.flow?.byCommand.get(command)?.id ?? `n-${command.line}-${command.col}`);
  }

  private light(id: string | undefined): void {
    this.hooks.lit = id;
    for (const lit of document.querySelectorAll('#flow .node.lit')) lit.classList.remove('lit');
    if (id === undefined) return;
    const node = document.getElementById(id);
    if (node === null) return;
    node.classList.add('lit');
    reveal(element('flow'), node);
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
      .map(
        (name) =>
          `<span class="${outputs?.read(name) === true ? 'on' : ''}">${name}: ${outputs?.read(name) === true ? 'on' : 'off'}</span>`,
      )
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
    if (e.ctrlKey || e.metaKey || e.altKey || target.closest(TEXT_CONTROLS) !== null) return;
    const key = e.key.length === 1 ? e.key.toUpperCase() : e.key;
    // Space and Enter belong to a focused button (Save, a keypad key...); only with focus on no
    // control do they lift or replace the handset.
    const onControl = target.closest('button, a[href], [tabindex]') !== null;
    if (key === ' ' || key === 'Enter') {
      if (onControl) return;
      this.act(() => this.toggleHook());
    } else if (KEYPAD.includes(key)) this.act(() => this.key(key));
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
    // The recording ends at the call's last event (or the end of the last sound), not at the click:
    // exporting a minute after hanging up gives the same files as exporting right away.
    clock.sync();
    const last = Math.max(session.trace.at(-1)?.t ?? 0, ...session.audio.segments.map((s) => s.end ?? 0));
    const stillPlaying = session.audio.segments.some((s) => s.end === undefined);
    const endMs = stillPlaying ? clock.now() : last;
    const text = [...session.trace, { t: endMs, type: 'end' } as const].map(formatTraceLine).join('\n');
    const segments = session.audio.segments.map((s) => ({ ...s, end: s.end ?? endMs }));
    const samples = renderCall({ segments, endMs, clip: (name) => this.speaker.clipSamples(name) });
    const base = (this.info.name.split(/[\\/]/).pop() ?? 'menu').replace(/\.xml$/i, '');
    download(`${base}-call.txt`, new Blob([`${text}\n`], { type: 'text/plain' }));
    download(`${base}-call.wav`, new Blob([new Uint8Array(encodeWav(samples))], { type: 'audio/wav' }));
    element('status').textContent =
      `exported ${base}-call.txt and ${base}-call.wav (clips without a file are silence there, as in sim --wav)`;
  }
}

/** What names a diagram item across redraws: a node's id, or `fold ID` for its fold button. */
function itemKey(item: Element): string {
  return item.classList.contains('fold') ? `fold ${item.getAttribute('data-node')}` : item.id;
}

/**
 * Scrolls the diagram's pane (only it: never the page, so the keypad does not jump under a finger
 * on a phone) until the node is in view with a margin.
 */
function reveal(pane: HTMLElement, node: Element): void {
  const r = node.getBoundingClientRect();
  const p = pane.getBoundingClientRect();
  const margin = 24;
  if (r.top < p.top + margin) pane.scrollTop += r.top - p.top - margin;
  else if (r.bottom > p.bottom - margin) pane.scrollTop += r.bottom - p.bottom + margin;
  if (r.left < p.left + margin) pane.scrollLeft += r.left - p.left - margin;
  else if (r.right > p.right - margin) pane.scrollLeft += r.right - p.right + margin;
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
