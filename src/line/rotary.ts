/**
 * What a rotary dial does to the loop: for digit N (0 = ten pulses), N breaks and makes at its
 * pulse rate. Nominal dials run at 10 pulses per second with a break of 60–66 % of each pulse
 * (Telcordia GR-506: 10 ± 1 pps, 58–64 % break; UK BT SIN 351: 66⅔ %). Used by the simulator's
 * `dial:N` and by tests to drive the line state machine with real level changes.
 */
export interface DialTiming {
  pulsesPerSecond: number;
  /** Share of each pulse that is a break (open loop), 0..1. */
  breakRatio: number;
}

export const NOMINAL_DIAL: Readonly<DialTiming> = { pulsesPerSecond: 10, breakRatio: 0.6 };

/** A raw hook level change, `atMs` after the dial starts its first break. */
export interface LevelChange {
  atMs: number;
  offHook: boolean;
}

/** The pulse count a dial sends for a digit '0'..'9' (0 sends ten); undefined for anything else. */
export function digitPulses(digit: string): number | undefined {
  if (!/^[0-9]$/.test(digit)) return undefined;
  return digit === '0' ? 10 : Number(digit);
}

/**
 * The level changes of one dialed digit: break, make, break, make... ending on a make. Times are
 * rounded to whole ms (virtual time is in ms).
 */
export function pulseTrain(pulses: number, timing: DialTiming = NOMINAL_DIAL): LevelChange[] {
  const period = 1000 / timing.pulsesPerSecond;
  const breakMs = period * timing.breakRatio;
  const changes: LevelChange[] = [];
  for (let i = 0; i < pulses; i++) {
    changes.push({ atMs: Math.round(i * period), offHook: false });
    changes.push({ atMs: Math.round(i * period + breakMs), offHook: true });
  }
  return changes;
}
