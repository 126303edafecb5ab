/**
 * The Pico firmware for a menu, built and run in the emulator: what `ringdown device --board
 * pico-...` and the device lane share. A build is reused while its staged menu, ring menu, catalog
 * and clips are unchanged (make decides), so a second run of the same menu only boots.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PINS } from '../../boards/pico-ag1171-mt8870/pins.js';
import type { Sdk } from './sdk.js';
import type { Staged } from './stage.js';
import { buildPico, findPicoToolchain, type PicoBuild, type PicoToolchain } from './pico.js';
import { runPico, type PicoRun, type PicoRunOptions } from './pico-run.js';
import { elfSymbols, loadBootrom, PicoMachine } from './rp2040.js';

/** Boards the emulator can play (their pins.ts is the one above). */
export const PICO_BOARDS = ['pico-ag1171-mt8870'] as const;

export interface PicoSetup {
  pico: PicoToolchain;
  bootrom: Uint32Array;
}

/** The pico-sdk and the bootrom, or a sentence saying what is missing. */
export function findPicoSetup(env: NodeJS.ProcessEnv = process.env): PicoSetup | string {
  const pico = findPicoToolchain(env);
  if (typeof pico === 'string') return pico;
  const bootrom = loadBootrom({ ...env, PICO_ROOT: pico.env.PICO_ROOT });
  if (typeof bootrom === 'string') return bootrom;
  return { pico, bootrom };
}

/** `config`: mcconfig `name=value` entries (a lane's `collectPin`). */
export function buildPicoFirmware(
  sdk: Sdk,
  setup: PicoSetup,
  staged: Staged,
  board: string,
  config?: Record<string, string>,
): PicoBuild {
  // make copies a data resource only when its source is newer than the build's copy (see lin.ts).
  return buildPico(sdk, setup.pico, staged, { board, ...(config !== undefined ? { config } : {}) });
}

/** The emulated Pico with a built firmware in its flash (over `flash`, what an earlier run left), at reset. */
export function picoMachine(
  setup: PicoSetup,
  build: { elf: string; uf2: string },
  options: { skipIdle?: boolean; flash?: Uint8Array } = {},
): PicoMachine {
  return new PicoMachine({
    uf2: new Uint8Array(readFileSync(build.uf2)),
    bootrom: setup.bootrom,
    symbols: elfSymbols(build.elf, join(setup.pico.env.PICO_GCC_ROOT!, 'bin', 'arm-none-eabi-nm')),
    i2s: { data: PINS.i2sData, bck: PINS.i2sBck, lrck: PINS.i2sLrck },
    ...options,
  });
}

/** Boots a built firmware and plays a script at its pins. */
export function playPico(
  setup: PicoSetup,
  build: { elf: string; uf2: string },
  options: Omit<PicoRunOptions, 'pins'>,
  skipIdle = true,
): PicoRun {
  return runPico(picoMachine(setup, build, { skipIdle }), { ...options, pins: PINS });
}
