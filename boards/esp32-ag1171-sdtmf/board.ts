/**
 * ESP32 + Ag1171 SLIC, no DTMF chip: the DtmfReceiver is the software decoder on the line audio
 * (`AdcDtmfReceiver` from drivers/adc-dtmf/adc-dtmf.ts on drivers/adc-in, sampling VOUT on the
 * built-in ADC: 8 kHz, 16-bit, bias removed). The same audio input is the board's input for
 * `<Record>` (the receiver's `input`: one port, both uses).
 *
 * Recordings go to the `recordings` flash partition (src/calllog/flash-recordings.ts: power-cut
 * safe, 512 KB: docs/boards.md says how many seconds), or with `ringdown build --recordings sdcard`
 * (manifest `config.recordings`) to WAV files on an SD card on SPI (pins.ts, docs/line.md):
 * drivers/sdcard/sdcard.c mounts the card's FAT at /sd and tells its free space,
 * drivers/wav-file-recordings/wav-file-recordings.ts writes `/sd/NAME.wav`. Device-only (Moddable modules).
 */
import { File, Iterator } from 'file';
import config from 'mc/config';
import type { Board } from '../../hal/board.js';
import { AdcDtmfReceiver } from '../../drivers/adc-dtmf/adc-dtmf.js';
import { nativeDtmfFilters } from '../../drivers/dtmf-native/dtmf-native.js';
import { FlashStorage } from '../../drivers/flash-storage/flash-storage.js';
import { freeBytes, mount } from '../../drivers/sdcard/sdcard.js';
import { ESP32_MENU_LIMITS } from '../slic/esp32-menu-limits.js';
import { openSlicBoard } from '../slic/slic-board.js';
import { type FileModule, WavFileRecordings } from '../../drivers/wav-file-recordings/wav-file-recordings.js';
import type { RecordingReader, RecordingStore } from '../../hal/recordings.js';
import { FlashRecordings } from '../../src/calllog/flash-recordings.js';
import { OUTPUTS, PINS } from './pins.js';

/** Where the SD card is mounted. */
const CARD = '/sd';

/** The recordings store the build chose: the flash partition, or WAV files on the SD card. */
function openRecordings(): RecordingStore & RecordingReader {
  if (config.recordings === 'sdcard') {
    mount(CARD, PINS.sdSck, PINS.sdMiso, PINS.sdMosi, PINS.sdCs);
    return new WavFileRecordings({ File, Iterator } as unknown as FileModule, CARD, freeBytes);
  }
  return new FlashRecordings(new FlashStorage({ partition: 'recordings' }));
}

export function createBoard(): Board {
  let receiver: AdcDtmfReceiver | undefined;
  const board = openSlicBoard({
    slic: { shk: PINS.shk, rm: PINS.rm, fr: PINS.fr },
    outputs: OUTPUTS,
    bell: PINS.bell,
    dtmf: (clock) =>
      (receiver = new AdcDtmfReceiver({ clock, pin: PINS.adc, sampleRate: 8000, filters: nativeDtmfFilters })),
    audioIn: () => receiver?.input,
    recordings: openRecordings,
  });
  return { ...board, menuLimits: ESP32_MENU_LIMITS };
}
