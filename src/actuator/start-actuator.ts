import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import { dataDirLayout } from '../config/data-dir-layout';
import type { Config } from '../config/schema';
import { KubernetesLeaseElection } from '../leader-election/kubernetes-lease-election';
import type { LeaderElection } from '../leader-election/leader-election';
import type { ForecastReader, PlanService } from '../planner/plan-service';
import { DecisionRecorder } from '../decisions/decision-recorder';
import type { DecisionStore } from '../decisions/decision-store';
import type { Logger } from '../telemetry/logger';
import type { Clock } from '../time/clock';
import { ActuatorLoop } from './actuator-loop';
import { createActuatorMetrics } from './actuator-metrics';
import { FileAuditLog } from './audit-log';
import { ClientNodeKubeApi } from './client-node-kube-api';
import type { KubeApi } from './kube-api';
import { KubernetesActuator } from './kubernetes-actuator';

export interface RunningActuator {
  actuator: KubernetesActuator;
  stop(): Promise<void>;
}

/**
 * Builds and starts the actuator for `dry-run`, `advisory` or `actuate` mode (the composition root calls
 * this only when `actuator.mode` is not `metrics-only`). The identity defaults to the host
 * name, which is the pod name in a cluster.
 */
export async function startActuator(o: {
  config: Readonly<Config>;
  plans: PlanService;
  registry: Registry;
  clock: Clock;
  logger: Logger;
  api?: KubeApi | undefined;
  identity?: string | undefined;
  /** Where decision records and advisory samples go (the composition root owns and closes it). */
  decisions?: DecisionStore | undefined;
  /** The forecasts the plans read, for the observed demand and forecast version of each decision. */
  forecasts?: Pick<ForecastReader, 'forecast'> | undefined;
  /** The replicas' shared leader election; without it, actuate mode elects on its own `actuator.leaseName` Lease and dry-run acts everywhere. */
  elector?: LeaderElection | undefined;
}): Promise<RunningActuator> {
  const { actuator: cfg } = o.config;
  const identity = o.identity ?? hostname();
  const api = o.api ?? (await ClientNodeKubeApi.create({ kubeconfig: cfg.kubeconfig }));
  const logger = o.logger.child({ component: 'actuator', mode: cfg.mode, identity });
  // Dry-run and advisory write nothing, so they need no leader.
  const elector =
    o.elector ??
    (cfg.mode === 'actuate' ? new KubernetesLeaseElection({ api, namespace: cfg.namespace, name: cfg.leaseName, identity, leaseDurationSeconds: cfg.leaseDuration, clock: o.clock }) : null);
  const actuator = new KubernetesActuator({
    config: cfg,
    pools: o.config.pools,
    api,
    elector,
    dryRunElects: o.elector !== undefined,
    plans: o.plans,
    audit: new FileAuditLog(dataDirLayout(o.config).auditLogFile),
    clock: o.clock,
    logger,
    metrics: createActuatorMetrics(o.registry),
    identity,
    ...(o.decisions
      ? {
          decisions: new DecisionRecorder({ store: o.decisions, pools: o.config.pools, quotas: o.config.quotas, forecasts: o.forecasts ?? null, clock: o.clock, logger, identity }),
        }
      : {}),
  });
  const loop = new ActuatorLoop(actuator, { intervalSeconds: cfg.interval, leaseDurationSeconds: cfg.leaseDuration, clock: o.clock, logger });
  loop.start();
  logger.info({ targets: cfg.targets.length }, 'actuator started');
  return { actuator, stop: () => loop.stop() };
}
