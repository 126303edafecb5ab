/**
 * A device for link tests, in this process: the device's stores (recordings, call log and menu
 * slots on NOR-flash stand-ins), the link server on them, and a byte pipe between it and a host
 * LinkClient that delivers each write a turn later (as a port would), with an optional fault
 * on the way.
 */
import { readFileSync } from 'node:fs';
import { MemoryStore } from '../src/calllog/memory-store.js';
import { FlashRecordings } from '../src/calllog/flash-recordings.js';
import { CallLog } from '../src/calllog/call-log.js';
import { readRecords } from '../src/calllog/ring-log.js';
import type { ByteStore } from '../hal/storage.js';
import { MenuSlots } from '../src/link/menu-slots.js';
import { LinkServer } from '../src/link/server.js';
import { loadUploadedMenu, type UploadedChoice } from '../src/link/uploaded-menu.js';
import { DEFAULT_LIMITS, type MenuLimits } from '../src/ozml/limits.js';
import { loadMenu } from '../src/ozml/load.js';
import type { Menu } from '../src/ozml/menu.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { SIM_OUTPUT_NAMES } from '../sim/sim-outputs.js';
import type { LinkPort } from '../tools/link/client.js';

export const SECTOR = 4096;

export interface DeviceStores {
  recordings: MemoryStore;
  log: MemoryStore;
  menus: ByteStore;
}

export function blankStores(menus?: ByteStore): DeviceStores {
  return {
    recordings: new MemoryStore(SECTOR, 256),
    log: new MemoryStore(SECTOR, 4),
    menus: menus ?? new MemoryStore(SECTOR, 8),
  };
}

/** The device's menu at boot: the uploaded one when its slot is whole and it loads, else the built one. */
export function bootMenu(
  stores: DeviceStores,
  builtPath: string,
  limits: Readonly<MenuLimits> = DEFAULT_LIMITS,
): { menu: Menu; which: 'built' | 'uploaded'; choice?: UploadedChoice } {
  const content = new MenuSlots(stores.menus).read();
  const recordings = new FlashRecordings(stores.recordings);
  if (content !== undefined && content.length > 0) {
    const choice = loadUploadedMenu(content, {
      limits,
      outputs: SIM_OUTPUT_NAMES,
      builtCatalog: { clips: {} },
      clipExists: (n) => recordings.list().includes(n) || n === 'ringdown-out-of-order',
    });
    if (choice.kind === 'menu') return { menu: choice.uploaded.menu, which: 'uploaded', choice };
  }
  const built = loadMenu(readFileSync(builtPath, 'utf8'), limits, SIM_OUTPUT_NAMES);
  if (built.menu === undefined) throw new Error(`${builtPath} does not load`);
  return { menu: built.menu, which: 'built' };
}

export interface Wire {
  /** Host → device bytes pass through here: return what arrives (undefined: lost). */
  toDevice?: ((bytes: Uint8Array) => Uint8Array | undefined) | undefined;
  toHost?: ((bytes: Uint8Array) => Uint8Array | undefined) | undefined;
}

export class TestDevice {
  readonly clock = new VirtualClock();
  readonly recordings: FlashRecordings;
  readonly callLog: CallLog;
  readonly menus: MenuSlots;
  readonly server: LinkServer;
  readonly sent: Uint8Array[] = [];
  private receiver: ((bytes: Uint8Array) => void) | undefined;
  changes: string[] = [];

  constructor(
    readonly stores: DeviceStores,
    readonly wire: Wire = {},
    limits: Readonly<MenuLimits> = DEFAULT_LIMITS,
    /** Whether the link serves the recordings (a board without audio input has none). */
    serveRecordings = true,
  ) {
    this.recordings = new FlashRecordings(stores.recordings);
    this.callLog = new CallLog(stores.log);
    this.menus = new MenuSlots(stores.menus);
    const recordings = this.recordings;
    this.server = new LinkServer({
      clock: this.clock,
      send: (line) => {
        const arrived = this.wire.toHost ? this.wire.toHost(line) : line;
        if (arrived !== undefined) setImmediate(() => this.receiver?.(arrived));
      },
      ...(serveRecordings ? { recordings } : {}),
      logRecords: () => readRecords(stores.log),
      menus: this.menus,
      checkPackage: (content) => {
        const choice = loadUploadedMenu(content, {
          limits,
          outputs: SIM_OUTPUT_NAMES,
          builtCatalog: { clips: {} },
          clipExists: (n) => recordings.list().includes(n),
        });
        return choice.kind === 'menu' ? undefined : choice.fault.message;
      },
      status: () => ({
        board: 'test',
        menu: 'built',
        limits,
        outputs: SIM_OUTPUT_NAMES,
        recordings: recordings.list().length,
      }),
      changed: (what) => void this.changes.push(what),
    });
  }

  /** The host's end of the pipe. */
  port(): LinkPort {
    return {
      write: (bytes) => {
        const arrived = this.wire.toDevice ? this.wire.toDevice(bytes) : bytes;
        if (arrived !== undefined) setImmediate(() => this.server.receive(arrived));
      },
      onData: (receive) => {
        this.receiver = receive;
      },
      close: () => {
        this.receiver = undefined;
      },
    };
  }
}
