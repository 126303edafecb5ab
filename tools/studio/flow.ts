/**
 * A menu drawn as a flow diagram: the commands in order from top to bottom, each UserInput's
 * prompts under it and its keys as branches side by side, then what follows. NoInput, NoMatch
 * and Failed are branches too; a retry, a repeat and a BackKey are dashed edges back up to the
 * UserInput they start again. Pure (no DOM, no Node): `ringdown graph` writes the SVG to a file,
 * the studio page puts the same SVG on screen and lights up the node of the running command
 * (each node's id is `n-LINE-COL`, the command's position in the source).
 */
import { type Command, type Menu, type UserInputCommand, walkCommands } from '../../src/ozml/menu.js';

export type NodeKind = 'start' | 'end' | 'delay' | 'speak' | 'userinput' | 'output' | 'hangup' | 'junction';

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FlowNode {
  id: string;
  kind: NodeKind;
  /** First line: what the node is. */
  title: string;
  /** Second line: its detail (the text spoken, the timeout...). */
  detail: string;
  /** Source position of the command (start and end: none). */
  line?: number;
  col?: number;
  /** A UserInput drawn with its prompt and branches: the studio can fold it to one box. */
  foldable?: boolean;
  /** A UserInput drawn folded: one box standing for it and everything under it. */
  folded?: boolean;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FlowEdge {
  from: FlowNode;
  to: FlowNode;
  /** next: on to the following command; branch: a key or an outcome; back: starts a UserInput again. */
  kind: 'next' | 'branch' | 'back';
  label?: string;
  /** A back edge's route, corner by corner: around every box, into the left side of `to`. */
  route?: Point[];
  /** Where a back edge's label is drawn: on a row no other label or node uses. */
  labelBox?: Box;
}

export interface Flow {
  nodes: FlowNode[];
  /** The node of each command (a Play with Repeat is several commands at one position). */
  byCommand: Map<Command, FlowNode>;
  edges: FlowEdge[];
  width: number;
  height: number;
}

export interface LayoutOptions {
  /** The ids (`n-LINE-COL`) of UserInputs to draw folded, as one box. */
  folded?: ReadonlySet<string>;
}

const NODE_W = 212;
const NODE_H = 40;
const JUNCTION = 12;
const GAP_Y = 26;
const BRANCH_GAP_Y = 44;
const GAP_X = 22;
const MARGIN = 16;
const CHAR_W = 6.6;
/** Between two lanes (the vertical runs of back edges) on a UserInput's left. */
const LANE = 12;
/** A row of its own for each back edge's label: a label is 16 px high. */
const ROW = 20;
const LABEL_H = 16;
/** Between two back edges leaving one column for the UserInput above it. */
const STRIP = 6;

interface Block {
  w: number;
  h: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  entry: FlowNode;
  /** Nodes from which the flow goes on to whatever follows the block. */
  exits: FlowNode[];
  /** BackKey edges to the enclosing UserInput: it routes them, knowing where its columns are. */
  pending: FlowEdge[];
}

class Builder {
  private junctions = 0;
  private readonly ids = new Set<string>();
  readonly byCommand = new Map<Command, FlowNode>();

  constructor(private readonly folded: ReadonlySet<string>) {}

  node(kind: NodeKind, title: string, detail: string, at?: { line: number; col: number }): FlowNode {
    let id =
      at !== undefined ? `n-${at.line}-${at.col}` : `n-${kind}${kind === 'junction' ? `-${++this.junctions}` : ''}`;
    for (let n = 2; this.ids.has(id); n++) id = `${id.replace(/~\d+$/, '')}~${n}`;
    this.ids.add(id);
    const small = kind === 'junction';
    const node: FlowNode = {
      id,
      kind,
      title,
      detail,
      x: 0,
      y: 0,
      w: small ? JUNCTION : NODE_W,
      h: small ? JUNCTION : NODE_H,
    };
    if (at !== undefined) {
      node.line = at.line;
      node.col = at.col;
    }
    return node;
  }

  single(node: FlowNode): Block {
    return {
      w: node.w,
      h: node.h,
      nodes: [node],
      edges: [],
      entry: node,
      exits: node.kind === 'hangup' ? [] : [node],
      pending: [],
    };
  }

  command(c: Command, parent: FlowNode | undefined): Block {
    const block = this.commandBlock(c, parent);
    this.byCommand.set(c, block.entry);
    return block;
  }

  private commandBlock(c: Command, parent: FlowNode | undefined): Block {
    switch (c.kind) {
      case 'delay':
        return this.single(this.node('delay', 'Delay', `${seconds(c.ms)}`, c));
      case 'speak':
        return this.single(
          this.node(
            'speak',
            c.callId !== undefined ? 'Speak (other call: skipped)' : c.clip !== undefined ? `Clip ${c.clip}` : 'Speak',
            `“${c.text}”`,
            c,
          ),
        );
      case 'hangup':
        return this.single(
          this.node(
            c.callId !== undefined ? 'speak' : 'hangup',
            c.callId !== undefined ? 'Hangup (other call: skipped)' : 'Hangup',
            'then the reorder tone',
            c,
          ),
        );
      case 'output':
        return this.single(
          this.node(
            'output',
            `Output ${c.name}`,
            c.pulseMs !== undefined ? `pulse ${seconds(c.pulseMs)}` : c.on ? 'on' : 'off',
            c,
          ),
        );
      case 'userinput':
        return this.userInput(c, parent);
      case 'record': {
        const ends = [`up to ${seconds(c.maxMs)}`];
        if (c.inactivityMs > 0) ends.push(`${seconds(c.inactivityMs)} silence`);
        if (c.finishDigits !== '') ends.push(`key ${c.finishDigits}`);
        const title = `${c.beep ? 'Beep, record' : 'Record'} ${c.clip ? `clip ${c.file}` : c.file}`;
        return this.single(this.node('delay', title, ends.join(', '), c));
      }
    }
  }

  /** Commands one after another, each block centred in the widest. */
  sequence(commands: readonly Command[], parent: FlowNode | undefined): Block | undefined {
    const blocks = commands.map((c) => this.command(c, parent));
    const first = blocks[0];
    if (first === undefined) return undefined;
    const w = Math.max(...blocks.map((b) => b.w));
    const out: Block = { w, h: 0, nodes: [], edges: [], entry: first.entry, exits: [], pending: [] };
    let y = 0;
    let previous: Block | undefined;
    for (const b of blocks) {
      shift(b, (w - b.w) / 2, y);
      out.nodes.push(...b.nodes);
      out.edges.push(...b.edges);
      out.pending.push(...b.pending);
      if (previous !== undefined)
        for (const exit of previous.exits) out.edges.push({ from: exit, to: b.entry, kind: 'next' });
      y += b.h + GAP_Y;
      previous = b;
    }
    out.h = y - GAP_Y;
    out.exits = previous!.exits;
    return out;
  }

  /**
   * A UserInput: its box, its prompt under it, then its branches side by side. The edges back up
   * to it run in lanes on its left, one lane each, reached along rows of their own (between the
   * prompt and the branches for a BackKey, under the branches for a loop), so they pass no box
   * and each label sits on its own row.
   */
  userInput(c: UserInputCommand, parent: FlowNode | undefined): Block {
    const head = this.node('userinput', 'UserInput', inputDetail(c), c);
    const pending: FlowEdge[] = [];
    if (c.backKey !== undefined && parent !== undefined)
      pending.push({ from: head, to: parent, kind: 'back', label: `back: ${keyName(c.backKey)}` });
    if (this.folded.has(head.id)) return this.foldedInput(c, head, pending);
    head.foldable = true;
    const nodes: FlowNode[] = [head];
    const edges: FlowEdge[] = [];
    const prompt = this.sequence(c.initial, head);
    // The branches fan out from where the prompt ends (its last box, even a Hangup: nothing below
    // it is in the way). The retry starts from that box when the prompt ends in a plain one (its
    // side is clear), else from the head.
    const last = prompt?.nodes.at(-1);
    const fan = prompt === undefined ? head : (prompt.exits[0] ?? last!);
    const retryFrom = prompt?.exits.length === 1 && prompt.exits[0] === last ? last! : head;
    // The branches: each a column under the prompt, labelled with its key or its outcome.
    const columns: { label: string; block: Block; loops: boolean }[] = [];
    const column = (label: string, commands: readonly Command[] | undefined, loops: boolean): void => {
      let block = commands !== undefined ? this.sequence(commands, head) : undefined;
      if (block === undefined) {
        // No commands: a dot in a column as wide as its label, where the flow goes on.
        block = this.single(this.node('junction', label, ''));
        block.w = Math.max(JUNCTION, labelWidth(label));
        block.nodes[0]!.x = (block.w - JUNCTION) / 2;
      }
      columns.push({ label, block, loops });
    };
    for (const input of c.inputs) column(keyName(input.key), input.commands, false);
    if (c.noInput.length > 0) column('no input', c.noInput, true);
    if (c.noMatch.length > 0) column('wrong key', c.noMatch, true);
    if (c.failed !== undefined) column(`failed`, c.failed, false);
    else column(c.maxNoInput > 1 ? `no key ×${c.maxNoInput}` : 'no key', undefined, false);
    // One retry edge for both outcomes that start the prompt again with nothing played first.
    const retries: string[] = [];
    if (c.maxNoInput > 1 && c.noInput.length === 0) retries.push('no key');
    if (c.maxNoMatch !== undefined && c.maxNoMatch > 1 && c.noMatch.length === 0) retries.push('wrong key');
    const retry: FlowEdge | undefined =
      retries.length > 0
        ? { from: retryFrom, to: head, kind: 'back', label: `${retries.join(' or ')}: again` }
        : undefined;
    const loops: FlowEdge[] = [];
    const keyBacks: { edge: FlowEdge; column: number; nth: number }[] = [];
    for (const [i, col] of columns.entries()) {
      if (col.loops)
        for (const exit of col.block.exits) loops.push({ from: exit, to: head, kind: 'back', label: 'again' });
      for (const [nth, edge] of col.block.pending.entries()) keyBacks.push({ edge, column: i, nth });
    }
    const promptBacks = prompt?.pending ?? [];
    // Lanes from the inside out: the retry, BackKeys from the prompt, BackKeys from the branches,
    // loops; the lower an edge's row, the further out its lane, so the lanes do not cross.
    const lanes = [...(retry !== undefined ? [retry] : []), ...promptBacks, ...keyBacks.map((k) => k.edge), ...loops];
    const laneX = new Map(lanes.map((edge, i) => [edge, lanes.length * LANE - i * LANE]));
    const laneArea = lanes.length > 0 ? lanes.length * LANE + 6 : 0;
    const strips = (i: number): number => keyBacks.filter((k) => k.column === i).length;
    const gapBefore = columns.map((_, i) => (i === 0 ? 0 : Math.max(GAP_X, STRIP * strips(i) + 10)));
    const rowW = columns.reduce((sum, col, i) => sum + col.block.w + gapBefore[i]!, 0);
    const contentW = Math.max(NODE_W, rowW, prompt?.w ?? 0);
    const left = laneArea + (strips(0) > 0 ? STRIP * strips(0) + 6 : 0);
    // Head and prompt are centred over the branches.
    head.x = left + (contentW - NODE_W) / 2;
    let y = head.h;
    if (prompt !== undefined) {
      shift(prompt, left + (contentW - prompt.w) / 2, y + GAP_Y);
      nodes.push(...prompt.nodes);
      edges.push(...prompt.edges, { from: head, to: prompt.entry, kind: 'next' });
      y += GAP_Y + prompt.h;
    }
    const fanBottom = y;
    const top = fanBottom + keyBacks.length * ROW + BRANCH_GAP_Y;
    let x = left + (contentW - rowW) / 2;
    const columnLeft: number[] = [];
    const exits: FlowNode[] = [];
    let bottom = y;
    for (const [i, col] of columns.entries()) {
      x += gapBefore[i]!;
      columnLeft.push(x);
      shift(col.block, x, top);
      x += col.block.w;
      nodes.push(...col.block.nodes);
      edges.push(...col.block.edges, { from: fan, to: col.block.entry, kind: 'branch', label: col.label });
      if (!col.loops) exits.push(...col.block.exits);
      bottom = Math.max(bottom, top + col.block.h);
    }
    // Room on the left of the retry's and the prompt's BackKeys' labels, which sit beside their box.
    const beside = [
      ...(retry !== undefined ? [{ edge: retry, from: retryFrom }] : []),
      ...promptBacks.map((edge) => ({ edge, from: edge.from })),
    ];
    const room = Math.max(
      0,
      ...beside.map(({ edge, from }) => labelWidth(edge.label ?? '') + 12 - (from.x - laneX.get(edge)! - 6)),
    );
    if (room > 0) shift({ nodes, edges }, Math.ceil(room), 0);
    // As much room on the right as the lanes take on the left: the head stays in the block's
    // middle, so the edge into it from the command above runs straight down.
    const w = 2 * (left + Math.ceil(room)) + contentW;
    const into = head.y + head.h / 2;
    const enter = (edge: FlowEdge, start: Point, via: Point[]): void => {
      const lane = laneX.get(edge)!;
      const last = via.at(-1) ?? start;
      edge.route = [start, ...via, { x: lane, y: last.y }, { x: lane, y: into }, { x: head.x, y: into }];
    };
    /** A label on its own row at height `y`: between the lane and `right` when it fits, else in the block. */
    const labelOn = (edge: FlowEdge, rowY: number, right: number): void => {
      const lw = labelWidth(edge.label ?? '');
      const lane = laneX.get(edge)!;
      const lx = right - lane - 12 >= lw ? lane + (right - lane - lw) / 2 : Math.min(right + 6, w - lw);
      edge.labelBox = { x: Math.round(Math.max(0, lx)), y: Math.round(rowY - LABEL_H / 2), w: lw, h: LABEL_H };
    };
    if (retry !== undefined) {
      const start = { x: retryFrom.x, y: retryFrom === head ? head.y + head.h - 8 : retryFrom.y + retryFrom.h / 2 };
      enter(retry, start, []);
      labelOn(retry, start.y, retryFrom.x);
    }
    for (const edge of promptBacks) {
      const start = { x: edge.from.x, y: edge.from.y + 10 };
      enter(edge, start, []);
      labelOn(edge, start.y, edge.from.x);
    }
    for (const [k, { edge, column, nth }] of keyBacks.entries()) {
      const start = { x: edge.from.x, y: edge.from.y + 10 };
      const strip = columnLeft[column]! - STRIP * (nth + 1);
      const rowY = fanBottom + 12 + ROW * k;
      enter(edge, start, [
        { x: strip, y: start.y },
        { x: strip, y: rowY },
      ]);
      labelOn(edge, rowY, strip);
    }
    for (const [k, edge] of loops.entries()) {
      const drop = edge.from.x + edge.from.w / 2;
      const start = { x: drop, y: edge.from.y + edge.from.h };
      const rowY = bottom + 14 + ROW * k;
      enter(edge, start, [{ x: drop, y: rowY }]);
      labelOn(edge, rowY, drop);
    }
    edges.push(...lanes);
    const h = loops.length > 0 ? bottom + 6 + ROW * loops.length + 4 : bottom;
    return { w, h, nodes, edges, entry: head, exits, pending };
  }

  /** A folded UserInput: one box; every command under it is shown running there. */
  private foldedInput(c: UserInputCommand, head: FlowNode, pending: FlowEdge[]): Block {
    head.folded = true;
    const under: Command[] = [];
    const lists = [c.initial, ...c.inputs.map((i) => i.commands), c.noInput, c.noMatch, c.failed ?? []];
    walkCommands(lists.flat(), (command) => under.push(command));
    for (const command of under) this.byCommand.set(command, head);
    head.title = 'UserInput ▸ folded';
    const keys = `${c.inputs.length} key${c.inputs.length === 1 ? '' : 's'}`;
    head.detail = `${keys}, ${under.length} command${under.length === 1 ? '' : 's'} · ${inputDetail(c)}`;
    return { ...this.single(head), pending };
  }
}

function shift(block: { nodes: FlowNode[]; edges: FlowEdge[] }, dx: number, dy: number): void {
  for (const n of block.nodes) {
    n.x += dx;
    n.y += dy;
  }
  for (const e of block.edges) {
    if (e.route !== undefined) e.route = e.route.map((p) => ({ x: p.x + dx, y: p.y + dy }));
    if (e.labelBox !== undefined) e.labelBox = { ...e.labelBox, x: e.labelBox.x + dx, y: e.labelBox.y + dy };
  }
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

function keyName(key: string): string {
  return key === 'F' ? 'flash' : key;
}

function inputDetail(c: UserInputCommand): string {
  const parts = [`timeout ${seconds(c.timeoutMs)}`];
  if (c.repeat) parts.push('repeat');
  if (c.multiDigit)
    parts.push(c.minDigits === c.maxDigits ? `${c.maxDigits} digits` : `${c.minDigits}–${c.maxDigits} digits`);
  if (c.multiDigit && c.terminator !== '') parts.push(`${c.terminator} ends`);
  return parts.join(' · ');
}

/** Lays out the whole menu: a start node, the commands, and the end of the menu (a hang-up). */
export function layoutFlow(menu: Menu, options: LayoutOptions = {}): Flow {
  const builder = new Builder(options.folded ?? new Set());
  const start = builder.node('start', 'Call', 'handset lifted');
  const end = builder.node('end', 'End of menu', 'hang up');
  const body = builder.sequence(menu.commands, undefined);
  const w = Math.max(NODE_W, body?.w ?? 0);
  const nodes = [start];
  const edges: FlowEdge[] = [];
  start.x = (w - NODE_W) / 2;
  let y = NODE_H + GAP_Y;
  let exits = [start];
  if (body !== undefined) {
    shift(body, (w - body.w) / 2, y);
    nodes.push(...body.nodes);
    edges.push({ from: start, to: body.entry, kind: 'next' }, ...body.edges);
    y += body.h + GAP_Y;
    exits = body.exits;
  }
  end.x = (w - NODE_W) / 2;
  end.y = y;
  if (exits.length > 0) {
    nodes.push(end);
    for (const exit of exits) edges.push({ from: exit, to: end, kind: 'next' });
    y += NODE_H;
  } else {
    y -= GAP_Y;
  }
  // Whole pixels: the same menu gives the same bytes on any machine.
  shift({ nodes, edges }, MARGIN, MARGIN);
  for (const n of nodes) {
    n.x = Math.round(n.x);
    n.y = Math.round(n.y);
  }
  for (const e of edges) {
    if (e.route !== undefined) e.route = e.route.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) }));
    if (e.labelBox !== undefined)
      e.labelBox = { ...e.labelBox, x: Math.round(e.labelBox.x), y: Math.round(e.labelBox.y) };
  }
  return {
    nodes,
    byCommand: builder.byCommand,
    edges,
    width: Math.round(w + 2 * MARGIN),
    height: Math.round(y + 2 * MARGIN),
  };
}

/** Text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Cuts a line to what fits in `width` pixels, with an ellipsis. */
function fit(text: string, width: number): string {
  const max = Math.floor(width / CHAR_W);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function labelWidth(text: string): number {
  return Math.round(text.length * 6.2 + 10);
}

function label(x: number, y: number, text: string, kind: string): string {
  const w = labelWidth(text);
  return `<g class="label ${kind}"><rect x="${Math.round(x - w / 2)}" y="${y - 8}" width="${w}" height="16" rx="8"/><text x="${x}" y="${y + 4}">${escapeXml(text)}</text></g>`;
}

/** An edge's path, and its label drawn apart (labels go on top of every node and edge). */
function edgeSvg(e: FlowEdge): { path: string; label: string } {
  const { from, to } = e;
  const data = `data-from="${from.id}" data-to="${to.id}"${e.label !== undefined ? ` data-label="${escapeXml(e.label)}"` : ''}`;
  if (e.route !== undefined) {
    // A back edge: dashed, along its route around the boxes, its label on its own row.
    const [first, ...rest] = e.route;
    let path = `M${first!.x} ${first!.y}`;
    let at = first!;
    for (const p of rest) {
      path += p.x === at.x ? ` V${p.y}` : p.y === at.y ? ` H${p.x}` : ` L${p.x} ${p.y}`;
      at = p;
    }
    const box = e.labelBox;
    return {
      path: `<g class="edge ${e.kind}" ${data}><path d="${path}" marker-end="url(#arrow)"/></g>`,
      label:
        box !== undefined && e.label !== undefined
          ? `<g class="label ${e.kind}"><rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="8"/><text x="${box.x + box.w / 2}" y="${box.y + 12}">${escapeXml(e.label)}</text></g>`
          : '',
    };
  }
  const fx = Math.round(from.x + from.w / 2);
  const tx = Math.round(to.x + to.w / 2);
  const fy = from.y + from.h;
  const ty = to.y;
  const bus = e.kind === 'branch' ? ty - 30 : ty - 12;
  const path = fx === tx ? `M${fx} ${fy} V${ty}` : `M${fx} ${fy} V${bus} H${tx} V${ty}`;
  const text = e.label !== undefined ? label(tx, ty - 14, e.label, e.kind) : '';
  return { path: `<g class="edge ${e.kind}" ${data}><path d="${path}" marker-end="url(#arrow)"/></g>`, label: text };
}

function nodeSvg(n: FlowNode): string {
  const data = `id="${n.id}" class="node ${n.kind}${n.folded === true ? ' folded' : ''}"${n.line !== undefined ? ` data-line="${n.line}" data-col="${n.col}"` : ''}`;
  const where = n.line !== undefined ? ` (line ${n.line})` : '';
  const tip = `<title>${escapeXml(`${n.title}${n.detail !== '' ? `: ${n.detail}` : ''}${where}`)}</title>`;
  if (n.kind === 'junction') {
    return `<g ${data}>${tip}<circle cx="${n.x + n.w / 2}" cy="${n.y + n.h / 2}" r="${n.w / 2 - 2}"/></g>`;
  }
  const rx = n.kind === 'start' || n.kind === 'end' ? 20 : 6;
  return (
    `<g ${data}>${tip}<rect x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" rx="${rx}"/>` +
    `<text class="title" x="${n.x + 10}" y="${n.y + 16}">${escapeXml(fit(n.title, n.w - (n.foldable || n.folded ? 44 : 20)))}</text>` +
    `<text class="detail" x="${n.x + 10}" y="${n.y + 32}">${escapeXml(fit(n.detail, n.w - 20))}</text></g>`
  );
}

/**
 * The studio's button that folds a UserInput (and all under it) to one box, or unfolds it: in the
 * box's top right corner, a sibling of the node's group (a button inside a button is no button).
 */
function foldSvg(n: FlowNode): string {
  const open = n.folded !== true;
  const what = `the sub-menu at line ${n.line}`;
  return (
    `<g class="fold" data-node="${n.id}" tabindex="0" role="button" aria-expanded="${open}" aria-label="${open ? 'Fold' : 'Unfold'} ${what}">` +
    `<title>${open ? 'Fold' : 'Unfold'} ${what} (Enter)</title>` +
    `<rect x="${n.x + n.w - 24}" y="${n.y + 4}" width="20" height="20" rx="4"/>` +
    `<text x="${n.x + n.w - 14}" y="${n.y + 19}">${open ? '−' : '+'}</text></g>`
  );
}

/** The style of the diagram, inside the SVG so the file looks the same anywhere. */
const STYLE = `
svg.flow { font: 12px system-ui, -apple-system, "Segoe UI", sans-serif; background: #fff; }
.node rect { fill: #f4f6f8; stroke: #8a96a3; stroke-width: 1.2; }
.node text.title { font-weight: 600; fill: #1d2733; }
.node text.detail { fill: #44505c; }
.node.speak rect { fill: #e8f1fd; stroke: #4a86d4; }
.node.userinput rect { fill: #fff3df; stroke: #d98b19; }
.node.output rect { fill: #e6f6ea; stroke: #3c9a55; }
.node.hangup rect, .node.end rect { fill: #fdeaea; stroke: #c94848; }
.node.start rect { fill: #1d2733; stroke: #1d2733; }
.node.start text { fill: #fff; }
.node.junction circle { fill: #8a96a3; }
.node.lit rect { fill: #ffe95c; stroke: #b58b00; stroke-width: 3; }
.node.lit circle { fill: #b58b00; }
.edge path { fill: none; stroke: #6b7785; stroke-width: 1.3; }
.edge.back path { stroke: #a05fc4; stroke-dasharray: 5 4; }
.label rect { fill: #fff; stroke: #6b7785; }
.label.back rect { stroke: #a05fc4; }
.label text { text-anchor: middle; font-size: 11px; fill: #1d2733; }
#arrow path { fill: #6b7785; }
.fold { cursor: pointer; }
.fold rect { fill: #fff; stroke: #d98b19; }
.fold text { text-anchor: middle; font-size: 15px; font-weight: 700; fill: #1d2733; }
.node.userinput.folded rect { stroke-width: 2.5; stroke-dasharray: 6 3; }
`;

/** The diagram as a standalone SVG document (deterministic: the same menu gives the same bytes). */
export function flowSvg(flow: Flow, title: string, options: { foldButtons?: boolean } = {}): string {
  const edges = flow.edges.map(edgeSvg);
  const folds = options.foldButtons === true ? flow.nodes.filter((n) => n.foldable || n.folded).map(foldSvg) : [];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flow" width="${flow.width}" height="${flow.height}" viewBox="0 0 ${flow.width} ${flow.height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><style>${STYLE}</style><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...edges.map((e) => e.path),
    ...flow.nodes.map(nodeSvg),
    ...folds,
    // Labels last: above the nodes and edges they would otherwise hide under.
    `<g class="labels">${edges.map((e) => e.label).join('')}</g>`,
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
