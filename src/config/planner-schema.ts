import { z } from 'zod';
import { parseInstant } from '../time/parse-instant';
import { cronExpression } from './cron-expression';
import { durationSeconds, resourceName, timezone } from './schema-helpers';

/** A non-negative replica count per pool name, e.g. `{ gpu-generate: 4 }`. */
const floorSchema = z.record(resourceName, z.number().int().min(0)).describe('Minimum replicas per pool while the window is open.');

/**
 * The keys of one pool, without the cross-field rule: what the simulator's pool derives from
 * (`simulate/pool-config.ts`), so `prescale simulate` and the service read a pool YAML with the
 * same defaults and bounds. Zod cannot `omit` from a refined object, hence the split.
 */
export const poolFields = z.strictObject({
  name: resourceName.describe('Pool name; the key of `/v1/plans/{pool}` and of floors, targets and metrics.'),
  series: resourceName.describe('The configured series whose forecast drives the pool (arrivals, e.g. requests/s).'),
  capacityPerReplica: z.number().positive().describe("Load one replica serves at its SLO, in the series' unit (e.g. requests/s per replica)."),
  leadTime: durationSeconds.default(300).describe('Cold start: time from scale-up to Ready (GPU node provisioning + model load, often 2–8 minutes).'),
  headroom: z.number().min(0).max(10).default(0.1).describe('Spare capacity on top of the forecast, as a fraction (0.15 = 15 %).'),
  quantile: z.number().gt(0).lt(1).default(0.9).describe('Forecast quantile the pool is sized for; must be served by the series (0.5 and 0.9 always are).'),
  minReplicas: z.number().int().min(0).default(1).describe('Never plan fewer replicas (unless a quota cuts below it).'),
  maxReplicas: z.number().int().min(1).describe('Per-pool max: a guard quota no step exceeds.'),
  gpusPerReplica: z.number().min(0).default(1).describe('GPUs one replica requests (`requests.nvidia.com/gpu`).'),
  costPerReplicaHour: z.number().min(0).default(0).describe('Cost of one replica per hour, for `quotas.maxCostPerHour` and cost-aware sizing.'),
  underProvisionCost: z
    .number()
    .positive()
    .optional()
    .describe(
      'Cost of one under-provisioned replica-hour (lost requests, SLO penalties), in the currency of `costPerReplicaHour`. When set, the pool is sized at the newsvendor quantile u / (u + c) of the forecast (clamped to the quantiles the series serves) with no headroom, and `quantile` and `headroom` are not used for sizing.',
    ),
  calibrateDecisions: z
    .boolean()
    .default(false)
    .describe(
      "With `underProvisionCost`: move the pool's sizing level so that the plan's binding decisions (more replicas than the reactive cover) miss the load one lead time later at the rate the price asks, c / (u + c), instead of sizing at the newsvendor quantile itself (docs/planner.md, \"Decision calibration\").",
    ),
  priority: z.number().int().default(0).describe('When a shared quota binds, higher priorities get capacity first; equal priorities share proportionally.'),
  queue: z
    .strictObject({
      series: resourceName.describe('Configured series with the queue backlog (items waiting).'),
      drainTime: durationSeconds.describe('SLO: the backlog is drained within this time; replicas = (arrivals + backlog / drainTime) / capacityPerReplica.'),
    })
    .optional()
    .describe('Optional queue the pool drains.'),
  scaleDown: z
    .strictObject({
      stabilizationWindow: durationSeconds.default(300).describe('Scale-down never goes below the highest desired value within this window.'),
      maxStepDown: z.number().int().min(1).default(1).describe('Largest decrease in replicas per plan step.'),
    })
    .prefault({})
    .describe('Gradual scale-down.'),
});

/** minReplicas ≤ maxReplicas, reported at `minReplicas`; the one rule a pool's keys share with the simulator's pool. */
export function checkReplicaBounds(p: { minReplicas: number; maxReplicas: number }, ctx: z.RefinementCtx): void {
  if (p.minReplicas > p.maxReplicas) ctx.addIssue({ code: 'custom', path: ['minReplicas'], message: `must be ≤ maxReplicas (${p.maxReplicas})` });
}

/**
 * Cost-aware sizing needs a price for over-provisioning: with `costPerReplicaHour` 0 the
 * newsvendor quantile u / (u + 0) is 1, which no forecast serves. Reported at `underProvisionCost`.
 * Decision calibration needs the price it calibrates to. Reported at `calibrateDecisions`.
 */
export function checkCostAwareSizing(p: CostAwareKeys, ctx: z.RefinementCtx): void {
  if (p.underProvisionCost !== undefined && !(p.costPerReplicaHour > 0)) {
    ctx.addIssue({ code: 'custom', path: ['underProvisionCost'], message: 'needs costPerReplicaHour > 0 (the newsvendor quantile is u / (u + costPerReplicaHour))' });
  }
  if (p.calibrateDecisions === true && p.underProvisionCost === undefined) {
    ctx.addIssue({ code: 'custom', path: ['calibrateDecisions'], message: 'needs underProvisionCost (decisions are calibrated to the miss rate its price asks for)' });
  }
}

/** The keys cost-aware sizing reads. */
interface CostAwareKeys {
  underProvisionCost?: number | undefined;
  costPerReplicaHour: number;
  calibrateDecisions?: boolean | undefined;
}

/** Every rule within one pool: replica bounds and cost-aware sizing. */
export function checkPoolFields(p: { minReplicas: number; maxReplicas: number } & CostAwareKeys, ctx: z.RefinementCtx): void {
  checkReplicaBounds(p, ctx);
  checkCostAwareSizing(p, ctx);
}

/** One pool: a Deployment (or HPA/ScaledObject target) that serves a series. */
export const poolSchema = poolFields.superRefine(checkPoolFields);

/** A recurring window (business hours): opens at each cron tick in `timezone`, lasts `duration`. */
export const scheduleSchema = z.strictObject({
  name: resourceName.describe('Schedule name, shown in plan reasons.'),
  cron: cronExpression.describe('When the window opens, in `timezone`.'),
  duration: durationSeconds.describe('How long the window stays open.'),
  timezone: timezone.default('UTC').describe('IANA timezone of the cron expression.'),
  floor: floorSchema,
});

/** A one-off window (a launch, a sale). */
export const eventSchema = z
  .strictObject({
    name: resourceName.describe('Event name, shown in plan reasons.'),
    start: isoTime().describe('When the window opens: ISO 8601 date-time with a UTC offset (`2026-12-01T09:00:00Z`, `…+01:00`); a time without one is refused.'),
    end: isoTime().describe('When the window closes: ISO 8601 date-time with a UTC offset, after `start`.'),
    floor: floorSchema,
  })
  .superRefine((e, ctx) => {
    if (e.end <= e.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
  });

/** Guard quotas shared by all pools. Absent keys do not bind. */
export const quotasSchema = z
  .strictObject({
    maxGpus: z.number().min(0).optional().describe('Total GPUs across pools at any step; shared by priority, then proportionally.'),
    maxCostPerHour: z.number().min(0).optional().describe('Total cost per hour across pools at any step.'),
    maxStepUp: z.number().int().min(1).optional().describe('Largest increase of one pool per plan step (the plan ramps ahead to stay on time).'),
  })
  .prefault({});

/** What the actuator writes for a pool. */
export const actuatorTargetSchema = z.strictObject({
  pool: resourceName.describe('The pool whose plan drives this target.'),
  kind: z
    .enum(['Deployment', 'HorizontalPodAutoscaler', 'ScaledObject'])
    .describe('Deployment: scale a placeholder ("balloon") Deployment; HorizontalPodAutoscaler: raise spec.minReplicas; ScaledObject: raise spec.minReplicaCount.'),
  name: z.string().min(1).describe('Name of the object.'),
  namespace: z.string().min(1).optional().describe('Namespace of the object (default: actuator.namespace).'),
});

/** The optional actuator (metrics-only by default: HPA/KEDA act on the published plan). */
export const actuatorSchema = z
  .strictObject({
    mode: z
      .enum(['metrics-only', 'dry-run', 'advisory', 'actuate'])
      .default('metrics-only')
      .describe(
        'metrics-only: publish only; dry-run: log and audit what would change; advisory: write nothing, but record every round what Prescale would set next to what the target ran and the demand, for `GET /v1/pools/{pool}/advisory`; actuate: write to the Kubernetes API.',
      ),
    advisoryPools: z
      .array(resourceName)
      .default([])
      .describe('Pools that stay advisory while `mode` is actuate or dry-run: their targets are read and recorded, never written.'),
    namespace: z.string().min(1).default('default').describe('Namespace of the Lease, of the ResourceQuota check and the default for targets.'),
    interval: durationSeconds.default(30).describe('How often the leader applies the current plan.'),
    leaseName: resourceName.default('prescale-actuator').describe('coordination.k8s.io/v1 Lease that elects the one replica that acts.'),
    leaseDuration: durationSeconds.default(15).describe('How long a Lease holds without renewal.'),
    kubeconfig: z.string().min(1).optional().describe('kubeconfig file; default: in-cluster service account, else ~/.kube/config.'),
    auditLog: z.string().min(1).optional().describe('JSON-lines audit file (who, what, from, to, why); default: <storage.dataDir>/actuator-audit.jsonl.'),
    resourceQuota: z.boolean().default(true).describe('Respect the namespace ResourceQuota for requests.nvidia.com/gpu when actuating.'),
    targets: z.array(actuatorTargetSchema).default([]).describe('Objects the actuator writes, one or more per pool.'),
  })
  .prefault({});

export type PoolConfig = z.output<typeof poolSchema>;
export type ScheduleConfig = z.output<typeof scheduleSchema>;
export type EventConfig = z.output<typeof eventSchema>;
export type QuotasConfig = z.output<typeof quotasSchema>;
export type ActuatorConfig = z.output<typeof actuatorSchema>;
export type ActuatorTargetConfig = z.output<typeof actuatorTargetSchema>;

/** The planner sections of the config (`pools`, `schedules`, `events`, `quotas`, `actuator`). */
export const plannerSections = {
  pools: z.array(poolSchema).default([]).describe('Pools the planner pre-warms.'),
  schedules: z.array(scheduleSchema).default([]).describe('Recurring windows that set floors per pool.'),
  events: z.array(eventSchema).default([]).describe('One-off windows that set floors per pool.'),
  quotas: quotasSchema,
  actuator: actuatorSchema,
};

interface PlannerRefsInput {
  series: readonly { name: string; quantiles: readonly number[] }[];
  demo: { enabled: boolean; series: string };
  pools: readonly PoolConfig[];
  schedules: readonly ScheduleConfig[];
  events: readonly EventConfig[];
  actuator: ActuatorConfig;
}

/**
 * Cross-field rules of the planner sections, each reported at its path: unique pool names,
 * pool and queue series are configured (and serve the pool's quantile), floors and targets
 * name known pools.
 */
export function checkPlannerRefs(config: PlannerRefsInput, ctx: z.RefinementCtx): void {
  const series = new Map(config.series.map((s) => [s.name, s]));
  const known = (name: string): boolean => series.has(name) || (config.demo.enabled && name === config.demo.series);
  const pools = new Set<string>();
  config.pools.forEach((p, i) => {
    if (pools.has(p.name)) ctx.addIssue({ code: 'custom', path: ['pools', i, 'name'], message: `duplicate pool name "${p.name}"` });
    pools.add(p.name);
    if (!known(p.series)) ctx.addIssue({ code: 'custom', path: ['pools', i, 'series'], message: `series "${p.series}" is not configured` });
    const s = series.get(p.series);
    // A cost-aware pool interpolates between whatever quantiles the series serves; `quantile` is unused.
    if (s && p.underProvisionCost === undefined && !s.quantiles.includes(p.quantile)) {
      ctx.addIssue({ code: 'custom', path: ['pools', i, 'quantile'], message: `series "${p.series}" does not serve quantile ${p.quantile} (add it to its quantiles)` });
    }
    if (p.queue && !known(p.queue.series)) ctx.addIssue({ code: 'custom', path: ['pools', i, 'queue', 'series'], message: `series "${p.queue.series}" is not configured` });
  });
  const checkFloor = (section: 'schedules' | 'events', list: readonly { floor: Record<string, number> }[]): void => {
    list.forEach((w, i) => {
      for (const pool of Object.keys(w.floor)) {
        if (!pools.has(pool)) ctx.addIssue({ code: 'custom', path: [section, i, 'floor', pool], message: `pool "${pool}" is not configured` });
      }
    });
  };
  checkFloor('schedules', config.schedules);
  checkFloor('events', config.events);
  config.actuator.advisoryPools.forEach((pool, i) => {
    if (!pools.has(pool)) ctx.addIssue({ code: 'custom', path: ['actuator', 'advisoryPools', i], message: `pool "${pool}" is not configured` });
  });
  config.actuator.targets.forEach((t, i) => {
    if (!pools.has(t.pool)) ctx.addIssue({ code: 'custom', path: ['actuator', 'targets', i, 'pool'], message: `pool "${t.pool}" is not configured` });
  });
}

/**
 * A date-time without an offset, which `parseInstant` refuses: told apart so that the error
 * says what to add rather than only that the text is wrong.
 */
const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * An ISO 8601 date-time with a UTC offset (YAML may already have parsed it to a Date), held as
 * epoch ms. A time without an offset is refused rather than read in some zone: `Date.parse`
 * would read it in the machine's zone, so one config would mean different instants on a
 * laptop and in the cluster.
 */
function isoTime() {
  return z.union([z.string(), z.date()]).transform((raw, ctx) => {
    // A Date is already an instant (the YAML 1.1 timestamp type reads a zone-less one as UTC, by its spec).
    if (raw instanceof Date) return raw.getTime();
    const parsed = parseInstant(raw);
    if (!parsed.ok) {
      const message = ZONELESS_DATE_TIME.test(raw.trim())
        ? `"${raw}" has no UTC offset: add one (e.g. 2026-12-01T09:00:00Z or 2026-12-01T09:00:00+01:00)`
        : `"${raw}" is not an ISO 8601 date-time with a UTC offset (e.g. 2026-12-01T09:00:00Z)`;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return parsed.ms;
  });
}
