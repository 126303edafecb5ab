/**
 * What the Pico lanes need before they run: the Moddable SDK, the pico-sdk with its toolchain and
 * the RP2040 bootrom, and espeak-ng for the example clips. Without one the lane prints why and
 * `# lane: skipped` (counted neither passed nor failed by test/run-all.ts).
 */
import { findPicoSetup, type PicoSetup } from '../../tools/device/pico-device.js';
import { findSdk, type Sdk, which } from '../../tools/device/sdk.js';

export function picoLaneSetup(lane: string): { sdk: Sdk; setup: PicoSetup } | undefined {
  const sdk = findSdk();
  const setup = typeof sdk === 'string' ? sdk : findPicoSetup();
  const skip =
    typeof sdk === 'string'
      ? sdk
      : typeof setup === 'string'
        ? setup
        : which('espeak-ng') === undefined
          ? 'espeak-ng is missing (the example clips)'
          : undefined;
  if (skip !== undefined || typeof sdk === 'string' || typeof setup === 'string') {
    process.stdout.write(`# ${lane} skipped: ${skip ?? ''}\n# lane: skipped\n`);
    return undefined;
  }
  return { sdk, setup };
}
