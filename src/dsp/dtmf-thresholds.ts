/**
 * The DTMF detector's limits, computed once from its options: those every window and run share,
 * and two sets for the two paths a key may take down (clean signal, and barge-in: a key under our
 * own prompt leaking back through the hybrid), each checked by the same two functions.
 */
import { dbm0ToAmplitude } from '../tones/synth.js';
import type { DtmfDetectorOptions } from './dtmf-options.js';
import { HOP, SUB, TAPER_SQUARES } from './dtmf-window.js';

/** One path's limits: on each window, then on the run of windows that puts a key down. */
export interface PathThresholds {
  /** Row over column power, at most (normal twist), and column over row (reverse twist). */
  readonly normalTwist: number;
  readonly reverseTwist: number;
  /** Each tone's power over the 1075 Hz guard's, at least (the weaker tone's). */
  readonly guard: number;
  /** Each tone's power over the next strongest of its group, at least. */
  readonly purity: number;
  /** The pair's share of the window's energy (dial tone not counted), at least. */
  readonly share: number;
  /** Windows of the run, at least: those that passed this path (clean), or all of them (barge-in). */
  readonly windows: number;
  readonly windowsPassedThisPath: boolean;
  /** Windows of the run where the pair holds `downShare` of the energy, at least. */
  readonly strongWindows: number;
  /** Failing windows forgiven inside the run, at most. */
  readonly maxGaps: number;
  /** The run's row over column power (summed over its last windows), at most. */
  readonly runNormalTwist: number;
  /** The pair's share of the energy over the run's last windows, at least. */
  readonly runShare: number;
  /** The twist's spread over those windows (amplitude ratio, max over min), at most. */
  readonly twistSpread: number;
}

/** The run as the path checks see it (`DtmfRun`). */
export interface RunSummary {
  /** Windows in the run, and those of them that passed the clean path or held `downShare`. */
  readonly length: number;
  readonly strict: number;
  readonly strong: number;
  /** Failing windows forgiven inside it so far. */
  readonly gaps: number;
  /** Its twist and the twist's spread over the windows its share was last judged on. */
  readonly twist: number;
  readonly twistSpread: number;
}

export interface DtmfThresholds {
  readonly clean: PathThresholds;
  readonly barge: PathThresholds;
  /** Least power of each tone (the minimum level, as the window measures it). */
  readonly minPower: number;
  /** A sub-block with less energy than this (a tone 20 dB under the minimum level) is skipped. */
  readonly quietEnergy: number;
  /** Phase advance over a hop per Hz of frequency. */
  readonly radiansPerHz: number;
  /** Largest deviation of each tone, as a fraction (clean path), and its largest drift over the run in Hz. */
  readonly tolerance: number;
  readonly maxDrift: number;
  /** Largest mean deviation (fraction) and spread (Hz) over the last windows (barge-in path), and how many it needs. */
  readonly bargeTolerance: number;
  readonly bargeDrift: number;
  readonly bargeSteadyWindows: number;
  readonly downShare: number;
  /** Shortest tone that is a key, in samples. */
  readonly minTone: number;
  readonly releaseWindows: number;
  readonly octave: number;
  /** Power ratios of the onset and harmonic checks, and which quietest window the onset check takes (1-4). */
  readonly onset: number;
  readonly harmonic: number;
  readonly onsetRank: number;
}

function power(db: number): number {
  return Math.pow(10, db / 10);
}

function amplitude(db: number): number {
  return Math.pow(10, db / 20);
}

/**
 * The limits for `options` at `rate`. A barge-in window must also pass the clean path's twist, and
 * a clean one the barge-in path's guard: each set holds the tighter of the two.
 */
export function dtmfThresholds(options: Omit<DtmfDetectorOptions, 'onKey'>, rate: number): DtmfThresholds {
  const a = dbm0ToAmplitude(options.minLevelDbm0 ?? -36);
  const normalTwist = power(options.normalTwistDb ?? 10.5);
  const reverseTwist = power(options.reverseTwistDb ?? 6);
  const bargeGuard = power(options.bargeGuardDb ?? 6);
  return {
    clean: {
      normalTwist,
      reverseTwist,
      guard: Math.max(power(options.guardDb ?? 10), bargeGuard),
      purity: power(options.purityDb ?? 12),
      share: options.share ?? 0.5,
      windows: options.minWindows ?? 3,
      windowsPassedThisPath: true,
      strongWindows: 2,
      maxGaps: Infinity,
      runNormalTwist: Infinity,
      runShare: options.runShare ?? 0.75,
      twistSpread: amplitude(options.twistSpreadDb ?? 4),
    },
    barge: {
      normalTwist: Math.min(normalTwist, power(options.bargeNormalTwistDb ?? 9)),
      reverseTwist: Math.min(reverseTwist, power(options.bargeReverseTwistDb ?? 5)),
      guard: bargeGuard,
      purity: power(options.bargePurityDb ?? 2.5),
      share: options.bargeShare ?? 0.6,
      windows: options.bargeWindows ?? 3,
      windowsPassedThisPath: false,
      strongWindows: 0,
      maxGaps: options.bargeMaxGaps ?? 1,
      runNormalTwist: power(options.bargeRunNormalTwistDb ?? 6),
      runShare: options.bargeRunShare ?? 0.6,
      twistSpread: amplitude(options.bargeTwistSpreadDb ?? 6),
    },
    minPower: (TAPER_SQUARES * a * a) / 2,
    quietEnergy: (SUB * a * a) / 2 / 100,
    radiansPerHz: (2 * Math.PI * HOP) / rate,
    tolerance: options.tolerance ?? 0.02,
    maxDrift: options.maxDriftHz ?? 12,
    bargeTolerance: options.bargeTolerance ?? 0.005,
    bargeDrift: options.bargeDriftHz ?? 10,
    bargeSteadyWindows: options.bargeSteadyWindows ?? 2,
    downShare: options.downShare ?? 0.8,
    minTone: ((options.minToneMs ?? 30) * rate) / 1000,
    releaseWindows: options.releaseWindows ?? 3,
    octave: options.octave ?? 0.01,
    onset: power(options.onsetDb ?? -6),
    harmonic: power(options.harmonicDb ?? -15),
    onsetRank: Math.max(1, Math.min(4, options.onsetRank ?? 3)),
  };
}

/** One window's levels, as the path checks see them. */
export interface WindowLevels {
  /** The strongest row (0-3) and column (4-7) filter. */
  r: number;
  c: number;
  /** Their powers, corrected for the window's loss off their bins, and the next strongest of each group. */
  pr: number;
  pc: number;
  rowNext: number;
  colNext: number;
  /** The 1075 Hz guard's power, and the window's energy less dial tone (at least 1). */
  guard: number;
  rest: number;
  /** The pair's strength: the sum of the tones' amplitudes. */
  strength: number;
}

/** Whether a window passes a path's level checks. */
export function windowPasses(t: PathThresholds, minPower: number, w: WindowLevels): boolean {
  const { pr, pc } = w;
  return (
    pr >= minPower &&
    pc >= minPower &&
    pr <= pc * t.normalTwist &&
    pc <= pr * t.reverseTwist &&
    w.guard * t.guard <= (pr < pc ? pr : pc) &&
    pr >= w.rowNext * t.purity &&
    pc >= w.colNext * t.purity &&
    pr + pc >= t.share * w.rest
  );
}

/** Whether the run passes a path's run checks (its pitch checks apart), with `share` the pair's over its last windows. */
export function runPasses(t: PathThresholds, run: RunSummary, share: number): boolean {
  return (
    (t.windowsPassedThisPath ? run.strict : run.length) >= t.windows &&
    run.strong >= t.strongWindows &&
    run.gaps <= t.maxGaps &&
    run.twist <= t.runNormalTwist &&
    share >= t.runShare &&
    run.twistSpread <= t.twistSpread
  );
}
