import type { TrustGateConfig } from '../config/trust-gate-schema';
import type { AccuracyScores } from './score-sums';

/** Why the gate holds: the forecast lost to seasonal-naive, or its upper quantile covered too few actuals. */
export type TrustFallbackReason = 'mase-ratio' | 'coverage';
export const TRUST_FALLBACK_REASONS: readonly TrustFallbackReason[] = ['mase-ratio', 'coverage'];

/** The gate of one series. */
export interface TrustGateState {
  engaged: boolean;
  /** Set while engaged. */
  reason: TrustFallbackReason | null;
  /** Epoch ms the gate last engaged or released; null before its first change. */
  sinceMs: number | null;
  /** The numbers behind the last decision, for the detail line. */
  maseRatio: number | null;
  coverage: number | null;
}

export const OPEN_GATE: TrustGateState = { engaged: false, reason: null, sinceMs: null, maseRatio: null, coverage: null };

/**
 * One step of the trust gate, with hysteresis so it does not flap on the threshold: it
 * engages when the window has at least `minPoints` scored points and the MASE ratio is above
 * `maxMaseRatio` or the coverage of the highest served quantile is below `minCoverage`; it
 * releases only when the criterion holding it is past its recovery threshold
 * (`recoverMaseRatio`, `recoverCoverage`) and the other one passes its engage threshold. Too few points never changes the state (a series that stopped scoring
 * keeps what it had). A disabled gate is always open. Pure.
 *
 * @param upperQuantile the highest served quantile level, whose coverage is judged.
 */
export function stepTrustGate(state: TrustGateState, scores: AccuracyScores, options: { config: TrustGateConfig; upperQuantile: number; nowMs: number }): TrustGateState {
  const { config, nowMs } = options;
  if (!config.enabled) return state.engaged ? { ...OPEN_GATE, sinceMs: nowMs } : state;
  if (scores.points < config.minPoints) return state;
  const ratio = scores.maseRatio;
  const coverage = scores.coverage[String(options.upperQuantile)] ?? null;
  const numbers = { maseRatio: ratio, coverage };
  const failing: TrustFallbackReason | null =
    ratio !== null && ratio > config.maxMaseRatio ? 'mase-ratio' : coverage !== null && coverage < config.minCoverage ? 'coverage' : null;
  if (!state.engaged) return failing ? { engaged: true, reason: failing, sinceMs: nowMs, ...numbers } : { ...state, ...numbers };
  // Hysteresis on the criterion that holds the gate; the other only has to pass. (Serving
  // seasonal-naive itself scores a ratio of exactly 1, which must not hold a coverage gate.)
  const byRatio = state.reason === 'mase-ratio';
  const ratioOk = ratio === null || ratio <= (byRatio ? config.recoverMaseRatio : config.maxMaseRatio);
  const coverageOk = coverage === null || coverage >= (byRatio ? config.minCoverage : config.recoverCoverage);
  const recovered = ratioOk && coverageOk;
  if (recovered) return { engaged: false, reason: null, sinceMs: nowMs, ...numbers };
  // Still engaged: the reason follows what fails now (in the band between thresholds, what engaged it).
  return { ...state, reason: failing ?? state.reason, ...numbers };
}

/** One line for `fallbackReason` and the plan reason. */
export function trustFallbackDetail(state: TrustGateState, config: TrustGateConfig, upperQuantile: number): string {
  const fmt = (x: number | null): string => (x === null ? 'n/a' : String(Math.round(x * 1000) / 1000));
  const why =
    state.reason === 'mase-ratio'
      ? `the forecast's MASE is ${fmt(state.maseRatio)}× seasonal-naive's over ${config.window} (engages above ${config.maxMaseRatio}, releases at ${config.recoverMaseRatio})`
      : `q${upperQuantile} covered ${fmt(state.coverage)} of actuals over ${config.window} (engages below ${config.minCoverage}, releases at ${config.recoverCoverage})`;
  return `trust gate: ${why}; every point is the last observation (the reactive demand)`;
}
