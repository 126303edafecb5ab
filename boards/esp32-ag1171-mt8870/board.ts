/**
 * ESP32 + Ag1171 SLIC + MT8870 DTMF receiver: `createBoard()` opens the drivers on the pins of
 * pins.ts and returns the Board the core runs on. Device-only (Moddable modules).
 */
import DigitalBank from 'embedded:io/digitalbank';
import type { Board } from '../../hal/board.js';
import type { NamedOutput } from '../../drivers/digital-outputs/digital-outputs.js';
import { Mt8870 } from '../../drivers/mt8870/mt8870.js';
import { ESP32_MENU_LIMITS } from '../slic/esp32-menu-limits.js';
import { openSlicBoard, type SlicBoardOptions } from '../slic/slic-board.js';
import { OUTPUTS, PINS } from './pins.js';

type Pins = { readonly [K in keyof typeof PINS]: number };

/** An SLIC with SHK, RM, F/R and an MT8870 on Q1..Q4, StD: this board, or one that differs in pins. */
export function openMt8870Board(
  pins: Pins,
  outputs: Readonly<Record<string, NamedOutput>>,
  options: Pick<SlicBoardOptions, 'clipEnds' | 'clock'> = {},
): Board {
  return openSlicBoard({
    ...options,
    slic: { shk: pins.shk, rm: pins.rm, fr: pins.fr },
    outputs,
    bell: pins.bell,
    dtmf: (clock) =>
      new Mt8870({
        clock,
        io: DigitalBank,
        pins: { q1: pins.q1, q2: pins.q2, q3: pins.q3, q4: pins.q4, std: pins.std },
      }),
  });
}

export function createBoard(): Board {
  return { ...openMt8870Board(PINS, OUTPUTS), menuLimits: ESP32_MENU_LIMITS };
}
