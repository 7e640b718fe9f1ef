import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { formatIssues } from '../src/config/load-config';
import { durationSeconds } from '../src/config/schema-helpers';
import { PrescaleError } from '../src/errors/prescale-error';

/**
 * One pool as the planner's pools describe it (same keys), which is all the simulator needs
 * to turn demand into replicas, Ready capacity and cost.
 */
export const simulatedPoolSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    /** Load one Ready replica serves at its SLO, in the trace's unit (e.g. requests/s). */
    capacityPerReplica: z.number().positive(),
    /** Cold start: time from creating a replica to it being Ready (`3m`). */
    leadTime: durationSeconds,
    /** Extra capacity as a fraction of the load (0.1 = 10 %); also sets the reactive HPA target. */
    headroom: z.number().min(0).max(10).default(0),
    minReplicas: z.number().int().min(1).default(1),
    maxReplicas: z.number().int().min(1),
    gpusPerReplica: z.number().min(0).default(0),
    costPerReplicaHour: z.number().min(0).default(0),
    /** Accepted (the planner's pools have it) and unused: a single pool has no one to yield to. */
    priority: z.number().optional(),
    /** Accepted for compatibility with planner pools; the simulator replays the trace, not a series. */
    series: z.string().optional(),
  })
  .refine((p) => p.maxReplicas >= p.minReplicas, { message: 'must be at least minReplicas', path: ['maxReplicas'] });

export type SimulatedPool = z.output<typeof simulatedPoolSchema>;

/**
 * Validates a pool: either the pool object itself, or `{ pools: [pool] }` as in a full config.
 * @throws {PrescaleError} INVALID_CONFIG naming the field.
 */
export function parsePool(raw: unknown): SimulatedPool {
  let candidate = raw;
  let prefix = '';
  if (typeof raw === 'object' && raw !== null && 'pools' in raw) {
    const pools = (raw as { pools: unknown }).pools;
    if (!Array.isArray(pools) || pools.length !== 1) throw new PrescaleError('INVALID_CONFIG', 'pools: the simulator takes exactly one pool', 'pools');
    candidate = pools[0];
    prefix = 'pools[0].';
  }
  const result = simulatedPoolSchema.safeParse(candidate);
  if (!result.success) {
    const message = formatIssues(result.error.issues);
    throw new PrescaleError('INVALID_CONFIG', `pool: ${prefix}${message}`, `${prefix}${String(result.error.issues[0]?.path[0] ?? '')}`);
  }
  return result.data;
}

/** Reads a pool YAML (or JSON) file. @throws {PrescaleError} INVALID_CONFIG naming the file or field. */
export function loadPoolFile(file: string): SimulatedPool {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `pool file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'pool');
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `pool file ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, 'pool');
  }
  return parsePool(raw ?? {});
}

/** Replicas that serve `load` at full capacity (no headroom): the oracle's and the metrics' notion of need. */
export function replicasNeeded(load: number, pool: Pick<SimulatedPool, 'capacityPerReplica'>): number {
  if (!(load > 0)) return 0;
  // A hair of tolerance so a load of exactly k × capacity needs k replicas despite float noise.
  return Math.ceil(load / pool.capacityPerReplica - 1e-9);
}
