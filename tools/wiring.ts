/**
 * `ringdown wiring --board NAME [--out FILE.svg]`: the board's wiring diagram, drawn from its own
 * pin map (boards/NAME/pins.ts) and the parts table below, so the picture cannot drift from the
 * firmware: every GPIO the firmware uses is a wire to the part pin it drives or reads. Parts are
 * boxes, pins are labelled on both ends, each net is one colour; the converters' strap pins
 * show the rail they are tied to. docs/wiring/NAME.svg is this output (a test regenerates it).
 */
import { Command } from './command.js';
import { writeOutput } from './output.js';
import { escapeXml } from './studio/flow.js';

export const WIRING = new Command({
  name: 'wiring',
  summary: "a board's wiring diagram (SVG), drawn from its pin map",
  description: `Draws the board's wiring as SVG: the microcontroller and every part as boxes, a wire from each
pin of boards/NAME/pins.ts to the part pin it belongs to, the wires between parts (audio, strap
pins) from the parts table in tools/wiring.ts. docs/boards.md has the parts with their numbers.`,
  positionals: [],
  options: [
    { name: 'board', type: 'string', value: 'NAME', required: true, description: 'the board folder (esp32-*, pico-*)' },
    {
      name: 'out',
      type: 'string',
      value: 'FILE.svg',
      description: 'write the SVG there (without it: standard output)',
    },
  ],
  exit: '0 drawn, 1 FILE.svg could not be written (nothing changed), 2 usage error or no such board',
  examples: ['ringdown wiring --board esp32-ag1171-i2s --out docs/wiring/esp32-ag1171-i2s.svg'],
});

export type PartId = 'slic' | 'mt8870' | 'pcm5102a' | 'pcm1808' | 'sd' | 'relay' | 'led' | 'bell' | 'serial';

/** Each part: its title in the diagram and its pins, in the order drawn. */
export const PARTS: Record<PartId, { title: string; pins: string[] }> = {
  slic: { title: 'SLIC', pins: ['SHK', 'RM', 'F/R', 'VIN', 'VOUT'] },
  mt8870: { title: 'MT8870 DTMF receiver', pins: ['IN-', 'Q1', 'Q2', 'Q3', 'Q4', 'StD', 'TOE'] },
  pcm5102a: { title: 'PCM5102A I2S DAC', pins: ['BCK', 'LRCK', 'DIN', 'SCK', 'FMT', 'XSMT', 'OUTL', 'OUTR'] },
  pcm1808: { title: 'PCM1808 I2S ADC', pins: ['SCKI', 'BCK', 'LRCK', 'DOUT', 'FMT', 'MD0', 'MD1', 'VINL', 'VINR'] },
  sd: { title: 'microSD socket (SPI)', pins: ['CLK', 'DO', 'DI', 'CS'] },
  relay: { title: 'relay module (door)', pins: ['IN'] },
  led: { title: 'LED + 330 Ω', pins: ['A'] },
  bell: { title: 'push button to GND', pins: ['A'] },
  serial: { title: 'USB-serial adapter', pins: ['RX', 'TX'] },
};

/** A pin name of boards/NAME/pins.ts → the part pin it is wired to, and what sits in the wire. */
export const PIN_ENDS: Record<string, { part: PartId; pin: string; note?: string }> = {
  shk: { part: 'slic', pin: 'SHK', note: '10k/20k divider at 5 V' },
  rm: { part: 'slic', pin: 'RM' },
  fr: { part: 'slic', pin: 'F/R' },
  dac: { part: 'slic', pin: 'VIN', note: '10 µF in series' },
  adc: { part: 'slic', pin: 'VOUT', note: '100 nF, 2×100k bias' },
  q1: { part: 'mt8870', pin: 'Q1', note: 'level-shift' },
  q2: { part: 'mt8870', pin: 'Q2', note: 'level-shift' },
  q3: { part: 'mt8870', pin: 'Q3', note: 'level-shift' },
  q4: { part: 'mt8870', pin: 'Q4', note: 'level-shift' },
  std: { part: 'mt8870', pin: 'StD', note: 'level-shift' },
  dacBck: { part: 'pcm5102a', pin: 'BCK' },
  dacLrck: { part: 'pcm5102a', pin: 'LRCK' },
  dacData: { part: 'pcm5102a', pin: 'DIN' },
  i2sBck: { part: 'pcm5102a', pin: 'BCK' },
  i2sLrck: { part: 'pcm5102a', pin: 'LRCK' },
  i2sData: { part: 'pcm5102a', pin: 'DIN' },
  adcMclk: { part: 'pcm1808', pin: 'SCKI' },
  adcBck: { part: 'pcm1808', pin: 'BCK' },
  adcLrck: { part: 'pcm1808', pin: 'LRCK' },
  adcData: { part: 'pcm1808', pin: 'DOUT' },
  sdSck: { part: 'sd', pin: 'CLK' },
  sdMiso: { part: 'sd', pin: 'DO', note: '10k pull-up' },
  sdMosi: { part: 'sd', pin: 'DI', note: '10k pull-up' },
  sdCs: { part: 'sd', pin: 'CS', note: '10k pull-up' },
  door: { part: 'relay', pin: 'IN' },
  led: { part: 'led', pin: 'A' },
  bell: { part: 'bell', pin: 'A', note: 'internal pull-up' },
  tx: { part: 'serial', pin: 'RX' },
  rx: { part: 'serial', pin: 'TX' },
};

/** Wires between parts, drawn when the board has both parts. */
export const PART_WIRES: { net: string; from: [PartId, string]; to: [PartId, string]; note?: string }[] = [
  { net: 'VOUT', from: ['slic', 'VOUT'], to: ['mt8870', 'IN-'], note: '100 nF' },
  { net: 'VIN', from: ['pcm5102a', 'OUTL'], to: ['slic', 'VIN'], note: '10k, then 10 µF' },
  { net: 'VIN', from: ['pcm5102a', 'OUTR'], to: ['slic', 'VIN'], note: '10k, then 10 µF' },
  { net: 'VOUT', from: ['slic', 'VOUT'], to: ['pcm1808', 'VINL'], note: '1 µF' },
  { net: 'VOUT', from: ['slic', 'VOUT'], to: ['pcm1808', 'VINR'], note: '1 µF' },
];

/** Part pins tied to a rail, by microcontroller family ('*' for any). */
export const RAILS: { part: PartId; pin: string; rail: string; mcu: 'esp32' | 'pico' | '*'; why: string }[] = [
  { part: 'mt8870', pin: 'TOE', rail: '5V', mcu: '*', why: 'outputs on' },
  { part: 'pcm5102a', pin: 'SCK', rail: 'GND', mcu: '*', why: 'PLL from BCK' },
  { part: 'pcm5102a', pin: 'FMT', rail: '3V3', mcu: 'esp32', why: 'left-justified' },
  { part: 'pcm5102a', pin: 'FMT', rail: 'GND', mcu: 'pico', why: 'I2S' },
  { part: 'pcm5102a', pin: 'XSMT', rail: '3V3', mcu: '*', why: 'not muted' },
  { part: 'pcm1808', pin: 'FMT', rail: 'GND', mcu: '*', why: 'I2S' },
  { part: 'pcm1808', pin: 'MD0', rail: 'GND', mcu: '*', why: 'slave' },
  { part: 'pcm1808', pin: 'MD1', rail: 'GND', mcu: '*', why: 'slave' },
];

const COLOURS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

const PITCH = 22;
const HEAD = 30;
const MCU_X = 20;
const MCU_W = 190;
const LANE = 12;
const PART_W = 230;

interface Wire {
  net: string;
  colour: string;
  from: { x: number; y: number };
  to: { x: number; y: number };
  note?: string;
}

/** Where everything of one board's diagram goes. */
interface WiringLayout {
  board: string;
  mcu: 'pico' | 'esp32';
  slic: string;
  parts: PartId[];
  shown: Map<PartId, string[]>;
  rails: typeof RAILS;
  partWires: typeof PART_WIRES;
  partX: number;
  partTop: Map<PartId, number>;
  pinY: (p: PartId, pin: string) => number;
  mcuPins: [string, number][];
  mcuTop: number;
  mcuHeight: number;
  wires: Wire[];
  width: number;
  height: number;
}

/** The parts a board's pins reach, each with the pins something connects to, in the part's own order. */
function shownPins(
  parts: readonly PartId[],
  entries: readonly [string, number][],
  partWires: typeof PART_WIRES,
  rails: typeof RAILS,
): Map<PartId, string[]> {
  const shown = new Map<PartId, string[]>();
  for (const p of parts) {
    const wanted = new Set<string>([
      ...entries.filter(([n]) => PIN_ENDS[n]!.part === p).map(([n]) => PIN_ENDS[n]!.pin),
      ...partWires
        .flatMap((w) => [w.from, w.to])
        .filter(([q]) => q === p)
        .map(([, pin]) => pin),
      ...rails.filter((r) => r.part === p).map((r) => r.pin),
    ]);
    shown.set(
      p,
      PARTS[p].pins.filter((pin) => wanted.has(pin)),
    );
  }
  return shown;
}

/** Lays out the microcontroller, the parts and the wires of `board`; pins must all be in PIN_ENDS. */
function wiringLayout(board: string, pins: Readonly<Record<string, number>>): WiringLayout {
  const mcu = board.startsWith('pico-') ? 'pico' : 'esp32';
  const slic = board.includes('ks0835f') ? 'KS0835F' : 'Ag1171';
  const entries = Object.entries(pins);
  const used = new Set<PartId>(entries.map(([name]) => PIN_ENDS[name]!.part));
  const order = Object.keys(PARTS) as PartId[];
  const parts = order.filter((p) => used.has(p));
  const partWires = PART_WIRES.filter((w) => used.has(w.from[0]) && used.has(w.to[0]));
  const rails = RAILS.filter((r) => used.has(r.part) && (r.mcu === '*' || r.mcu === mcu));
  const shown = shownPins(parts, entries, partWires, rails);
  const lanes = entries.length + partWires.length;
  const partX = MCU_X + MCU_W + 150 + lanes * LANE;
  const partTop = new Map<PartId, number>();
  let y = 60;
  for (const p of parts) {
    partTop.set(p, y);
    y += HEAD + shown.get(p)!.length * PITCH + 18;
  }
  const partsBottom = y;
  const pinY = (p: PartId, pin: string): number =>
    partTop.get(p)! + HEAD + shown.get(p)!.indexOf(pin) * PITCH + PITCH / 2;
  // The microcontroller's pins in the order of what they reach, so wires run mostly level.
  const mcuPins = [...entries].sort(
    ([a], [b]) =>
      pinY(PIN_ENDS[a]!.part, PIN_ENDS[a]!.pin) - pinY(PIN_ENDS[b]!.part, PIN_ENDS[b]!.pin) || a.localeCompare(b),
  );
  const mcuTop = 60;
  const mcuHeight = HEAD + mcuPins.length * PITCH + 10;
  const wires: Wire[] = [];
  mcuPins.forEach(([name], i) => {
    const end = PIN_ENDS[name]!;
    wires.push({
      net: name,
      colour: COLOURS[i % COLOURS.length]!,
      from: { x: MCU_X + MCU_W, y: mcuTop + HEAD + i * PITCH + PITCH / 2 },
      to: { x: partX, y: pinY(end.part, end.pin) },
      ...(end.note !== undefined ? { note: end.note } : {}),
    });
  });
  // A net between parts keeps one colour on all its wires.
  const netNames = [...new Set(partWires.map((w) => w.net))];
  partWires.forEach((w) => {
    wires.push({
      net: w.net,
      colour: COLOURS[(mcuPins.length + netNames.indexOf(w.net)) % COLOURS.length]!,
      from: { x: partX, y: pinY(w.from[0], w.from[1]) },
      to: { x: partX, y: pinY(w.to[0], w.to[1]) },
      ...(w.note !== undefined ? { note: w.note } : {}),
    });
  });
  const width = partX + PART_W + 130;
  const height = Math.max(partsBottom, mcuTop + mcuHeight) + 50;
  return {
    board,
    mcu,
    slic,
    parts,
    shown,
    rails,
    partWires,
    partX,
    partTop,
    pinY,
    mcuPins,
    mcuTop,
    mcuHeight,
    wires,
    width,
    height,
  };
}

/** The microcontroller's box with its pins' names, and each part's box with its pins and rails. */
function drawBoxes(l: WiringLayout, out: string[]): void {
  const gpio = (n: number): string => (l.mcu === 'pico' ? `GP${n}` : `GPIO${n}`);
  out.push(
    `<rect x="${MCU_X}" y="${l.mcuTop}" width="${MCU_W}" height="${l.mcuHeight}" fill="#f4f4f4" stroke="#333333"/>`,
  );
  out.push(
    `<text x="${MCU_X + 8}" y="${l.mcuTop + 19}" font-weight="bold">${l.mcu === 'pico' ? 'Raspberry Pi Pico' : 'ESP32 (WROOM-32)'}</text>`,
  );
  l.mcuPins.forEach(([name, pin], i) => {
    const py = l.mcuTop + HEAD + i * PITCH + PITCH / 2;
    out.push(
      `<text x="${MCU_X + MCU_W - 6}" y="${py + 4}" text-anchor="end">${escapeXml(`${name} ${gpio(pin)}`)}</text>`,
    );
  });
  for (const p of l.parts) {
    const top = l.partTop.get(p)!;
    const pinsShown = l.shown.get(p)!;
    const title = p === 'slic' ? `${l.slic} SLIC` : PARTS[p].title;
    out.push(
      `<rect x="${l.partX}" y="${top}" width="${PART_W}" height="${HEAD + pinsShown.length * PITCH + 4}" fill="#f4f4f4" stroke="#333333"/>`,
    );
    out.push(`<text x="${l.partX + 8}" y="${top + 19}" font-weight="bold">${escapeXml(title)}</text>`);
    for (const pin of pinsShown) {
      const py = l.pinY(p, pin);
      out.push(`<text x="${l.partX + 8}" y="${py + 4}">${escapeXml(pin)}</text>`);
      const rail = l.rails.find((r) => r.part === p && r.pin === pin);
      if (rail !== undefined)
        out.push(
          `<text x="${l.partX + 70}" y="${py + 4}" fill="#555555">${escapeXml(`→ ${rail.rail} (${rail.why})`)}</text>`,
        );
    }
  }
}

/** The wires: each turns down its own lane between the microcontroller and the parts. */
function drawWires(l: WiringLayout, out: string[]): void {
  l.wires.forEach((w, i) => {
    const lane = MCU_X + MCU_W + 140 + i * LANE;
    const partToPart = w.from.x === w.to.x;
    const x0 = partToPart ? l.partX : w.from.x;
    const laneX = partToPart ? l.partX - 10 - (l.wires.length - i) * (LANE / 2) : lane;
    const points = `${x0},${w.from.y} ${laneX},${w.from.y} ${laneX},${w.to.y} ${w.to.x},${w.to.y}`;
    out.push(`<polyline points="${points}" fill="none" stroke="${w.colour}" stroke-width="2"/>`);
    out.push(`<circle cx="${w.to.x}" cy="${w.to.y}" r="3" fill="${w.colour}"/>`);
    out.push(`<circle cx="${w.from.x}" cy="${w.from.y}" r="3" fill="${w.colour}"/>`);
    if (!partToPart)
      out.push(
        `<text x="${w.from.x + 8}" y="${w.from.y - 3}" fill="${w.colour}" font-size="10">${escapeXml(w.note !== undefined ? `${w.net}: ${w.note}` : w.net)}</text>`,
      );
  });
}

/**
 * The diagram of `board` with pin map `pins` (name → GPIO), or a message naming a pin the parts
 * table does not know.
 */
export function wiringSvg(board: string, pins: Readonly<Record<string, number>>): string | { problem: string } {
  for (const name of Object.keys(pins))
    if (PIN_ENDS[name] === undefined)
      return {
        problem: `pin '${name}' of boards/${board}/pins.ts is not in the parts table (tools/wiring.ts PIN_ENDS)`,
      };
  const l = wiringLayout(board, pins);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${l.width}" height="${l.height}" fill="#ffffff"/>`);
  out.push(`<text x="${MCU_X}" y="24" font-size="16" font-weight="bold">${escapeXml(board)}: wiring</text>`);
  out.push(
    `<text x="${MCU_X}" y="42" fill="#555555">Drawn by ringdown wiring from boards/${escapeXml(board)}/pins.ts; every part shares one GND.</text>`,
  );
  drawBoxes(l, out);
  drawWires(l, out);
  // Notes of the wires between parts, listed under the diagram (their lanes are narrow).
  const notes = l.partWires.map(
    (w) => `${w.from.join(' ')} → ${w.to.join(' ')}${w.note !== undefined ? `: ${w.note}` : ''}`,
  );
  if (notes.length > 0)
    out.push(
      `<text x="${MCU_X}" y="${l.height - 18}" fill="#555555" font-size="11">${escapeXml(`Between parts: ${notes.join('; ')}.`)}</text>`,
    );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

export async function runWiring(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const args = WIRING.parse(argv);
  if (typeof args === 'string') {
    err(args);
    return 2;
  }
  const { values } = args;
  const board = values.board!;
  const pins = await boardPins(board);
  if (typeof pins === 'string') {
    err(`ringdown wiring: --board: ${pins}`);
    return 2;
  }
  const svg = wiringSvg(board, pins);
  if (typeof svg !== 'string') {
    err(`ringdown wiring: ${svg.problem}`);
    return 2;
  }
  if (values.out === undefined) {
    out(svg.trimEnd());
    return 0;
  }
  const problem = writeOutput(values.out, svg, { command: 'wiring', existing: 'replace' });
  if (problem !== undefined) {
    err(problem);
    return 1;
  }
  return 0;
}

/** The boards with a wiring diagram: the ESP32 and Pico folders. */
export function isWiredBoard(board: string): boolean {
  return /^(esp32|pico)-[a-z0-9-]+$/.test(board);
}

/** A board's pin map, from its compiled pins module (dist/boards/NAME/pins.js), or a message. */
export async function boardPins(board: string): Promise<Record<string, number> | string> {
  if (!isWiredBoard(board)) return `'${board}' is not a board folder with a pin map (boards/esp32-*, boards/pico-*)`;
  try {
    const mod = (await import(new URL(`../boards/${board}/pins.js`, import.meta.url).href)) as {
      PINS?: Record<string, number>;
    };
    if (mod.PINS === undefined) return `boards/${board}/pins.ts has no PINS`;
    return mod.PINS;
  } catch {
    return `no board '${board}' with a pin map`;
  }
}
