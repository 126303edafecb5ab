/**
 * A menu drawn as a flow diagram: the commands in order from top to bottom, each UserInput's
 * prompts under it and its keys as branches side by side, then what follows. NoInput, NoMatch
 * and Failed are branches too; a retry, a repeat and a BackKey are dashed edges back up to the
 * UserInput they start again. Pure (no DOM, no Node): `ringdown graph` writes the SVG to a file,
 * the studio page puts the same SVG on screen and lights up the node of the running command
 * (each node's id is `n-LINE-COL`, the command's position in the source).
 */
import type { Command, Menu, UserInputCommand } from '../../src/ozml/menu.js';

export type NodeKind = 'start' | 'end' | 'delay' | 'speak' | 'userinput' | 'output' | 'hangup' | 'junction';

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
}

export interface Flow {
  nodes: FlowNode[];
  /** The node of each command (a Play with Repeat is several commands at one position). */
  byCommand: Map<Command, FlowNode>;
  edges: FlowEdge[];
  width: number;
  height: number;
}

const NODE_W = 212;
const NODE_H = 40;
const JUNCTION = 12;
const GAP_Y = 26;
const BRANCH_GAP_Y = 44;
const GAP_X = 22;
/** Room on the left for the dashed edges back up. */
const MARGIN_LEFT = 70;
const MARGIN = 16;
const CHAR_W = 6.6;

interface Block {
  w: number;
  h: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  entry: FlowNode;
  /** Nodes from which the flow goes on to whatever follows the block. */
  exits: FlowNode[];
}

class Builder {
  private junctions = 0;
  private readonly ids = new Set<string>();
  readonly byCommand = new Map<Command, FlowNode>();

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
    return { w: node.w, h: node.h, nodes: [node], edges: [], entry: node, exits: node.kind === 'hangup' ? [] : [node] };
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
    const out: Block = { w, h: 0, nodes: [], edges: [], entry: first.entry, exits: [] };
    let y = 0;
    let previous: Block | undefined;
    for (const b of blocks) {
      shift(b, (w - b.w) / 2, y);
      out.nodes.push(...b.nodes);
      out.edges.push(...b.edges);
      if (previous !== undefined)
        for (const exit of previous.exits) out.edges.push({ from: exit, to: b.entry, kind: 'next' });
      y += b.h + GAP_Y;
      previous = b;
    }
    out.h = y - GAP_Y;
    out.exits = previous!.exits;
    return out;
  }

  userInput(c: UserInputCommand, parent: FlowNode | undefined): Block {
    const head = this.node('userinput', 'UserInput', inputDetail(c), c);
    const nodes: FlowNode[] = [head];
    const edges: FlowEdge[] = [];
    if (c.backKey !== undefined && parent !== undefined)
      edges.push({ from: head, to: parent, kind: 'back', label: `back: ${keyName(c.backKey)}` });
    const prompt = this.sequence(c.initial, head);
    let y = head.h;
    let fan = head;
    if (prompt !== undefined) {
      shift(prompt, 0, y + GAP_Y);
      nodes.push(...prompt.nodes);
      edges.push(...prompt.edges, { from: head, to: prompt.entry, kind: 'next' });
      y += GAP_Y + prompt.h;
      fan = prompt.exits[0] ?? head;
    }
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
    if (c.maxNoInput > 1 && c.noInput.length === 0)
      edges.push({ from: fan, to: head, kind: 'back', label: 'no key: again' });
    if (c.maxNoMatch !== undefined && c.maxNoMatch > 1 && c.noMatch.length === 0)
      edges.push({ from: fan, to: head, kind: 'back', label: 'wrong key: again' });
    const rowW = columns.reduce((sum, col) => sum + col.block.w, 0) + GAP_X * (columns.length - 1);
    const w = Math.max(NODE_W, rowW, prompt?.w ?? 0);
    // Head and prompt are centred over the branches.
    head.x += (w - NODE_W) / 2;
    if (prompt !== undefined) for (const n of prompt.nodes) n.x += (w - prompt.w) / 2;
    let x = (w - rowW) / 2;
    const top = y + BRANCH_GAP_Y;
    const exits: FlowNode[] = [];
    let bottom = y;
    for (const col of columns) {
      shift(col.block, x, top);
      x += col.block.w + GAP_X;
      nodes.push(...col.block.nodes);
      edges.push(...col.block.edges, { from: fan, to: col.block.entry, kind: 'branch', label: col.label });
      if (col.loops)
        for (const exit of col.block.exits) edges.push({ from: exit, to: head, kind: 'back', label: 'again' });
      else exits.push(...col.block.exits);
      bottom = Math.max(bottom, top + col.block.h);
    }
    return { w, h: bottom, nodes, edges, entry: head, exits };
  }
}

function shift(block: Block, dx: number, dy: number): void {
  for (const n of block.nodes) {
    n.x += dx;
    n.y += dy;
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
export function layoutFlow(menu: Menu): Flow {
  const builder = new Builder();
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
    shift(body, 0, y);
    for (const n of body.nodes) n.x += (w - body.w) / 2;
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
  for (const n of nodes) {
    n.x = Math.round(n.x + MARGIN_LEFT);
    n.y = Math.round(n.y + MARGIN);
  }
  return {
    nodes,
    byCommand: builder.byCommand,
    edges,
    width: Math.round(w + MARGIN_LEFT + MARGIN),
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
  const fx = Math.round(from.x + from.w / 2);
  const tx = Math.round(to.x + to.w / 2);
  const data = `data-from="${from.id}" data-to="${to.id}"${e.label !== undefined ? ` data-label="${escapeXml(e.label)}"` : ''}`;
  if (e.kind === 'back') {
    // Out of the left side, round to the left and into the target's left side, dashed.
    const fy = Math.round(from.y + from.h / 2);
    const ty = Math.round(to.y + to.h / 2);
    const bend = Math.round(Math.min(from.x, to.x) - 56);
    const path = `M${from.x} ${fy} C${bend} ${fy} ${bend} ${ty} ${to.x} ${ty}`;
    const lx = Math.round((from.x + to.x) / 2 - 40);
    const ly = Math.round((fy + ty) / 2);
    return {
      path: `<g class="edge back" ${data}><path d="${path}" marker-end="url(#arrow)"/></g>`,
      label: e.label !== undefined ? label(Math.max(lx, 40), ly, e.label, 'back') : '',
    };
  }
  const fy = from.y + from.h;
  const ty = to.y;
  const bus = e.kind === 'branch' ? ty - 30 : ty - 12;
  const path = fx === tx ? `M${fx} ${fy} V${ty}` : `M${fx} ${fy} V${bus} H${tx} V${ty}`;
  const text = e.label !== undefined ? label(tx, ty - 14, e.label, e.kind) : '';
  return { path: `<g class="edge ${e.kind}" ${data}><path d="${path}" marker-end="url(#arrow)"/></g>`, label: text };
}

function nodeSvg(n: FlowNode): string {
  const data = `id="${n.id}" class="node ${n.kind}"${n.line !== undefined ? ` data-line="${n.line}" data-col="${n.col}"` : ''}`;
  const where = n.line !== undefined ? ` (line ${n.line})` : '';
  const tip = `<title>${escapeXml(`${n.title}${n.detail !== '' ? `: ${n.detail}` : ''}${where}`)}</title>`;
  if (n.kind === 'junction') {
    return `<g ${data}>${tip}<circle cx="${n.x + n.w / 2}" cy="${n.y + n.h / 2}" r="${n.w / 2 - 2}"/></g>`;
  }
  const rx = n.kind === 'start' || n.kind === 'end' ? 20 : 6;
  return (
    `<g ${data}>${tip}<rect x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" rx="${rx}"/>` +
    `<text class="title" x="${n.x + 10}" y="${n.y + 16}">${escapeXml(fit(n.title, n.w - 20))}</text>` +
    `<text class="detail" x="${n.x + 10}" y="${n.y + 32}">${escapeXml(fit(n.detail, n.w - 20))}</text></g>`
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
`;

/** The diagram as a standalone SVG document (deterministic: the same menu gives the same bytes). */
export function flowSvg(flow: Flow, title: string): string {
  const edges = flow.edges.map(edgeSvg);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flow" width="${flow.width}" height="${flow.height}" viewBox="0 0 ${flow.width} ${flow.height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<defs><style>${STYLE}</style><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...edges.map((e) => e.path),
    ...flow.nodes.map(nodeSvg),
    // Labels last: above the nodes and edges they would otherwise hide under.
    `<g class="labels">${edges.map((e) => e.label).join('')}</g>`,
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}
