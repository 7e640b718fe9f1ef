import type { RegularSeries } from '../models/core/forecaster';
import { MODEL_KINDS } from '../models/model-kinds';
import { modelRefitCost } from './fit-schedule';
import { type CalibratedLevel, demandSizing, levelsRead } from '../src/planner/sizing';
import type { ReplayForecastStages } from './decision-path';
import { ReplayTrustGate } from './replay-trust-gate';
import { ForecastFeed, type ForecastFeedOptions } from './forecast-feed';
import { FitsAhead } from './fits-ahead';
import { fixedPolicy } from './policies/fixed-policy';
import { oraclePolicy } from './policies/oracle-policy';
import { type PrescaleScalingPolicy, prescaleHorizonSteps, prescalePolicy } from './policies/prescale-policy';
import { reactiveHpaPolicy } from './policies/reactive-hpa-policy';
import type { ScalingPolicy } from './policies/scaling-policy';
import { DEFAULT_BUSINESS_HOURS, schedulePolicy } from './policies/schedule-policy';
import type { SimulatedPool } from './pool-config';
import { type ReplayResult, replay, syncSecondsFor } from './replay';
import { DEFAULT_HPA_TOLERANCE } from './hpa-controller';

/** How the Prescale policy forecasts during a replay. */
export interface PrescaleSettings {
  /** Model kind (`models/model-kinds.ts`), or `auto`: trainings that choose the kind (auto-trainings.ts). */
  readonly model: string;
  /** Forecast quantile the plan provisions for when the pool has no `underProvisionCost` (plus headroom). */
  readonly quantile: number;
  /** Quantile levels the replayed series serves (`series[].quantiles`); cost-aware sizing interpolates between them. */
  readonly quantiles: readonly number[];
  /** Refit period of a model cheap to refit (the seasonal model: production's refit schedule at the shipped `training.schedule`). */
  readonly retrainEverySeconds: number;
  /** Training period of a model whose refit trains (LSTM, MSTL, the ensemble): see `FitScheduleOptions.trainEverySeconds` (fit-schedule.ts). */
  readonly trainEverySeconds: number;
  readonly trainWindowSeconds: number;
  readonly minHistorySeconds: number;
  readonly seed: number;
  /** Scale-down stabilization of Prescale's HPA (the plan already looks ahead, so it needs less than 300 s). */
  readonly scaleDownStabilizationSeconds: number;
  /**
   * `behavior.scaleUp.tolerance` of Prescale's HPA (KEP-4951). The cluster's 0.1 by default,
   * what every cluster does (per-HPA tolerance needs the HPAConfigurableTolerance gate); what 0
   * buys and costs is in docs/simulate.md ("The HPA's scale-up tolerance").
   */
  readonly scaleUpTolerance: number;
  /** `behavior.scaleUp.tolerance` of the reactive HPA it is compared with (0.1, the cluster default: an HPA as people run it). */
  readonly reactiveScaleUpTolerance: number;
  /** How long the reactive floor holds a peak of observed load (the HPA default window, 300 s). */
  readonly reactiveHoldSeconds: number;
  /**
   * Size the steady part and leave the spread the reactive term holds to it
   * (src/planner/burst-cover.ts). Off by default: the service's `PlanService` does not apply
   * it yet, and a replay predicts the service; measured in docs/simulate.md (`--burst`).
   */
  readonly burstCover: boolean;
  /**
   * Buy only the forecast's rise above the reactive cover (src/planner/rise-cover.ts). Off by
   * default for the same reason as `burstCover`; measured in docs/simulate.md (`--rise`).
   */
  readonly riseCover: boolean;
  /**
   * With `riseCover`: how long a burst's capacity is held while the forecast's sizing level
   * still reaches it (src/planner/burst-hold.ts); 0 holds nothing. Measured in
   * docs/simulate.md (`--rise --burst-hold`).
   */
  readonly burstHoldSeconds: number;
}

/**
 * The seasonal model. The ensemble (`--model ensemble`) trains an LSTM on every refit, and
 * at a 6 h retrain period that is minutes per simulated week on two cores, so it is opt-in
 * here; in production it is trained once and conditioned between trainings (docs/training.md).
 */
export function defaultSimulationModel(): string {
  return 'seasonal' in MODEL_KINDS ? 'seasonal' : 'seasonal-naive';
}

/** The one policy configuration used for every trace (see docs/simulate.md for how it was chosen). */
export const DEFAULT_PRESCALE_SETTINGS: PrescaleSettings = {
  model: defaultSimulationModel(),
  quantile: 0.85,
  quantiles: [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98],
  retrainEverySeconds: 6 * 3600,
  // A training a day, as a refresh refits without `training.schedule` (src/forecast/refit-schedule.ts).
  trainEverySeconds: 86_400,
  trainWindowSeconds: 14 * 86_400,
  minHistorySeconds: 86_400,
  seed: 1,
  scaleDownStabilizationSeconds: 0,
  scaleUpTolerance: DEFAULT_HPA_TOLERANCE,
  reactiveScaleUpTolerance: DEFAULT_HPA_TOLERANCE,
  reactiveHoldSeconds: 300,
  burstCover: false,
  riseCover: false,
  burstHoldSeconds: 0,
};

const WEEK_SECONDS = 7 * 86_400;

/** Default warm-up: a week of training, but never more than half the trace. */
export function defaultWarmupSeconds(trace: RegularSeries): number {
  return Math.min(WEEK_SECONDS, (trace.values.length * trace.stepSeconds) / 2);
}

export interface SimulateOptions {
  readonly prescale?: Partial<PrescaleSettings>;
  readonly warmupSeconds?: number;
  readonly recordCapacity?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  /** The serving stages (calibration, trust gate) the replay's forecasts go through: see decision-path.ts. Default: {@link serviceStages}. */
  readonly stages?: ReplayForecastStages;
}

/** The five policies in report order, built for one trace and pool. */
export function buildPolicies(
  trace: RegularSeries,
  pool: SimulatedPool,
  settings: PrescaleSettings,
  syncSeconds: number,
  stages: ReplayForecastStages = {},
  feed: ForecastFeed = new ForecastFeed(feedOptions(trace, pool, settings, syncSeconds)),
): ScalingPolicy[] {
  return [
    reactiveHpaPolicy(pool, settings.reactiveScaleUpTolerance),
    schedulePolicy(trace, pool, { ...DEFAULT_BUSINESS_HOURS, timezone: trace.timezone }),
    fixedPolicy(trace.values, pool),
    prescalePolicy(pool, feed, syncSeconds, {
      scaleDownStabilizationSeconds: settings.scaleDownStabilizationSeconds,
      scaleUpTolerance: settings.scaleUpTolerance,
      reactiveHoldSeconds: settings.reactiveHoldSeconds,
      quantile: settings.quantile,
      burstCover: settings.burstCover,
      riseCover: settings.riseCover,
      burstHoldSeconds: settings.burstHoldSeconds,
      stages,
    }),
    oraclePolicy(trace, pool, syncSeconds),
  ];
}

function feedOptions(trace: RegularSeries, pool: SimulatedPool, settings: PrescaleSettings, syncSeconds: number): ForecastFeedOptions {
  return {
    model: settings.model,
    quantiles: replayLevels(pool, settings),
    horizonSteps: prescaleHorizonSteps(pool, syncSeconds, trace.stepSeconds),
    retrainEverySeconds: settings.retrainEverySeconds,
    trainEverySeconds: settings.trainEverySeconds,
    trainWindowSeconds: settings.trainWindowSeconds,
    minHistorySeconds: settings.minHistorySeconds,
    seed: settings.seed,
  };
}

/**
 * The feed of a replay: a kind that trains or fits for seconds (`refitCost` high) is fitted
 * ahead in a worker thread (fits-ahead.ts), the others on this thread.
 */
function replayFeed(trace: RegularSeries, pool: SimulatedPool, settings: PrescaleSettings, syncSeconds: number): ForecastFeed {
  const options = feedOptions(trace, pool, settings, syncSeconds);
  return modelRefitCost(settings.model) === 'high' ? new ForecastFeed(options, new FitsAhead(trace, options, options)) : new ForecastFeed(options);
}

/**
 * The levels the replay's model is asked for: those the sizing reads (`levelsRead`), out of
 * the served set. Interpolating between all served levels would give the same value; asking a
 * model for nine quantiles per step made long replays several times slower.
 */
function replayLevels(pool: SimulatedPool, settings: PrescaleSettings): number[] {
  const served = [...new Set([...settings.quantiles, settings.quantile])];
  const keys = { quantile: settings.quantile, costPerReplicaHour: pool.costPerReplicaHour, underProvisionCost: pool.underProvisionCost };
  // Decision calibration moves the level over the whole served range: every level is asked for.
  const read = pool.calibrateDecisions ? [...served].sort((a, b) => a - b) : levelsRead(served, demandSizing(keys, served).quantile);
  // The burst cover reads the median as well.
  return settings.burstCover ? [...new Set([0.5, ...read])].sort((a, b) => a - b) : read;
}

/**
 * The stages the service applies, as a replay runs them. `calibrate` is identity because the
 * calibration already lives in the model: `ForecastFeed` builds its forecasters through
 * `modelKind` (models/model-kinds.ts), which wraps every kind in `OnlineCalibrated`, so the
 * replay's forecasts are the served, calibrated ones. `gate` is the service's trust gate with
 * its default config (`series[].trustGate`), fed with this replay's forecasts.
 */
export function serviceStages(gate: ReplayTrustGate = new ReplayTrustGate()): ReplayForecastStages {
  return { gate: (forecast, observed) => gate.gate(forecast, observed) };
}

/** A replay and the kinds Prescale's scheduled fits served. */
export interface SimulationResult extends ReplayResult {
  /** Scheduled fits (trainings, under auto) by the kind each left serving, in first-served order. */
  readonly servedModels: Record<string, number>;
  /** With `calibrateDecisions`: the level Prescale's decision calibration reached at the end of the trace, and its outcomes. */
  readonly decisionCalibration?: CalibratedLevel;
}

/** Replays all five policies on `trace` for `pool`. */
export async function simulateTrace(trace: RegularSeries, pool: SimulatedPool, options: SimulateOptions = {}): Promise<SimulationResult> {
  const settings = { ...DEFAULT_PRESCALE_SETTINGS, ...options.prescale };
  const syncSeconds = syncSecondsFor(trace.stepSeconds);
  const feed = replayFeed(trace, pool, settings, syncSeconds);
  try {
    const policies = buildPolicies(trace, pool, settings, syncSeconds, options.stages ?? serviceStages(), feed);
    const result = await replay(trace, policies, {
      pool,
      syncSeconds,
      warmupSeconds: options.warmupSeconds ?? defaultWarmupSeconds(trace),
      ...(options.recordCapacity ? { recordCapacity: true } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const calibration = policies.find((p): p is PrescaleScalingPolicy => 'decisionCalibration' in p)?.decisionCalibration() ?? null;
    return { ...result, servedModels: Object.fromEntries(feed.servedKinds), ...(calibration ? { decisionCalibration: calibration } : {}) };
  } finally {
    await feed.close();
  }
}
