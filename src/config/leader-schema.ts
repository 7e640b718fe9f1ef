import { z } from 'zod';
import { durationSeconds, resourceName } from './schema-helpers';

/**
 * Who leads among replicas: only the leader runs scheduled retraining and the actuator.
 * `auto` picks a Kubernetes Lease inside a cluster, else a PostgreSQL advisory lock with the
 * postgres backend, else the `training.lockFile` lock file (one process, or a shared volume).
 */
export const leaderSchema = z
  .strictObject({
    election: z
      .enum(['auto', 'kubernetes-lease', 'postgres-advisory-lock', 'file'])
      .default('auto')
      .describe('Leader election adapter: auto (Lease in a pod, else advisory lock with storage.backend postgres, else the lock file), or one of them by name.'),
    leaseName: resourceName.default('prescale-leader').describe('Name of the coordination.k8s.io/v1 Lease (kubernetes-lease) or of the advisory lock (postgres-advisory-lock).'),
    namespace: z.string().min(1).optional().describe('Namespace of the Lease (default: actuator.namespace).'),
    leaseDuration: durationSeconds
      .default(15)
      .describe('Lease and advisory-lock adapters: a leader not renewing for this long stops leading, and (Lease) another takes over; renewed every third of it.'),
  })
  .prefault({});

export type LeaderConfig = z.output<typeof leaderSchema>;
