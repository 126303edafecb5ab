/**
 * The ESP32 firmware for a menu, built for the emulator and booted in QEMU: what `ringdown device
 * --board esp32-...` runs. The build is the board's debug build with the emulator profile
 * (tools/device/esp32-emulator.sdkconfig) in a folder of its own, so a board built for flashing is
 * never built with QEMU's settings. The firmware's trace events (JSON lines) come back through
 * xsbug's log on UART0 (tools/device/esp32-qemu.ts).
 *
 * No call is played: QEMU's ESP32 GPIO model answers only the strap register (no pin inputs), and
 * it has no I2S or ADC, so the firmware runs with the phone on-hook and no keys. The run ends a few
 * seconds after the first trace event (the phone at rest), the boot's figures measured on the way.
 */
import { join } from 'node:path';
import type { TraceEvent } from '../../src/engine/trace.js';
import { parseTraceLine } from './compare.js';
import { buildEsp32, type Esp32Build } from './esp32.js';
import type { Esp32Toolchain } from './esp32-idf.js';
import { bootEsp32, type Esp32Boot, flashImage, findQemu } from './esp32-qemu.js';
import type { Sdk } from './sdk.js';
import type { Staged } from './stage.js';

export function buildEsp32Emulator(sdk: Sdk, tool: Esp32Toolchain, staged: Staged, board: string): Esp32Build {
  return buildEsp32(sdk, staged, {
    board,
    release: false,
    flash: false,
    toolchain: tool,
    emulator: true,
  });
}

export interface Esp32Run extends Esp32Boot {
  trace: TraceEvent[];
  /** Notes the firmware logged (lines that are not trace events). */
  notes: string[];
}

/** Boots an emulator build; `onTrace` sees each trace event as it arrives. */
export async function runEsp32(
  tool: Esp32Toolchain,
  build: Esp32Build,
  options: {
    afterReadyMs?: number;
    /** Instrumentation samples that must come after the menu line before the run ends (default 1). */
    samplesAfterReady?: number;
    timeoutMs?: number;
    onTrace?: (e: TraceEvent) => void;
    onNote?: (line: string) => void;
  },
): Promise<Esp32Run | string> {
  if (build.firmware === undefined) return 'the build has no linked firmware';
  const qemu = findQemu(tool);
  if (!qemu.startsWith('/')) return qemu;
  const image = join(build.firmware.buildDir, 'flash-qemu.bin');
  const problem = flashImage(tool, build.firmware.buildDir, image);
  if (problem !== undefined) return problem;
  const trace: TraceEvent[] = [];
  const notes: string[] = [];
  const boot = await bootEsp32(qemu, {
    image,
    readyLine: /^ringdown: (menu|.*running the (built-in|fallback) menu)/,
    afterReadyMs: options.afterReadyMs ?? 5000,
    ...(options.samplesAfterReady !== undefined ? { samplesAfterReady: options.samplesAfterReady } : {}),
    timeoutMs: options.timeoutMs ?? 180_000,
    onLine: (line) => {
      const event = parseTraceLine(line);
      if (event !== undefined) {
        trace.push(event);
        options.onTrace?.(event);
      } else {
        notes.push(line);
        options.onNote?.(line);
      }
    },
  });
  // XS stops the machine on memory exhaustion (and Moddable's host then idles): a failed run.
  const abort = notes.find((line) => /^XS abort/.test(line));
  return {
    ...boot,
    trace,
    notes,
    ...(abort !== undefined ? { problem: `the firmware stopped: ${abort.trim()}` } : {}),
  };
}
