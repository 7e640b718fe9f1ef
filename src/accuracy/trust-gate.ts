import { ACCURACY_WINDOWS, type AccuracyWindow, type TrustGateConfig } from '../config/trust-gate-schema';
import { HORIZON_BUCKETS } from './horizon-buckets';
import { type AccuracyScores, type ScoreSums, scoresOf } from './score-sums';

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
  /** The window the last decision judged (see {@link judgedEvidence}); absent in states saved before it was recorded. */
  window?: AccuracyWindow;
}

export const OPEN_GATE: TrustGateState = { engaged: false, reason: null, sinceMs: null, maseRatio: null, coverage: null };

/** What one decision of the gate reads: a window's pooled scores and how many targets they score. */
export interface GateEvidence {
  window: AccuracyWindow;
  scores: AccuracyScores;
  /** Distinct scored targets (steps) in the window: the count of its most-scored horizon bucket. */
  targets: number;
}

/**
 * The evidence the gate judges: the configured window, or the next longer one while the
 * configured one holds fewer than `minPoints` scored *targets* at the series' step. Targets,
 * not points: the same actual scored at two leads (two horizon buckets) is one observation of
 * the forecast's accuracy, not two, and an hourly series has only 23 targets in "24 h" — too
 * few for a MASE ratio or a 0.9-quantile coverage to tell a worse forecast from noise (on the
 * hourly bench traces the gate engaged at ratios of 1.00–1.25 and coverages of 16/23, dozens
 * of times, while the forecast it refused was short five times less often than the fallback;
 * docs/simulate.md). A minute or 5-minute series keeps its configured window. Pure.
 */
export function judgedEvidence(
  accuracy: { sums(window: AccuracyWindow, nowMs: number, bucket?: number): ScoreSums },
  levels: readonly number[],
  config: Pick<TrustGateConfig, 'window' | 'minPoints'>,
  nowMs: number,
): GateEvidence {
  const targetsIn = (w: AccuracyWindow): number => Math.max(0, ...HORIZON_BUCKETS.map((_, b) => accuracy.sums(w, nowMs, b).count));
  let window = config.window;
  let targets = targetsIn(window);
  for (let i = ACCURACY_WINDOWS.indexOf(window) + 1; targets < config.minPoints && i < ACCURACY_WINDOWS.length; i++) {
    const longer = ACCURACY_WINDOWS[i] as AccuracyWindow;
    const n = targetsIn(longer);
    // A longer window that holds no more targets (scoring started within the shorter one) is no better evidence.
    if (n > targets) {
      window = longer;
      targets = n;
    }
  }
  return { window, scores: scoresOf(accuracy.sums(window, nowMs), levels), targets };
}

/**
 * One step of the trust gate, with hysteresis so it does not flap on the threshold: it
 * engages when the window has at least `minPoints` scored targets (`evidence.targets`; the
 * pooled points when a bare `AccuracyScores` is given) and the MASE ratio is above
 * `maxMaseRatio` or the coverage of the highest served quantile is below `minCoverage`; it
 * releases only when the criterion holding it is past its recovery threshold
 * (`recoverMaseRatio`, `recoverCoverage`) and the other one passes its engage threshold. Too few targets never changes the state (a series that stopped scoring
 * keeps what it had). A disabled gate is always open. Pure.
 *
 * @param upperQuantile the highest served quantile level, whose coverage is judged.
 */
export function stepTrustGate(state: TrustGateState, evidence: AccuracyScores | GateEvidence, options: { config: TrustGateConfig; upperQuantile: number; nowMs: number }): TrustGateState {
  const { config, nowMs } = options;
  if (!config.enabled) return state.engaged ? { ...OPEN_GATE, sinceMs: nowMs } : state;
  const judged = 'targets' in evidence ? evidence : { window: config.window, scores: evidence, targets: evidence.points };
  const { scores } = judged;
  if (judged.targets < config.minPoints) return state;
  const ratio = scores.maseRatio;
  const coverage = scores.coverage[String(options.upperQuantile)] ?? null;
  const numbers = { maseRatio: ratio, coverage, window: judged.window };
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

/** What a gated series serves, in the words of `fallbackReason` and the plan reason (src/forecast/reactive-demand.ts). */
export const REACTIVE_DEMAND_TEXT = 'every point is the reactive demand (the peak observation over the observation-floor window, at least the last observation)';

/** One line for `fallbackReason` and the plan reason. */
export function trustFallbackDetail(state: TrustGateState, config: TrustGateConfig, upperQuantile: number): string {
  const fmt = (x: number | null): string => (x === null ? 'n/a' : String(Math.round(x * 1000) / 1000));
  const window = state.window ?? config.window;
  const why =
    state.reason === 'mase-ratio'
      ? `the forecast's MASE is ${fmt(state.maseRatio)}× seasonal-naive's over ${window} (engages above ${config.maxMaseRatio}, releases at ${config.recoverMaseRatio})`
      : `q${upperQuantile} covered ${fmt(state.coverage)} of actuals over ${window} (engages below ${config.minCoverage}, releases at ${config.recoverCoverage})`;
  return `trust gate: ${why}; ${REACTIVE_DEMAND_TEXT}`;
}
