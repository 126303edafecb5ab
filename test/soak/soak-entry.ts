/**
 * XS side of the soak: builds a Soak from `globalThis.RINGDOWN_SOAK` (menus and seed, injected by
 * the host) and leaves `globalThis.soakRun(n)` for the host to call, one batch of calls per crank,
 * each printing its running totals as one JSON line. Between batches the host runs `gc()` in a
 * crank of its own and reads the live heap from that crank's meters.
 */
import { Soak } from './soak-calls.js';

declare const print: (text: string) => void;
declare const globalThis: {
  RINGDOWN_SOAK?: { menus: Record<string, string>; seed: number };
  soakRun?: (count: number) => void;
};

const config = globalThis.RINGDOWN_SOAK ?? { menus: {}, seed: 1 };
const soak = new Soak(config.menus, config.seed);
globalThis.soakRun = (count: number): void => print(JSON.stringify(soak.run(count)));
