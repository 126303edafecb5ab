/**
 * The guestbook board: ESP32 + Ag1171 SLIC with I2S converters for clean 16-bit audio (a
 * PCM5102A DAC out, a PCM1808 ADC in) instead of the ESP32's 8-bit DAC and its ADC. The keys are
 * found in software on the ADC stream (`AdcDtmfReceiver` on Moddable's audio input, here clocked
 * by the I2S ADC: 16-bit samples, so gain 1); the same input is the board's input for `<Record>`.
 * A rotary dial's pulses come in on SHK like any hook flash.
 *
 * Recordings go to WAV files on the microSD card by default (`ringdown build --recordings
 * sdcard`, manifest `config.recordings`): drivers/sdcard/sdcard.c mounts the card's FAT at /sd and
 * tells its free space, drivers/wav-file-recordings/wav-file-recordings.ts writes `/sd/NAME.wav`.
 * `--recordings flash` takes the `recordings` partition instead (partitions.csv). Device-only.
 */
import { File, Iterator } from 'file';
import config from 'mc/config';
import type { Board } from '../../hal/board.js';
import I2sIn from '../../drivers/i2s-in/i2s-in.js';
import { AudioInDtmfReceiver, type AudioInClass } from '../../drivers/audioin-dtmf/audioin-dtmf.js';
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

/** The recordings store the build chose: WAV files on the SD card, or the flash partition. */
function openRecordings(): RecordingStore & RecordingReader {
  if (config.recordings === 'flash') return new FlashRecordings(new FlashStorage({ partition: 'recordings' }));
  mount(CARD, PINS.sdSck, PINS.sdMiso, PINS.sdMosi, PINS.sdCs);
  return new WavFileRecordings({ File, Iterator } as unknown as FileModule, CARD, freeBytes);
}

export function createBoard(): Board {
  let receiver: AudioInDtmfReceiver | undefined;
  const board = openSlicBoard({
    slic: { shk: PINS.shk, rm: PINS.rm, fr: PINS.fr },
    outputs: OUTPUTS,
    dtmf: (clock) =>
      (receiver = new AudioInDtmfReceiver({
        clock,
        io: I2sIn as unknown as AudioInClass,
        sampleRate: 8000,
        gain: 1,
        filters: nativeDtmfFilters,
      })),
    audioIn: () => receiver?.input,
    recordings: openRecordings,
  });
  return { ...board, menuLimits: ESP32_MENU_LIMITS };
}
