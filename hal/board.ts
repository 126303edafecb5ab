import type { AudioPlayer } from './audio.js';
import type { AudioInput } from './audio-in.js';
import type { Clock } from './clock.js';
import type { DtmfReceiver } from './dtmf.js';
import type { HookSwitch } from './hook.js';
import type { LineFeed } from './line-feed.js';
import type { DigitalOutputs } from './outputs.js';
import type { RecordingArchive, RecordingStore } from './recordings.js';
import type { HostPort } from './host-port.js';
import type { Ringer } from './ringer.js';
import type { ByteStore } from './storage.js';
import type { MenuLimits } from './menu-limits.js';

/**
 * Everything a board gives the core. Each board folder (boards/NAME/board.ts) builds one from its
 * pin map and drivers; the simulated board builds one in virtual time.
 */
export interface Board {
  clock: Clock;
  audio: AudioPlayer;
  line: LineFeed;
  hook: HookSwitch;
  dtmf: DtmfReceiver;
  ringer: Ringer;
  outputs: DigitalOutputs;
  /** Flash region for the call log, when the board has one (a `calllog` partition). */
  storage?: ByteStore;
  /** The caller's audio, for `<Record>` (and the software DTMF receiver's input), when the board has it. */
  audioIn?: AudioInput;
  /** Where `<Record>` writes, when the board has somewhere (without both, Record is skipped with an error). */
  recordings?: RecordingStore;
  /**
   * The length in ms of a kept recording named `name`, when the board's audio player plays
   * recordings as clips (`Speak clip="greeting"` after `Record clip="greeting"`); undefined when
   * there is none. Without it, clips come from the build's resources only.
   */
  recordedClipMs?: (name: string) => number | undefined;
  /** A ring trigger input (the doorbell button): the entry sets `onPress` to ring the phone. */
  bell?: { onPress: (() => void) | undefined };
  /**
   * The board's own resource reader, when it stands in for some (the desktop board's fixed-length
   * clips); the entry reads clips through it instead of the build's resources.
   */
  resources?: (path: string) => Uint8Array | undefined;
  /**
   * Where the trace and the firmware's notes go (text ending in a newline), when the board has a
   * console of its own (a UART); otherwise the debug console (`trace`).
   */
  log?: (text: string) => void;
  /** The serial port a host talks to the device link on (src/link), when the board serves it. */
  hostPort?: HostPort;
  /** The recordings as the link reads them back (with `recordings`, the same store). */
  recordingArchive?: RecordingArchive;
  /** Flash region for a menu uploaded over the link (src/link/menu-slots.ts), beside the built one. */
  menuStorage?: ByteStore;
  /**
   * Lower menu limits than the loader's defaults, for a board whose memory holds less (the same
   * figures as `menuLimits` in its outputs.json, which `check --board` and `build` apply).
   */
  menuLimits?: Readonly<MenuLimits>;
}
