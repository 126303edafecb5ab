/**
 * What every ESP32 + Ag1171-style SLIC board shares: the clock, the SLIC on three pins (hook,
 * ringer and line feed; the hook's edges stamped in C at the interrupt, drivers/pin-edges),
 * AudioOut to the DAC with clips as MAUD resources, and named outputs. A clip naming a kept
 * recording (a re-recorded greeting) plays it from the recordings store, streamed in blocks
 * through the same AudioOut (drivers/audioout-player).
 * A board file adds its pin map and its DTMF receiver, and where it can record, its audio input
 * and recordings store. Device-only (Moddable modules).
 */
import Digital from 'embedded:io/digital';
import AudioOut from 'pins/audioout';
import Resource from 'Resource';
import config from 'mc/config';
import type { AudioInput } from '../../hal/audio-in.js';
import type { Board } from '../../hal/board.js';
import type { Clock } from '../../hal/clock.js';
import type { DtmfReceiver } from '../../hal/dtmf.js';
import type { RecordingReader, RecordingStore } from '../../hal/recordings.js';
import { Ag1171 } from '../../drivers/ag1171/ag1171.js';
import { AudioOutPlayer } from '../../drivers/audioout-player/audioout-player.js';
import { DigitalPinOutputs, type NamedOutput } from '../../drivers/digital-outputs/digital-outputs.js';
import { DigitalButton } from '../../drivers/button/button.js';
import { FlashStorage } from '../../drivers/flash-storage/flash-storage.js';
import { ModdableClock } from '../../drivers/moddable-clock/moddable-clock.js';
import PinEdges from '../../drivers/pin-edges/pin-edges.js';
import { stampedInputs } from '../../drivers/pin-edges/stamped-input.js';
import { maudDurationMs } from '../../drivers/resource-clips/resource-clips.js';

export interface SlicBoardOptions {
  /** GPIOs of the SLIC's SHK (in), RM and F/R (out). */
  slic: { shk: number; rm: number; fr: number };
  shkActiveHigh?: boolean;
  outputs: Readonly<Record<string, NamedOutput>>;
  /** Opens the board's DTMF receiver. */
  dtmf: (clock: Clock) => DtmfReceiver;
  /** Must match the clips' MAUD format (default 8000). */
  sampleRate?: number;
  /** GPIO of a doorbell button to GND, when the board has one. */
  bell?: number;
  /** The line's audio for `<Record>`, given the board's DTMF receiver (which may share its port). */
  audioIn?: (dtmf: DtmfReceiver) => AudioInput | undefined;
  /**
   * Opens where `<Record>` writes, which the player also reads kept recordings from; a throw is
   * traced and the board records nothing.
   */
  recordings?: () => RecordingStore & RecordingReader;
  /**
   * Where a clip's end comes from: AudioOut's callback (default), or the clip's length on the
   * clock, for an AudioOut that calls back at coarse buffer steps (the RP2040's: 220 ms).
   */
  clipEnds?: 'callback' | 'length';
  /** The board's clock, when the board file needs it too (default: a new ModdableClock). */
  clock?: ModdableClock;
}

/** What a forced collection allocates and drops: more than the Pico's whole XS heap (192 KB), so at least one collection runs. */
const COLLECT_BYTES = 256 * 1024;

/**
 * A test hook of the device lanes' builds only: they set `collectPin` (mcconfig `collectPin=N`),
 * and a rising edge on that pin makes the firmware allocate and drop COLLECT_BYTES, forcing XS
 * garbage collections at a time the harness chooses (as a long collection can come in a call).
 * A user's build has no `collectPin`: nothing is armed.
 */
function armCollectPin(): void {
  const pin = Number((config as Record<string, unknown>).collectPin);
  if (!Number.isInteger(pin) || pin < 0) return;
  new Digital({
    pin,
    mode: Digital.InputPullDown as number,
    edge: Digital.Rising as number,
    onReadable() {
      let bytes = 0;
      while (bytes < COLLECT_BYTES) bytes += new ArrayBuffer(4096).byteLength;
    },
  });
  trace(`ringdown: test build: GPIO ${pin} forces garbage collections\n`);
}

/** A clip's MAUD resource, or undefined when the build has none by that name. */
export function clipResource(name: string): object | undefined {
  const path = `${name}.maud`;
  return Resource.exists(path) ? new Resource(path) : undefined;
}

/** A clip's length from its MAUD header (as wav2maud wrote it), or undefined. */
function clipLengthMs(name: string): number | undefined {
  const resource = clipResource(name) as { slice(begin: number, end: number): ArrayBuffer } | undefined;
  return resource === undefined ? undefined : maudDurationMs(new Uint8Array(resource.slice(0, 12)));
}

export function openSlicBoard(options: SlicBoardOptions): Board {
  const clock = options.clock ?? new ModdableClock();
  const { shk, rm, fr } = options.slic;
  const slic = new Ag1171({
    clock,
    shk: { pin: shk, io: Digital },
    shkEdges: stampedInputs(PinEdges, clock),
    rm: { pin: rm, io: Digital },
    fr: { pin: fr, io: Digital },
    ...(options.shkActiveHigh !== undefined ? { shkActiveHigh: options.shkActiveHigh } : {}),
  });
  const bell: { onPress: (() => void) | undefined } = { onPress: undefined };
  if (options.bell !== undefined) {
    new DigitalButton({ clock, pin: { pin: options.bell, io: Digital }, onPress: () => bell.onPress?.() });
  }
  armCollectPin();
  const dtmf = options.dtmf(clock);
  const audioIn = options.audioIn?.(dtmf);
  const recordings =
    audioIn !== undefined && options.recordings !== undefined ? openRecordings(options.recordings) : undefined;
  return {
    clock,
    bell,
    ...openStorage(),
    ...(audioIn !== undefined && recordings !== undefined
      ? {
          audioIn,
          recordings,
          // The trace's length of a Speak that plays a recording, as the simulator gives it.
          recordedClipMs: (name: string) => {
            const samples = recordings.samplesOf(name);
            return samples === undefined ? undefined : Math.round((samples * 1000) / (options.sampleRate ?? 8000));
          },
        }
      : {}),
    hook: slic,
    ringer: slic,
    line: slic,
    dtmf,
    audio: new AudioOutPlayer({
      io: AudioOut,
      clock,
      clip: clipResource,
      sampleRate: options.sampleRate ?? 8000,
      ...(options.clipEnds === 'length' ? { clipMs: clipLengthMs } : {}),
      ...(recordings !== undefined ? { recordings } : {}),
    }),
    outputs: new DigitalPinOutputs({ io: Digital, outputs: options.outputs }),
  };
}

/** The board's recordings store, or none (traced: Record is then skipped with an error). */
function openRecordings(open: () => RecordingStore & RecordingReader): (RecordingStore & RecordingReader) | undefined {
  try {
    return open();
  } catch (e) {
    trace(`ringdown: no recordings store (${e instanceof Error ? e.message : String(e)}); <Record> is skipped\n`);
    return undefined;
  }
}

/** The call log's flash partition; a build without one still runs, with no log. */
function openStorage(): { storage?: FlashStorage } {
  try {
    return { storage: new FlashStorage({ partition: 'calllog' }) };
  } catch {
    trace('ringdown: no calllog flash partition; calls are not logged\n');
    return {};
  }
}
