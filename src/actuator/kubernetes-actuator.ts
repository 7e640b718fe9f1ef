import type { ActuatorConfig, PoolConfig } from '../config/planner-schema';
import type { PlanStep } from '../planner/plan-types';
import type { PlanContext, PlanService } from '../planner/plan-service';
import type { Logger } from '../telemetry/logger';
import type { Clock } from '../time/clock';
import type { ActuatorMetrics } from './actuator-metrics';
import type { AuditLog } from './audit-log';
import { type KubeApi, KubeApiError, type TargetRef, type TargetState } from './kube-api';
import type { LeaderElection } from '../leader-election/leader-election';
import { type RetryOptions, type RetryTiming, withRetry } from '../retry/retry-with-backoff';
import type { DecisionOutcome } from '../decisions/decision-record';
import type { DecisionRecorder, RoundFacts } from '../decisions/decision-recorder';

/** How one pool is driven: written (actuate), or only logged (dry-run) or recorded (advisory). */
type PoolMode = 'actuate' | 'dry-run' | 'advisory';

export interface ActuatorDeps {
  config: Pick<ActuatorConfig, 'mode' | 'namespace' | 'targets' | 'resourceQuota'> & { advisoryPools?: readonly string[] };
  pools: readonly PoolConfig[];
  api: KubeApi;
  /** Required in actuate mode: only the Lease holder writes. */
  elector: LeaderElection | null;
  /** Dry-run consults the elector too (replicas sharing one leader: only it audits). Default false: dry-run acts everywhere. */
  dryRunElects?: boolean;
  /**
   * The step's one plan: the actuator reports the cluster facts it read, then applies
   * `current()`, the same plan the plan metric and `/v1/plans` serve.
   */
  plans: Pick<PlanService, 'reportContext' | 'current'>;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  metrics: ActuatorMetrics;
  identity: string;
  /** Decision records and advisory samples (`GET /v1/decisions`, `/v1/pools/{pool}/advisory`); none when absent. */
  decisions?: DecisionRecorder;
  /** Backoff of transient API failures; default 5 tries, 200 ms doubling up to 5 s. */
  retry?: RetryTiming;
  /** How often a write that keeps getting 409 is re-read and re-applied before giving up for this round. */
  maxConflictRetries?: number;
}

/** What one round did, per target. */
export interface TargetOutcome {
  pool: string;
  target: TargetRef;
  from: number | null;
  to: number;
  result: 'unchanged' | 'applied' | 'would-apply' | 'failed';
  conflicts: number;
  error?: string;
  /** The decision id, when the round made (or repeated) a decision for this target. */
  decision?: string;
}

export interface RoundResult {
  leader: boolean;
  outcomes: TargetOutcome[];
}

const DEFAULT_RETRY: RetryTiming = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

/** Network failures, 429 and 5xx; anything else (404, 409, 422 …) needs a re-read or a fix, not the same request again. */
const isTransient = (err: unknown): boolean => err instanceof KubeApiError && err.retryable;

const FIELD = { Deployment: 'spec.replicas', HorizontalPodAutoscaler: 'spec.minReplicas', ScaledObject: 'spec.minReplicaCount' } as const;

/**
 * Writes the plan's current step to the Kubernetes API: the replicas of a placeholder
 * ("balloon") Deployment, an HPA's `minReplicas` or a KEDA ScaledObject's `minReplicaCount`.
 * In `actuate` mode only the Lease holder writes; in `dry-run` nothing is written and the
 * audit log records what would have changed; in `advisory` mode (globally or per pool via
 * `advisoryPools`) nothing is written either, and every round records an advisory sample per
 * pool (planned, actual replicas, observed demand) for the advisory report. Transient failures are retried with backoff;
 * a 409 Conflict re-reads the object and applies again. Every change gets a Kubernetes
 * Event on the target and an audit entry (who, what, from, to, why), both carrying the
 * decision id of the record kept in the decision store.
 */
export class KubernetesActuator {
  private lastContext: PlanContext = {};
  private readonly retry: RetryOptions;

  constructor(private readonly d: ActuatorDeps) {
    this.retry = { ...(d.retry ?? DEFAULT_RETRY), isRetryable: isTransient };
  }

  /** The cluster facts of the last round (also reported to the plan service). */
  context(): PlanContext {
    return this.lastContext;
  }

  /** One round: elect (actuate mode), then act if this instance may. */
  async round(): Promise<RoundResult> {
    if (!(await this.elect())) return { leader: false, outcomes: [] };
    return { leader: true, outcomes: await this.act() };
  }

  /**
   * One leader round; true when this instance may act. Dry-run acts everywhere (it writes
   * nothing to the cluster) unless `dryRunElects`: then, as in actuate mode, only the leader does.
   */
  async elect(): Promise<boolean> {
    if (this.d.config.mode !== 'actuate' && !this.d.dryRunElects) return true;
    const leader = this.d.elector ? await this.d.elector.tryAcquireOrRenew().catch((err: unknown) => this.electionFailed(err)) : false;
    this.d.metrics.leader.set(leader ? 1 : 0);
    return leader;
  }

  /** Reads the targets and the GPU quota, plans with them, and applies the current step. */
  async act(): Promise<TargetOutcome[]> {
    const { config, logger } = this.d;
    const targets = config.targets.map((t) => ({ pool: t.pool, ref: { kind: t.kind, name: t.name, namespace: t.namespace ?? config.namespace } as TargetRef }));
    const states = await Promise.all(targets.map((t) => this.read(t.ref).catch((err: unknown) => err as Error)));
    this.lastContext = await this.contextFrom(targets, states);
    // Report first, so the HPA (plan metric) and the REST API read the plan made with these facts too.
    this.d.plans.reportContext(this.lastContext);
    const plan = this.d.plans.current();
    const round: RoundFacts = { set: plan, context: this.lastContext };
    const outcomes: TargetOutcome[] = [];
    const sampled = new Set<string>();
    for (const [i, t] of targets.entries()) {
      const step = plan.pools.find((p) => p.pool === t.pool)?.steps[0];
      if (!step) continue;
      const state = states[i] as TargetState | Error;
      if (state instanceof Error) {
        outcomes.push(this.failed(round, t.pool, t.ref, null, step, state));
        continue;
      }
      // One advisory sample per pool and round, from its first target (as the plan's current replicas are).
      if (this.modeOf(t.pool) === 'advisory' && !sampled.has(t.pool)) {
        sampled.add(t.pool);
        this.sample(t.pool, t.ref, state, step);
      }
      outcomes.push(await this.apply(round, t.pool, t.ref, state, step));
    }
    logger.debug({ outcomes: outcomes.length }, 'actuator round done');
    return outcomes;
  }

  /** Gives up the Lease (on shutdown), so another instance acts at once. */
  async stop(): Promise<void> {
    await this.d.elector?.release().catch((err: unknown) => this.d.logger.warn({ err }, 'could not release the actuator Lease; another instance takes over when it expires'));
    this.d.metrics.leader.set(0);
  }

  /** `advisoryPools` stay advisory whatever the global mode. */
  private modeOf(pool: string): PoolMode {
    if (this.d.config.advisoryPools?.includes(pool)) return 'advisory';
    const mode = this.d.config.mode;
    return mode === 'actuate' || mode === 'advisory' ? mode : 'dry-run';
  }

  private async apply(round: RoundFacts, pool: string, ref: TargetRef, first: TargetState, step: PlanStep): Promise<TargetOutcome> {
    const maxConflicts = this.d.maxConflictRetries ?? 5;
    const mode = this.modeOf(pool);
    let state = first;
    let conflicts = 0;
    for (;;) {
      const to = bounded(ref, state, step.replicas);
      if (state.value === to) {
        // The plan asks for more than the target's own max allows: a decision that cannot be carried out.
        const decision = step.replicas > to ? this.decide(round, { pool, ref, mode, from: state.value, to, outcome: 'skipped', step }) : null;
        return { pool, target: ref, from: state.value, to, result: 'unchanged', conflicts, ...(decision ? { decision } : {}) };
      }
      if (mode !== 'actuate') {
        const decision = this.decide(round, { pool, ref, mode, from: state.value, to, outcome: mode, step });
        this.audit(mode, 'would-set', pool, ref, state.value, to, step, decision);
        this.d.metrics.changes.inc({ pool, kind: ref.kind, mode, result: 'would-apply' });
        this.d.logger.info({ pool, target: ref, from: state.value, to, reason: step.reason.term, decision }, `${mode}: would change the target`);
        return { pool, target: ref, from: state.value, to, result: 'would-apply', conflicts, ...(decision ? { decision } : {}) };
      }
      try {
        const written = await withRetry(() => this.d.api.writeTarget(ref, to, state.resourceVersion), this.retry);
        const decision = this.decide(round, { pool, ref, mode, from: state.value, to, outcome: 'written', step });
        await this.recorded(pool, ref, written, state.value, to, step, decision);
        return { pool, target: ref, from: state.value, to, result: 'applied', conflicts, ...(decision ? { decision } : {}) };
      } catch (err) {
        if (err instanceof KubeApiError && err.status === 409 && conflicts < maxConflicts) {
          // Someone changed the object since we read it: read it again and decide again.
          conflicts++;
          this.d.metrics.conflicts.inc({ kind: ref.kind });
          try {
            state = await this.read(ref);
          } catch (readErr) {
            return this.failed(round, pool, ref, state.value, step, readErr as Error, conflicts);
          }
          continue;
        }
        return this.failed(round, pool, ref, state.value, step, err as Error, conflicts);
      }
    }
  }

  private async recorded(pool: string, ref: TargetRef, written: TargetState, from: number, to: number, step: PlanStep, decision: string | null): Promise<void> {
    this.audit('actuate', 'set', pool, ref, from, to, step, decision);
    this.d.metrics.changes.inc({ pool, kind: ref.kind, mode: 'actuate', result: 'applied' });
    this.d.logger.info({ pool, target: ref, from, to, reason: step.reason.term, decision }, 'actuator changed the target');
    const id = decision ? ` (decision ${decision})` : '';
    const message = `prescale set ${FIELD[ref.kind]} ${from} → ${to} for pool ${pool}${id}: ${step.reason.term} — ${step.reason.detail}`;
    const event = { target: { ...ref, uid: written.uid, apiVersion: written.apiVersion }, reason: 'PrescalePlanApplied', message: message.slice(0, 1024), reportingInstance: this.d.identity, timeMs: this.d.clock.now() };
    try {
      await withRetry(
        () => this.d.api.createEvent({ ...event, ...(decision ? { decisionId: decision } : {}) }),
        this.retry,
      );
    } catch (err) {
      // The change is made and audited; a missing Event is logged, not retried forever.
      this.d.logger.warn({ err, pool, target: ref }, 'could not record the Kubernetes Event; the audit log has the change');
    }
  }

  private failed(round: RoundFacts, pool: string, ref: TargetRef, from: number | null, step: PlanStep, err: Error, conflicts = 0): TargetOutcome {
    const mode = this.modeOf(pool);
    const outcome: DecisionOutcome = err instanceof KubeApiError && err.status === 409 ? 'conflict' : 'failed';
    const decision = this.decide(round, { pool, ref, mode, from, to: step.replicas, outcome, step, error: err.message });
    this.audit(mode, 'failed', pool, ref, from, step.replicas, step, decision, err.message);
    this.d.metrics.changes.inc({ pool, kind: ref.kind, mode, result: 'failed' });
    this.d.logger.warn({ err, pool, target: ref, decision }, 'actuator could not apply the plan; it tries again next round');
    return { pool, target: ref, from, to: step.replicas, result: 'failed', conflicts, error: err.message, ...(decision ? { decision } : {}) };
  }

  private decide(
    round: RoundFacts,
    f: { pool: string; ref: TargetRef; mode: PoolMode; from: number | null; to: number; outcome: DecisionOutcome; step: PlanStep; error?: string },
  ): string | null {
    if (!this.d.decisions) return null;
    const target = { ...f.ref, field: FIELD[f.ref.kind] };
    return this.d.decisions.record(round, { pool: f.pool, mode: f.mode, target, from: f.from, to: f.to, outcome: f.outcome, step: f.step, ...(f.error !== undefined ? { error: f.error } : {}) });
  }

  /** An advisory round's record of the pool: what Prescale would set, what the target ran, the demand. */
  private sample(pool: string, ref: TargetRef, state: TargetState, step: PlanStep): void {
    const recorder = this.d.decisions;
    if (!recorder) return;
    const planned = bounded(ref, state, step.replicas);
    const actual = state.observedReplicas;
    // A Deployment would run what Prescale sets; an HPA/ScaledObject only gets a higher floor.
    const withPrescale = ref.kind === 'Deployment' ? planned : Math.max(planned, actual ?? planned);
    const series = this.d.pools.find((p) => p.name === pool)?.series;
    const demand = series === undefined ? null : recorder.observedDemand(series);
    recorder.sample({ pool, t: this.d.clock.now(), planned, actual, withPrescale, demand });
  }

  private audit(mode: PoolMode, action: 'set' | 'would-set' | 'failed', pool: string, ref: TargetRef, from: number | null, to: number, step: PlanStep, decision: string | null, error?: string): void {
    this.d.audit.record({
      time: new Date(this.d.clock.now()).toISOString(),
      who: this.d.identity,
      mode,
      ...(decision ? { decision } : {}),
      action,
      pool,
      target: { ...ref, field: FIELD[ref.kind] },
      from,
      to,
      why: { term: step.reason.term, detail: step.reason.detail },
      ...(error !== undefined ? { error } : {}),
    });
  }

  private read(ref: TargetRef): Promise<TargetState> {
    return withRetry(() => this.d.api.readTarget(ref), this.retry);
  }

  /** Current replicas per pool (first target) and the GPUs the namespace quota leaves to the pools. */
  private async contextFrom(targets: { pool: string; ref: TargetRef }[], states: (TargetState | Error)[]): Promise<PlanContext> {
    const current = new Map<string, number>();
    targets.forEach((t, i) => {
      const s = states[i];
      if (s && !(s instanceof Error) && !current.has(t.pool)) current.set(t.pool, s.value);
    });
    const context: PlanContext = { currentReplicas: current };
    if (!this.d.config.resourceQuota) return context;
    try {
      const quota = await withRetry(() => this.d.api.gpuQuota(this.d.config.namespace), this.retry);
      if (quota === null) return context;
      // The quota's `used` includes the pools' own GPUs, which the plan re-decides.
      const ours = this.d.pools.reduce((sum, p) => sum + (current.get(p.name) ?? 0) * p.gpusPerReplica, 0);
      return { ...context, resourceQuotaGpus: Math.max(0, quota.hard - quota.used + ours) };
    } catch (err) {
      this.d.logger.warn({ err }, 'could not read the namespace ResourceQuota; planning with the configured quotas only');
      return context;
    }
  }

  private electionFailed(err: unknown): boolean {
    this.d.logger.warn({ err }, 'actuator Lease round failed; not acting until it succeeds');
    return this.d.elector?.isLeader() ?? false;
  }
}

/** The value the target can take: ≤ its max (HPA/KEDA), and ≥ 1 for an HPA's minReplicas. */
function bounded(ref: TargetRef, state: TargetState, planned: number): number {
  let v = planned;
  if (state.max !== null) v = Math.min(v, state.max);
  if (ref.kind === 'HorizontalPodAutoscaler') v = Math.max(1, v);
  return v;
}
