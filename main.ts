/**
 * Device entry (Moddable SDK): opens the board the manifest selected for the platform
 * (`boards/selected/board`, mapped per platform in manifest.json), loads the menu and the clip
 * catalog from the build's data resources (`menu.xml`, `catalog.json`), and runs the Phone. The
 * trace goes to the debug console (xsbug or serial), or to the board's own (the Pico's UART), one JSON
 * object a line.
 *
 * A menu that does not load never leaves a dead phone: its errors are traced, the fault goes to the
 * call log, and the built-in fallback menu (src/engine/fallback.ts: an out-of-order clip, then
 * hang-up and the reorder tone) runs instead, so lifting the handset still gives a defined answer.
 * An optional `ring.xml` resource is the menu for an answered ring (the doorbell button rings the
 * phone); without it the same menu runs. Each call is recorded in the call log when the board has
 * a `calllog` flash partition (digits masked: a door PIN must not be readable from the log).
 * `<Record>` gets the board's audio input and recordings store when it has both (else it is
 * skipped with an error); where the board's player can play recordings, a clip naming a kept
 * recording plays it (src/clips/recorded.ts), as in the simulator.
 *
 * An installed mod (`ringdown mod`: a Moddable archive in the `xs` partition, or the archive given
 * to mcsim) replaces all of that when it is whole: its menu, ring menu, catalog and clips under
 * `ringdown-mod/` (src/engine/mod.ts). A mod that is not whole is refused: traced, logged as a
 * fault, and the built-in menu runs. The boot trace names the menu that runs and its CRC-32.
 */
import Resource from 'Resource';
import config from 'mc/config';
import { createBoard } from 'boards/selected/board';
import type { Board } from './hal/board.js';
import { ResourceClipLibrary } from './drivers/resource-clips/resource-clips.js';
import { checkCatalog, type ClipCatalog, type ClipLibrary } from './src/clips/catalog.js';
import { withRecordedClips } from './src/clips/recorded.js';
import { Phone } from './src/engine/phone.js';
import type { TraceEvent } from './src/engine/trace.js';
import { NORTH_AMERICA, profileNamed } from './src/line/profile.js';
import { CallLog } from './src/calllog/call-log.js';
import { crc32 } from './src/checksum/crc32.js';
import { lineFaultEntry, menuFaultEntry, modFaultEntry } from './src/calllog/faults.js';
import { CallRecorder } from './src/calllog/recorder.js';
import { fallbackMenu, loadMenuOrFallback, type MenuChoice } from './src/engine/fallback.js';
import { crcHex, loadMod, MOD_MENU, MOD_PREFIX, type ModMenus } from './src/engine/mod.js';
import { formatDiagnostic } from './src/ozml/diagnostic.js';
import type { Menu } from './src/ozml/menu.js';
import { DEFAULT_LIMITS, type MenuLimits } from './src/ozml/limits.js';
import { readRecords } from './src/calllog/ring-log.js';
import { asciiText } from './src/link/frame.js';
import { MenuSlots } from './src/link/menu-slots.js';
import { LinkServer, type LinkRecordings } from './src/link/server.js';
import {
  loadUploadedMenu,
  UPLOADED_MENU,
  type UploadedMenu,
  type UploadedMenuContext,
} from './src/link/uploaded-menu.js';

const MENU_RESOURCE = 'menu.xml';
const CATALOG_RESOURCE = 'catalog.json';
const RING_MENU_RESOURCE = 'ring.xml';

/** Where lines go: the debug console, or the board's own (`Board.log`) once the board is open. */
let console_ = (text: string): void => trace(text);

function log(text: string): void {
  console_(`${text}\n`);
}

/** A data resource's bytes (mapped from flash, not copied), or undefined if the build has none. */
function readResource(path: string): Uint8Array | undefined {
  return Resource.exists(path) ? new Uint8Array(new Resource(path).slice(0)) : undefined;
}

/** Decodes UTF-8: XS's `String.fromArrayBuffer` on Moddable builds; XS built with CESU-8 strings
 * (xsnap, where the XS lane runs this file) lacks it and has a global TextDecoder instead. */
function utf8(bytes: Uint8Array): string {
  if (typeof String.fromArrayBuffer === 'function') return String.fromArrayBuffer(bytes.buffer);
  const { TextDecoder } = globalThis as { TextDecoder?: new () => { decode(bytes: Uint8Array): string } };
  if (TextDecoder === undefined) throw new Error('no UTF-8 decoder in this XS build');
  return new TextDecoder().decode(bytes);
}

function readText(path: string): string | undefined {
  const bytes = readResource(path);
  return bytes === undefined ? undefined : utf8(bytes);
}

/**
 * A menu resource with more bytes than its character limit allows (4 bytes a character at most)
 * is refused unread: copying and decoding it could take the whole XS heap of a small board (the
 * loader's largest menu, 64 KB, took a Pico's 192 KB pool and faulted at boot).
 */
function oversizedMenu(path: string, limits: Readonly<MenuLimits>): MenuChoice | undefined {
  const bytes = Resource.exists(path) ? new Resource(path).byteLength : 0;
  if (bytes <= limits.maxChars * 4) return undefined;
  const message = `${path}: ${bytes} bytes, longer than the limit of ${limits.maxChars} characters`;
  return { menu: fallbackMenu(), fallback: true, fault: { kind: 'invalid', message, errors: 1 }, diagnostics: [] };
}

/** Loads a menu resource; the fallback menu (with its fault logged) when it does not load. */
function loadDeviceMenu(board: Board, path: string, log_: CallLog | undefined): Menu {
  const limits = board.menuLimits ?? DEFAULT_LIMITS;
  const oversized = oversizedMenu(path, limits);
  const bytes = oversized === undefined ? readResource(path) : undefined;
  if (path === MENU_RESOURCE)
    log(
      `ringdown: menu built-in ${path}, crc32 ${bytes !== undefined ? crcHex(crc32(bytes)) : oversized !== undefined ? 'not read (too large)' : 'none'}`,
    );
  const choice =
    oversized ??
    loadMenuOrFallback({
      text: bytes === undefined ? undefined : utf8(bytes),
      file: path,
      outputs: board.outputs.names,
      limits,
    });
  for (const d of choice.diagnostics) log(formatDiagnostic(path, d));
  if (choice.fault !== undefined) {
    log(`ringdown: ${choice.fault.message}; running the fallback menu`);
    log_?.append(menuFaultEntry(choice.fault, board.clock.now()));
  }
  return choice.menu;
}

function loadCatalog(): ClipCatalog {
  const text = readText(CATALOG_RESOURCE);
  if (text === undefined) return { clips: {} };
  let parsed: ClipCatalog | string;
  try {
    parsed = checkCatalog(JSON.parse(text));
  } catch (e) {
    parsed = e instanceof Error ? e.message : String(e);
  }
  if (typeof parsed !== 'string') return parsed;
  log(`${CATALOG_RESOURCE}: ${parsed}; clips are found by their text's name`);
  return { clips: {} };
}

/**
 * An installed mod's menus (`ringdown mod`), when it is whole; a refused mod is traced and logged,
 * and the built-in menu runs.
 */
function installedMod(board: Board, log_: CallLog | undefined): ModMenus | undefined {
  const choice = loadMod(
    { read: readResource, exists: (path) => Resource.exists(path), decode: utf8 },
    board.outputs.names,
  );
  if (choice.kind === 'none') return undefined;
  for (const note of choice.kind === 'mod' ? choice.mod.notes : choice.notes) log(note);
  if (choice.kind === 'mod') {
    log(`ringdown: menu mod ${MOD_MENU}, crc32 ${crcHex(choice.mod.crc)}`);
    return choice.mod;
  }
  log(`ringdown: mod menu ${MOD_MENU}: ${choice.fault.message}; running the built-in menu`);
  log_?.append(modFaultEntry(choice.fault, board.clock.now()));
  return undefined;
}

/** The menu slots of the board's `menuStorage`, or none (traced when the region is unusable). */
function openMenuSlots(board: Board): MenuSlots | undefined {
  if (board.menuStorage === undefined) return undefined;
  try {
    return new MenuSlots(board.menuStorage);
  } catch (e) {
    log(`ringdown: menu region: ${e instanceof Error ? e.message : String(e)}; no uploaded menus`);
    return undefined;
  }
}

/**
 * The menu uploaded over the link (src/link), when its slot is whole and it loads as the built
 * menu would; a refused one is traced and logged, and the built menu runs.
 */
function uploadedMenu(
  slots: MenuSlots | undefined,
  context: UploadedMenuContext,
  board: Board,
  log_: CallLog | undefined,
): UploadedMenu | undefined {
  let content: Uint8Array | undefined;
  try {
    content = slots?.read();
  } catch (e) {
    log(`ringdown: menu region: ${e instanceof Error ? e.message : String(e)}; running the built-in menu`);
    return undefined;
  }
  if (content === undefined || content.length === 0) return undefined;
  const choice = loadUploadedMenu(content, context);
  for (const note of choice.kind === 'menu' ? choice.uploaded.notes : choice.notes) log(note);
  if (choice.kind === 'menu') {
    log(`ringdown: menu ${UPLOADED_MENU}, crc32 ${crcHex(choice.uploaded.crc)}`);
    return choice.uploaded;
  }
  log(`ringdown: ${choice.fault.message}; running the built-in menu`);
  log_?.append(menuFaultEntry(choice.fault, board.clock.now()));
  return undefined;
}

/** Builds the phone on a board: its hook switch, DTMF receiver and ringer drive the calls. */
export function startPhone(board: Board): Phone {
  const profile = profileNamed(String(config.profile ?? 'us')) ?? NORTH_AMERICA;
  const callLog = board.storage !== undefined ? new CallLog(board.storage) : undefined;
  if (callLog?.problem !== undefined) log(`ringdown: ${callLog.problem}`);
  const read = board.resources ?? readResource;
  const mod = installedMod(board, callLog);
  const builtCatalog = mod !== undefined ? mod.catalog : loadCatalog();
  const prefix = mod !== undefined ? MOD_PREFIX : '';
  const limits = board.menuLimits ?? DEFAULT_LIMITS;
  const slots = openMenuSlots(board);
  const context: UploadedMenuContext = {
    limits,
    outputs: board.outputs.names,
    builtCatalog,
    clipExists: (name) => read(`${prefix}${name}.maud`) !== undefined || board.recordedClipMs?.(name) !== undefined,
  };
  // A clip naming a kept recording plays it, where the board's player can (as in the simulator);
  // an uploaded menu's catalog names its clips, which are such recordings.
  const clipsFor = (catalog: ClipCatalog, uploaded: ClipCatalog | undefined): ClipLibrary => {
    const built = new ResourceClipLibrary({ catalog, read, ...(mod !== undefined ? { prefix: MOD_PREFIX } : {}) });
    return board.recordedClipMs !== undefined ? withRecordedClips(built, board.recordedClipMs, uploaded) : built;
  };
  const uploaded = uploadedMenu(slots, context, board, callLog);
  const recorder = new CallRecorder({
    onRecord: (record) => void callLog?.append(record),
    callEnd: 'idle',
    maskDigits: true,
  });
  const ringMenu =
    mod !== undefined
      ? mod.ringMenu
      : Resource.exists(RING_MENU_RESOURCE)
        ? loadDeviceMenu(board, RING_MENU_RESOURCE, callLog)
        : undefined;
  const builtMenu = mod !== undefined ? mod.menu : loadDeviceMenu(board, MENU_RESOURCE, callLog);
  let running: { which: string; crc?: number } =
    uploaded !== undefined
      ? { which: 'uploaded', crc: uploaded.crc }
      : { which: mod !== undefined ? 'mod' : 'built-in' };
  let link: LinkServer | undefined;
  const phone: Phone = new Phone({
    menu: uploaded?.menu ?? builtMenu,
    ...(ringMenu !== undefined ? { ringMenu } : {}),
    clock: board.clock,
    audio: board.audio,
    line: board.line,
    outputs: board.outputs,
    hook: board.hook,
    dtmf: board.dtmf,
    ringer: board.ringer,
    ...(board.audioIn !== undefined ? { audioIn: board.audioIn } : {}),
    ...(board.recordings !== undefined ? { recordings: board.recordings } : {}),
    clips: uploaded !== undefined ? clipsFor(uploaded.catalog, uploaded.catalog) : clipsFor(builtCatalog, undefined),
    profile,
    supervise: true,
    onLineFault: (fault) => void callLog?.append(lineFaultEntry(fault)),
    trace: (event: TraceEvent) => {
      log(JSON.stringify(event));
      recorder.observe(event);
      link?.observe(event);
    },
  });
  if (board.bell !== undefined) board.bell.onPress = () => phone.ring();
  const port = board.hostPort;
  if (port !== undefined) {
    const store = board.recordings;
    const archive = board.recordingArchive;
    const storage = board.storage;
    const recordings: LinkRecordings | undefined =
      store !== undefined && archive !== undefined
        ? {
            open: (name) => store.open(name),
            list: () => store.list(),
            room: () => store.room(),
            recordings: () => archive.recordings(),
            readRange: (id, from, count) => archive.readRange(id, from, count),
            remove: (name) => archive.remove(name),
          }
        : undefined;
    link = new LinkServer({
      clock: board.clock,
      send: (line) => port.send(asciiText(line)),
      ...(recordings !== undefined ? { recordings } : {}),
      ...(storage !== undefined ? { logRecords: () => readRecords(storage) } : {}),
      ...(slots !== undefined ? { menus: slots } : {}),
      checkPackage: (content) => {
        const choice = loadUploadedMenu(content, context);
        return choice.kind === 'menu' ? undefined : choice.fault.message;
      },
      status: () => ({
        board: String(config.board ?? 'unknown'),
        menu: running.which,
        ...(running.crc !== undefined ? { menuCrc: crcHex(running.crc) } : {}),
        limits,
        outputs: board.outputs.names,
        ...(archive !== undefined ? { recordings: archive.recordings().length } : {}),
      }),
      changed: (what) => {
        if (what !== 'menu') return;
        // The switched menu runs from the next call on (the link is idle during calls).
        const next = uploadedMenu(slots, context, board, callLog);
        running =
          next !== undefined ? { which: 'uploaded', crc: next.crc } : { which: mod !== undefined ? 'mod' : 'built-in' };
        if (next === undefined) log(`ringdown: menu built-in ${MENU_RESOURCE}`);
        phone.useMenus({
          menu: next?.menu ?? builtMenu,
          ringMenu,
          clips: next !== undefined ? clipsFor(next.catalog, next.catalog) : clipsFor(builtCatalog, undefined),
        });
      },
    });
    const server = link;
    port.onReceive = (bytes) => server.receive(bytes);
  }
  return phone;
}

const board = createBoard();
if (board.log !== undefined) console_ = board.log;
startPhone(board);
