import type { Forecast, RegularSeries } from '../models/core/forecaster';
import { type TrustGateConfig, trustGateSchema } from '../src/config/trust-gate-schema';
import { SeriesAccuracy } from '../src/accuracy/series-accuracy';
import { OPEN_GATE, type TrustGateState, judgedEvidence, stepTrustGate, trustFallbackDetail } from '../src/accuracy/trust-gate';

/** The history the gate scores against: the scale is seasonal-naive's in-sample MAE, which a week settles. */
const SCORED_HISTORY_SECONDS = 7 * 86_400;

/** One change of the gate during a replay. */
export interface GateChange {
  readonly tMs: number;
  readonly engaged: boolean;
  readonly reason: string | null;
}

/**
 * The service's trust gate inside a replay: the same pure parts the `AccuracyTracker` steps
 * (`SeriesAccuracy` scores each served forecast against what then happened, `judgedEvidence`
 * reads the judged window, `stepTrustGate` decides with hysteresis), fed with the replay's own forecasts.
 * It scores once per trace step (the replay asks several times per step, one per HPA sync;
 * the service scores once per refresh) and keeps the last verdict for the other syncs.
 * One instance per replay: it is the series' live-accuracy state.
 */
export class ReplayTrustGate {
  private accuracy: SeriesAccuracy | null = null;
  private state: TrustGateState = OPEN_GATE;
  private lastLength = -1;
  readonly changes: GateChange[] = [];
  /** Trace steps the gate held (served the reactive-safe value). */
  engagedSteps = 0;

  constructor(readonly config: TrustGateConfig = trustGateSchema.parse({})) {}

  get engaged(): boolean {
    return this.state.engaged;
  }

  gate(forecast: Forecast, observed: RegularSeries): { forecast: Forecast } | { fallbackReason: string } {
    const levels = Object.keys(forecast.quantiles).map(Number).sort((a, b) => a - b);
    const upper = levels[levels.length - 1] ?? 0.9;
    if (observed.values.length !== this.lastLength) {
      this.lastLength = observed.values.length;
      const history = recent(observed, SCORED_HISTORY_SECONDS);
      const nowMs = history.startMs + (history.values.length - 1) * history.stepSeconds * 1000;
      if (!this.accuracy || this.accuracy.stepSeconds !== observed.stepSeconds) this.accuracy = new SeriesAccuracy(levels, observed.stepSeconds);
      this.accuracy.observe(history, forecast, nowMs);
      const before = this.state.engaged;
      this.state = stepTrustGate(this.state, judgedEvidence(this.accuracy, levels, this.config, nowMs), { config: this.config, upperQuantile: upper, nowMs });
      if (this.state.engaged !== before) this.changes.push({ tMs: nowMs, engaged: this.state.engaged, reason: this.state.reason });
      if (this.state.engaged) this.engagedSteps++;
    }
    return this.state.engaged ? { fallbackReason: trustFallbackDetail(this.state, this.config, upper) } : { forecast };
  }
}

/** The trailing `seconds` of a series (a view, no copy). */
function recent(series: RegularSeries, seconds: number): RegularSeries {
  const keep = Math.ceil(seconds / series.stepSeconds);
  const drop = Math.max(0, series.values.length - keep);
  if (drop === 0) return series;
  const values = series.values as ArrayLike<number> & { subarray?: (a: number) => ArrayLike<number>; slice: (a: number) => ArrayLike<number> };
  return { ...series, startMs: series.startMs + drop * series.stepSeconds * 1000, values: (values.subarray ? values.subarray(drop) : values.slice(drop)) as RegularSeries['values'] };
}
