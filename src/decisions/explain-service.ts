import type { Config } from '../config/schema';
import { PrescaleError, invalidInput } from '../errors/prescale-error';
import type { PublishedForecast } from '../forecast/published-forecast';
import type { ForecastReader, PlanService } from '../planner/plan-service';
import { forecastReplicasAt, quotaStateAt, stepAt } from './decision-inputs';
import type { DecisionStore } from './decision-store';
import { type ExplainFacts, explainSentences } from './explanation';

/** `GET /v1/plans/{pool}/explain?at=`: the sentences, and the facts they were made from. */
export interface Explanation {
  pool: string;
  /** The time asked about, and the plan step (or recorded decision step) that holds it (ISO 8601). */
  at: string;
  stepTime: string;
  /** `plan`: from the current plan; `decision`: from the newest decision recorded at or before `at`. */
  source: 'plan' | 'decision';
  decision: string | null;
  replicas: number;
  previousReplicas: number | null;
  /** The sentences joined, for people. */
  text: string;
  sentences: string[];
  facts: ExplainFacts;
}

/**
 * Explains a pool's replicas at a time. A time within the current plan (now to the horizon)
 * is explained from that plan; an earlier one from the newest decision record at or before
 * it, which keeps the inputs the plan had then.
 */
export class ExplainService {
  constructor(
    private readonly d: {
      config: Readonly<Pick<Config, 'pools' | 'quotas'>>;
      plans: Pick<PlanService, 'current'>;
      forecasts: Pick<ForecastReader, 'forecast'>;
      decisions: Pick<DecisionStore, 'latestAt'>;
    },
  ) {}

  /** @throws {PrescaleError} POOL_NOT_FOUND; INVALID_INPUT (`at`) beyond the horizon or before any record. */
  explain(pool: string, atMs: number): Explanation {
    const cfg = this.d.config.pools.find((p) => p.name === pool);
    if (!cfg) throw new PrescaleError('POOL_NOT_FOUND', `pool "${pool}" is not configured`, 'pool');
    const set = this.d.plans.current();
    const view = set.pools.find((p) => p.pool === pool);
    const steps = view?.steps ?? [];
    const first = steps[0];
    const last = steps[steps.length - 1];
    if (view && first && last && atMs >= first.t) {
      if (atMs > last.t + set.stepSeconds * 1000) throw invalidInput('at', `${new Date(atMs).toISOString()} is beyond the plan's horizon (it ends at ${new Date(last.t).toISOString()})`);
      const step = stepAt(steps, atMs) ?? first;
      const index = steps.indexOf(step);
      const facts: ExplainFacts = {
        pool,
        stepMs: step.t,
        replicas: step.replicas,
        previousReplicas: index > 0 ? (steps[index - 1]?.replicas ?? null) : null,
        reason: { term: step.reason.term, detail: step.reason.detail, values: step.reason.values },
        quantile: view.forecast.quantile,
        leadTimeSeconds: cfg.leadTime,
        forecastReplicas: forecastReplicasAt(cfg, this.forecastOf(view.forecast.series), step.t),
        quotas: quotaStateAt(set, this.d.config.pools, this.d.config.quotas, {}, step.t),
      };
      return this.answer(atMs, facts, 'plan', null);
    }
    const record = this.d.decisions.latestAt(pool, atMs);
    if (!record) {
      const starts = first ? `; the current plan starts at ${new Date(first.t).toISOString()}` : '';
      throw invalidInput('at', `no decision was recorded for pool "${pool}" at or before ${new Date(atMs).toISOString()}${starts}`);
    }
    const i = record.inputs;
    const facts: ExplainFacts = {
      pool,
      stepMs: Date.parse(record.stepTime),
      replicas: record.to,
      previousReplicas: record.from,
      reason: i.boundBy,
      quantile: i.quantile,
      leadTimeSeconds: i.leadTimeSeconds,
      forecastReplicas: i.forecastReplicas,
      quotas: i.quotas,
    };
    return this.answer(atMs, facts, 'decision', record.id);
  }

  private answer(atMs: number, facts: ExplainFacts, source: Explanation['source'], decision: string | null): Explanation {
    const sentences = explainSentences(facts);
    return {
      pool: facts.pool,
      at: new Date(atMs).toISOString(),
      stepTime: new Date(facts.stepMs).toISOString(),
      source,
      decision,
      replicas: facts.replicas,
      previousReplicas: facts.previousReplicas,
      text: sentences.join(' '),
      sentences,
      facts,
    };
  }

  private forecastOf(series: string): PublishedForecast | null {
    try {
      return this.d.forecasts.forecast(series);
    } catch {
      return null;
    }
  }
}
