import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { KubeApi } from '../src/actuator/kube-api';
import { ClientNodeKubeApi } from '../src/actuator/client-node-kube-api';
import type { Config } from '../src/config/schema';
import type { LeaseApi } from '../src/leader-election/kubernetes-lease-election';
import type { LeaderElection } from '../src/leader-election/leader-election';
import { ObservedLeaderElection } from '../src/leader-election/observed-leader-election';
import { adapterOf, buildLeaderElection, chooseLeaderAdapter } from '../src/leader-election/select-leader-election';
import type { Clock } from '../src/time/clock';
import { IN_CLUSTER_API } from './in-cluster-api';

export interface Leadership {
  election: ObservedLeaderElection;
  /**
   * True when one election gates both scheduled retraining and the actuator (the Lease and
   * advisory-lock adapters, for replicas). False for the lock file: training keeps its lock
   * and the actuator its own `actuator.leaseName` Lease, as in a single process.
   */
  shared: boolean;
  /** Starts the renewal rounds (every third of the lease duration) when shared. */
  start(): void;
  /** Stops renewing and gives the leadership up, so another replica takes over at once. */
  stop(): Promise<void>;
}

/**
 * The replica's one leader election, chosen by `leader.election` (see `chooseLeaderAdapter`).
 * `override` (an injected election, e.g. in tests) replaces the chosen adapter.
 */
export function buildLeadership(o: {
  config: Readonly<Config>;
  clock: Clock;
  postgresUrl: string | null;
  lockFile: string;
  kubeApi?: KubeApi | undefined;
  override?: LeaderElection | undefined;
  inCluster?: boolean | undefined;
}): Leadership {
  const { config, clock } = o;
  const facts = { config: config.leader, inCluster: o.inCluster ?? existsSync(IN_CLUSTER_API.tokenFile), postgresUrl: o.postgresUrl };
  const adapter = o.override ? adapterOf(o.override) : chooseLeaderAdapter(facts);
  const inner =
    o.override ??
    buildLeaderElection(adapter, facts, {
      // The pod name in a cluster; unique enough on one host for processes that share a database.
      identity: `${hostname()}-${process.pid}`,
      clock,
      lockFile: o.lockFile,
      lockTtlSeconds: config.training.lockTtl,
      leaseApi: lazyLeaseApi(() => (o.kubeApi ? Promise.resolve(o.kubeApi) : ClientNodeKubeApi.create({ kubeconfig: config.actuator.kubeconfig }))),
      defaultNamespace: config.actuator.namespace,
    });
  const election = new ObservedLeaderElection(inner, adapter, clock);
  const shared = adapter !== 'file';
  let timer: NodeJS.Timeout | null = null;
  return {
    election,
    shared,
    start() {
      if (!shared) return;
      const round = (): void => void election.tryAcquireOrRenew().catch(() => undefined);
      round();
      timer = setInterval(round, Math.max(500, (config.leader.leaseDuration * 1000) / 3));
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await election.release().catch(() => undefined);
    },
  };
}

/** A LeaseApi that builds its client on first use, so the composition root stays synchronous. */
function lazyLeaseApi(create: () => Promise<KubeApi>): LeaseApi {
  let api: Promise<KubeApi> | null = null;
  const get = (): Promise<KubeApi> => (api ??= create());
  return {
    readLease: async (...args) => (await get()).readLease(...args),
    createLease: async (...args) => (await get()).createLease(...args),
    replaceLease: async (...args) => (await get()).replaceLease(...args),
  };
}
