/**
 * How much XS stack a piece of work needs, measured on xsnap-worker, whose stack is fixed at
 * 4096 slots: the work runs at the bottom of a recursion `pad(n)` that spends stack first, and a
 * binary search over n (one xsnap run each: a stack overflow ends the worker) finds the deepest
 * padding it survives. A calibration run with no work gives the padding's cost a frame, so
 *
 *   slots needed ≈ (deepest padding with nothing − deepest padding with the work) × slots a frame.
 *
 * The device's budget is the manifest's `creation.stack` (the ESP32 and lin firmware boot with it);
 * the lane fails when the work needs more than that. This is how a stack regression is caught
 * without the Moddable SDK.
 */
import { runXs } from './xsnap.js';

/** xsnap-worker's stack, in slots (fixed when it is built). */
export const XSNAP_STACK_SLOTS = 4096;

/** A script running `work` (a function expression's source) below `depth` padding frames. */
function padded(prelude: string, work: string, depth: number): string {
  return `${prelude}\nconst work = ${work};\nfunction pad(n) { return n === 0 ? work() : pad(n - 1) + 0; }\npad(${depth});\n`;
}

/** The deepest padding (0..hi) under which `work` still runs, by binary search. */
async function deepestPadding(prelude: string, work: string, hi: number): Promise<number> {
  let ok = -1;
  let lo = 0;
  let top = hi;
  while (lo <= top) {
    const mid = (lo + top) >> 1;
    const run = await runXs(padded(prelude, work, mid));
    if (run.ok) {
      ok = mid;
      lo = mid + 1;
    } else {
      top = mid - 1;
    }
  }
  return ok;
}

export interface StackNeed {
  /** Slots a padding frame takes (calibrated). */
  slotsPerFrame: number;
  /** Slots the work needs beyond an empty call. */
  slots: number;
}

/** Measures the stack `work` needs; `prelude` defines what it calls (e.g. a bundled loader). */
export async function measureStack(prelude: string, work: string): Promise<StackNeed> {
  const empty = await deepestPadding(prelude, '() => 0', 4 * XSNAP_STACK_SLOTS);
  if (empty <= 0) throw new Error('the calibration run did not survive any padding');
  const slotsPerFrame = XSNAP_STACK_SLOTS / (empty + 1);
  const withWork = await deepestPadding(prelude, work, empty);
  if (withWork < 0) return { slotsPerFrame, slots: XSNAP_STACK_SLOTS };
  return { slotsPerFrame, slots: Math.round((empty - withWork) * slotsPerFrame) };
}
