import type { PoolConfig, QuotasConfig } from '../config/planner-schema';
import type { PublishedForecast } from '../forecast/published-forecast';
import type { ForecastReader, PlanContext, PlanSet } from '../planner/plan-service';
import type { PlanStep } from '../planner/plan-types';
import type { AdvisorySample } from '../advisory/advisory-sample';
import type { Logger } from '../telemetry/logger';
import type { Clock } from '../time/clock';
import { DecisionIds } from './decision-id';
import { decisionInputs } from './decision-inputs';
import type { DecisionOutcome, DecisionRecord } from './decision-record';
import type { DecisionStore } from './decision-store';

/** One target's decision as the actuator saw it. */
export interface DecisionFacts {
  pool: string;
  mode: DecisionRecord['mode'];
  target: DecisionRecord['target'];
  from: number | null;
  to: number;
  outcome: DecisionOutcome;
  step: PlanStep;
  error?: string;
}

/** What a round was planned with: the plan and the cluster facts. */
export interface RoundFacts {
  set: PlanSet;
  context: PlanContext;
}

/** Outcomes that repeat every round while nothing is written: recorded once per (from, to). */
const REPEATING: ReadonlySet<DecisionOutcome> = new Set(['advisory', 'dry-run', 'skipped']);

/**
 * Gives each decision an id and keeps it in the decision store with its inputs. In advisory
 * and dry-run mode nothing is written, so the same "would change" recurs every round until
 * the target or the plan moves: it is recorded once (and keeps its id) instead of every
 * 30 s. A store failure is logged and never stops the actuator.
 */
export class DecisionRecorder {
  private readonly ids: DecisionIds;
  private readonly last = new Map<string, { key: string; id: string }>();

  constructor(
    private readonly d: {
      store: DecisionStore;
      pools: readonly PoolConfig[];
      quotas: QuotasConfig;
      forecasts: Pick<ForecastReader, 'forecast'> | null;
      clock: Clock;
      logger: Logger;
      identity: string;
      ids?: DecisionIds;
    },
  ) {
    this.ids = d.ids ?? new DecisionIds();
  }

  /** Records a decision; returns its id (the previous one for a repeat), or null when the store failed. */
  record(round: RoundFacts, f: DecisionFacts): string | null {
    const targetKey = `${f.pool}/${f.target.kind}/${f.target.namespace}/${f.target.name}`;
    const key = `${f.outcome}:${f.from}:${f.to}`;
    const previous = this.last.get(targetKey);
    if (previous && previous.key === key && REPEATING.has(f.outcome)) return previous.id;
    const pool = this.d.pools.find((p) => p.name === f.pool);
    const view = round.set.pools.find((p) => p.pool === f.pool);
    if (!pool || !view) return null;
    const nowMs = this.d.clock.now();
    const id = this.ids.next(nowMs);
    const record: DecisionRecord = {
      id,
      time: new Date(nowMs).toISOString(),
      pool: f.pool,
      mode: f.mode,
      target: f.target,
      stepTime: new Date(f.step.t).toISOString(),
      from: f.from,
      to: f.to,
      outcome: f.outcome,
      who: this.d.identity,
      ...(f.error !== undefined ? { error: f.error } : {}),
      inputs: decisionInputs({ pool, pools: this.d.pools, quotas: this.d.quotas, set: round.set, view, step: f.step, context: round.context, forecast: this.forecastOf(view.forecast.series) }),
    };
    try {
      this.d.store.append(record);
    } catch (err) {
      this.d.logger.warn({ err, pool: f.pool }, 'could not store the decision record; the audit log still has the change');
      return null;
    }
    this.last.set(targetKey, { key, id });
    return id;
  }

  /** Keeps one advisory sample; a store failure is logged. */
  sample(s: AdvisorySample): void {
    try {
      this.d.store.appendSample(s);
    } catch (err) {
      this.d.logger.warn({ err, pool: s.pool }, 'could not store the advisory sample; the report will miss this round');
    }
  }

  /** The observed demand of a pool's series, for its advisory sample. */
  observedDemand(series: string): number | null {
    return this.forecastOf(series)?.lastObserved.v ?? null;
  }

  private forecastOf(series: string): PublishedForecast | null {
    try {
      return this.d.forecasts?.forecast(series) ?? null;
    } catch {
      // No sample yet: the record says so with nulls.
      return null;
    }
  }
}
