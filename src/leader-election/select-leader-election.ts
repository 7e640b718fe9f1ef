import type { LeaderConfig } from '../config/leader-schema';
import type { Clock } from '../time/clock';
import { FileLeaderElection } from './file-leader-election';
import { type LeaseApi, KubernetesLeaseElection } from './kubernetes-lease-election';
import type { LeaderElection } from './leader-election';
import type { LeaderAdapter } from './observed-leader-election';
import { PostgresAdvisoryLockElection } from './postgres-advisory-lock-election';

/** What the choice depends on, gathered by the composition root. */
export interface LeaderFacts {
  config: LeaderConfig;
  /** True when running in a pod (a service account token is mounted). */
  inCluster: boolean;
  /** The postgres backend's URL, or null with the sqlite backend. */
  postgresUrl: string | null;
}

/**
 * `leader.election` → adapter. `auto`: a Kubernetes Lease in a cluster (the cluster's own
 * coordination API, works with either backend); else a PostgreSQL advisory lock when the
 * replicas share a database; else the lock file.
 * @throws {Error} naming `leader.election` when the chosen adapter needs a database that is not configured.
 */
export function chooseLeaderAdapter(facts: LeaderFacts): LeaderAdapter {
  const { election } = facts.config;
  if (election === 'postgres-advisory-lock' && facts.postgresUrl === null) {
    throw new Error('leader.election: postgres-advisory-lock needs storage.backend postgres (a database every replica shares)');
  }
  if (election !== 'auto') return election;
  if (facts.inCluster) return 'kubernetes-lease';
  return facts.postgresUrl !== null ? 'postgres-advisory-lock' : 'file';
}

export interface LeaderElectionParts {
  identity: string;
  clock: Clock;
  /** For the file adapter (`training.lockFile`, `training.lockTtl`). */
  lockFile: string;
  lockTtlSeconds: number;
  /** For the Lease adapter (the composition root makes it connect on first use). */
  leaseApi: LeaseApi;
  /** Namespace of the Lease when `leader.namespace` is not set. */
  defaultNamespace: string;
}

/** Builds the adapter `chooseLeaderAdapter` picked. */
export function buildLeaderElection(adapter: LeaderAdapter, facts: LeaderFacts, parts: LeaderElectionParts): LeaderElection {
  const { config } = facts;
  switch (adapter) {
    case 'kubernetes-lease':
      return new KubernetesLeaseElection({
        api: parts.leaseApi,
        namespace: config.namespace ?? parts.defaultNamespace,
        name: config.leaseName,
        identity: parts.identity,
        leaseDurationSeconds: config.leaseDuration,
        clock: parts.clock,
      });
    case 'postgres-advisory-lock':
      return new PostgresAdvisoryLockElection({ url: facts.postgresUrl ?? '', name: config.leaseName, leaseDurationSeconds: config.leaseDuration, clock: parts.clock, identity: parts.identity });
    case 'file':
      return new FileLeaderElection({ file: parts.lockFile, leaseDurationSeconds: parts.lockTtlSeconds, clock: parts.clock, identity: parts.identity });
  }
}

/** The adapter an injected election is, for the status. */
export function adapterOf(election: LeaderElection): LeaderAdapter {
  if (election instanceof PostgresAdvisoryLockElection) return 'postgres-advisory-lock';
  if (election instanceof FileLeaderElection) return 'file';
  return 'kubernetes-lease';
}
