import { formatDuration } from '../config/duration';
import { num } from '../planner/reasons';
import type { QuotaState } from './decision-record';

/** What an explanation is made from: one plan step (of the current plan, or of a recorded decision). */
export interface ExplainFacts {
  pool: string;
  /** The step's time, epoch ms. */
  stepMs: number;
  replicas: number;
  /** The step before it, when known (to say "goes to" or "stays at"). */
  previousReplicas: number | null;
  reason: { term: string; detail: string; values: Readonly<Record<string, number>> };
  quantile: number;
  leadTimeSeconds: number;
  /** Replicas the forecast alone asks for at the step; null without a forecast. */
  forecastReplicas: number | null;
  quotas: QuotaState;
}

/** A sentence per reason term; a term this table does not know falls back to its own detail line. */
const BECAUSE: Readonly<Record<string, (f: ExplainFacts, v: Readonly<Record<string, number>>) => string>> = {
  forecast: (f, v) =>
    `the forecast (p${num(f.quantile * 100)}) peaks at ${num(v['load'] ?? 0)} within its lead time of ${formatDuration(f.leadTimeSeconds)}, which needs ${f.replicas} replicas at ${num(v['capacityPerReplica'] ?? 0)} per replica with ${num((v['headroom'] ?? 0) * 100)}% headroom`,
  queue: (f, v) => `the arrivals (${num(v['arrivals'] ?? 0)}) plus the backlog to drain within ${formatDuration(v['drainTimeSeconds'] ?? 0)} need ${f.replicas} replicas`,
  schedule: (f, v) => windowSentence('schedule', f, v),
  event: (f, v) => windowSentence('event', f, v),
  min: (_f, v) => `minReplicas is ${num(v['minReplicas'] ?? 0)} (the rest of the plan asked for ${num(v['asked'] ?? 0)})`,
  'stale-hold': (_f, v) => `the input is stale and stale input never scales a pool down: it holds ${num(v['held'] ?? 0)} (the plan asked for ${num(v['asked'] ?? 0)})`,
  stabilize: (f) => `scale-down is gradual: ${f.reason.detail}`,
};

const QUOTA_NAMES: Readonly<Record<string, string>> = {
  'quota:maxReplicas': 'per-pool maxReplicas',
  'quota:maxGpus': 'GPU quota',
  'quota:maxCostPerHour': 'cost quota',
  'quota:maxStepUp': 'maxStepUp limit',
  'quota:resourceQuota': 'namespace ResourceQuota for GPUs',
};

/** "HH:MM UTC" of an epoch ms. */
export function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/**
 * The plain sentences of an explanation: what the step does and why (its deciding term), how
 * far that is from what the forecast alone asked for, and which quotas did not bind. Pure;
 * a reason term added later still gets an explanation from its detail line.
 */
export function explainSentences(f: ExplainFacts): string[] {
  const verb = f.previousReplicas === null || f.previousReplicas !== f.replicas ? 'goes to' : 'stays at';
  const { term, values } = f.reason;
  const quota = QUOTA_NAMES[term];
  const because = quota
    ? `the ${quota} (${num(values['limit'] ?? 0)}) cuts it from ${num(values['asked'] ?? 0)}: ${f.reason.detail}`
    : (BECAUSE[term]?.(f, values) ?? `${term}: ${f.reason.detail}`);
  const out = [`At ${clockTime(f.stepMs)} the pool ${f.pool} ${verb} ${f.replicas} replicas because ${because}.`];
  if (f.forecastReplicas !== null && term !== 'forecast') out.push(`The forecast alone asked for ${f.forecastReplicas}.`);
  const q = f.quotas;
  if (q.maxGpus !== null && term !== 'quota:maxGpus') out.push(`The GPU quota (${num(q.maxGpus)}) was not binding: all pools plan ${num(q.plannedGpus)} GPUs at this step.`);
  if (q.maxCostPerHour !== null && term !== 'quota:maxCostPerHour') {
    out.push(`The cost quota (${num(q.maxCostPerHour)} per hour) was not binding: all pools plan ${num(q.plannedCostPerHour)} per hour.`);
  }
  if (q.resourceQuotaGpus !== null && term !== 'quota:resourceQuota') out.push(`The namespace ResourceQuota left ${num(q.resourceQuotaGpus)} GPUs and was not binding.`);
  return out;
}

function windowSentence(source: string, f: ExplainFacts, v: Readonly<Record<string, number>>): string {
  const name = /"([^"]+)"/.exec(f.reason.detail)?.[1] ?? source;
  const start = v['windowStartMs'];
  const end = v['windowEndMs'];
  const floor = num(v['floor'] ?? f.replicas);
  if (start !== undefined && start > f.stepMs) {
    return `the ${source} \`${name}\` starts at ${clockTime(start)} and the pool's lead time is ${formatDuration(f.leadTimeSeconds)}, so its floor of ${floor} is warmed up ahead`;
  }
  return `the ${source} \`${name}\` is open${end !== undefined ? ` until ${clockTime(end)}` : ''} and sets a floor of ${floor}`;
}
