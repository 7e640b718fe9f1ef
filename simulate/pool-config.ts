import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { formatIssues, formatPath } from '../src/config/load-config';
import { checkPoolFields, poolFields } from '../src/config/planner-schema';
import { resourceName } from '../src/config/schema-helpers';
import { PrescaleError } from '../src/errors/prescale-error';

/**
 * One pool, read with the service's pool schema (`poolFields` in src/config/planner-schema.ts):
 * the same keys, defaults and bounds (`leadTime` 5m, `headroom` 0.1, `minReplicas` 1 and ≥ 0,
 * `gpusPerReplica` 1, …), so a pool YAML means the same capacity in `prescale simulate` and in
 * the service. What differs is only what a replay of one trace has no use for:
 * - `name` and `series` are optional (one pool, and the trace is its load);
 * - `quantile` and `queue` are not accepted: the replay's quantile is `--quantile`, and it has
 *   no backlog trace; `scaleDown` has no default (absent, the simulated HPA does the
 *   stabilizing, as when the plan is published to an HPA).
 */
export const simulatedPoolSchema = poolFields
  .omit({ quantile: true, queue: true, scaleDown: true })
  .extend({
    name: resourceName.default('simulated').describe('Pool name (optional in the simulator).'),
    scaleDown: poolFields.shape.scaleDown
      .unwrap()
      .optional()
      .describe("The planner's gradual scale-down, as in the service; absent: the plan does not stabilize and the simulated HPA does."),
    series: resourceName.optional().describe('Accepted so a service pool parses; unused: the simulator replays the trace, not a series.'),
  })
  .superRefine(checkPoolFields);

export type SimulatedPool = z.output<typeof simulatedPoolSchema>;

/**
 * Validates a pool: either the pool object itself, or `{ pools: [pool] }` as in a full config.
 * @throws {PrescaleError} INVALID_CONFIG naming the field.
 */
export function parsePool(raw: unknown): SimulatedPool {
  let candidate = raw;
  let at: PropertyKey[] = [];
  if (typeof raw === 'object' && raw !== null && 'pools' in raw) {
    const pools = (raw as { pools: unknown }).pools;
    if (!Array.isArray(pools) || pools.length !== 1) throw new PrescaleError('INVALID_CONFIG', 'pools: the simulator takes exactly one pool', 'pools');
    candidate = pools[0];
    at = ['pools', 0];
  }
  const result = simulatedPoolSchema.safeParse(candidate);
  if (!result.success) {
    // Every problem at its path in the file, `pools[0].` included when the pool sits in a list.
    const issues = result.error.issues.map((i) => ({ ...i, path: [...at, ...i.path] }));
    throw new PrescaleError('INVALID_CONFIG', `pool: ${formatIssues(issues)}`, formatPath(issues[0]?.path ?? []));
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
