/**
 * The menu editor: a plain textarea over a layer that draws the diagnostics at their line and
 * column (a wavy mark on the token there) and the line chosen in the diagram, with line numbers.
 */
export interface EditorMark {
  line: number;
  col: number;
  severity: 'error' | 'warning';
  message: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class Editor {
  private marks: EditorMark[] = [];
  private currentLine = 0;
  /** Set by Escape: the next Tab leaves the editor instead of indenting. */
  private tabLeaves = false;

  constructor(
    readonly source: HTMLTextAreaElement,
    private readonly highlight: HTMLElement,
    private readonly gutter: HTMLElement,
    onChange: () => void,
  ) {
    source.addEventListener('input', () => {
      this.currentLine = 0;
      this.render();
      onChange();
    });
    source.addEventListener('scroll', () => this.syncScroll());
    // Tab indents; Escape then Tab (or Shift-Tab) moves focus on as usual, so the keyboard is
    // never trapped in the editor (the convention CodeMirror follows).
    source.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.tabLeaves = true;
        return;
      }
      const leave = this.tabLeaves;
      this.tabLeaves = false;
      if (e.key !== 'Tab' || leave || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
      e.preventDefault();
      document.execCommand('insertText', false, '  ');
    });
    source.addEventListener('blur', () => {
      this.tabLeaves = false;
    });
  }

  get text(): string {
    return this.source.value;
  }

  set text(value: string) {
    this.source.value = value;
    this.render();
  }

  setMarks(marks: EditorMark[]): void {
    this.marks = marks;
    this.render();
  }

  /**
   * Scrolls a line into view and tints it. With `focus` (a diagnostic was chosen) the caret goes
   * there too; without it (a node of the diagram was chosen) focus stays where it is, so keys meant
   * for a call never land in the menu.
   */
  showLine(line: number, col = 1, focus = true): void {
    const lines = this.text.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
    const length = lines[line - 1]?.length ?? 0;
    if (focus) {
      this.source.focus({ preventScroll: true });
      this.source.setSelectionRange(offset + Math.min(col - 1, length), offset + Math.min(col - 1, length));
    }
    const lineHeight = parseFloat(getComputedStyle(this.source).lineHeight) || 18;
    this.source.scrollTop = Math.max(0, (line - 1) * lineHeight - this.source.clientHeight / 3);
    this.currentLine = line;
    this.render();
  }

  private render(): void {
    const lines = this.text.split('\n');
    const byLine = new Map<number, EditorMark[]>();
    for (const m of this.marks) byLine.set(m.line, [...(byLine.get(m.line) ?? []), m]);
    const html = lines.map((text, i) => {
      const marks = (byLine.get(i + 1) ?? []).slice().sort((a, b) => a.col - b.col);
      let out = '';
      let at = 0;
      for (const m of marks) {
        const start = Math.max(at, Math.min(m.col - 1, text.length));
        // The token the diagnostic points at: up to the next blank (at least one character).
        const rest = /^[^\s>]*>?/.exec(text.slice(start))![0];
        const end = start + Math.max(1, rest.length);
        out += escapeHtml(text.slice(at, start));
        const marked = text.slice(start, end);
        out += `<mark class="${m.severity}" data-line="${m.line}" data-col="${m.col}" title="${escapeHtml(m.message).replace(/"/g, '&quot;')}">${marked === '' ? ' ' : escapeHtml(marked)}</mark>`;
        at = Math.max(at, end);
      }
      out += escapeHtml(text.slice(at));
      return i + 1 === this.currentLine ? `<span class="current">${out === '' ? ' ' : out}</span>` : out;
    });
    this.highlight.innerHTML = `${html.join('\n')}\n `;
    const bad = new Set(this.marks.filter((m) => m.severity === 'error').map((m) => m.line));
    this.gutter.innerHTML = `${lines.map((_, i) => (bad.has(i + 1) ? `<span class="bad">${i + 1}</span>` : String(i + 1))).join('\n')}\n `;
    this.syncScroll();
  }

  private syncScroll(): void {
    this.highlight.scrollTop = this.source.scrollTop;
    this.highlight.scrollLeft = this.source.scrollLeft;
    this.gutter.scrollTop = this.source.scrollTop;
  }
}
