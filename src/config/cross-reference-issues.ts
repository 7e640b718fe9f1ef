import { z } from 'zod';
import { checkPlannerRefs } from './planner-schema';
import { type Config, configSchema } from './schema';

type Issue = z.core.$ZodIssue;

/**
 * The cross-reference rules of the config (`checkPlannerRefs`: pools name configured series,
 * floors and targets name configured pools, …) as they apply to a config that fails the
 * schema. Zod runs an object's refinements only once its fields parse, so without this a
 * config with a typo would report its reference problems in a second round.
 *
 * Each section is parsed on its own, and each list entry on its own: an entry that fails is
 * left out of the checks (its own problems are reported by the schema), but its name still
 * counts as configured, so no reference to it is reported as unknown. Rules that depend on
 * such an entry's other fields (a pool's quantile served by a series that failed) are skipped.
 */
export function crossReferenceIssues(raw: unknown): Issue[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  const input = raw as Record<string, unknown>;
  const shape = configSchema.shape;

  const series = entries<Config['series'][number]>(shape.series, input['series']);
  const pools = entries<Config['pools'][number]>(shape.pools, input['pools']);
  const unsureSeries = new Set(series.failedNames);
  const unsurePools = new Set(pools.failedNames);
  const actuator = section(shape.actuator, input['actuator']) ?? shape.actuator.parse(undefined);
  const config = {
    // A failed series keeps its name (and serves no quantile checks: see unsureSeries).
    series: [...series.parsed.filter(Boolean), ...series.failedNames.map((name) => ({ name, quantiles: [] as number[] }))],
    demo: section(shape.demo, input['demo']) ?? shape.demo.parse(undefined),
    pools: pools.parsed,
    schedules: entries<Config['schedules'][number]>(shape.schedules, input['schedules']).parsed,
    events: entries<Config['events'][number]>(shape.events, input['events']).parsed,
    actuator,
  };
  const result = z.unknown().superRefine((_value, ctx) => checkPlannerRefs(config, ctx)).safeParse(undefined);
  if (result.success) return [];
  return result.error.issues.filter((issue) => !dependsOnFailedEntry(issue.path, { pools: config.pools, targets: actuator.targets, unsureSeries, unsurePools }));
}

/** Parses `value` with a section's schema; undefined when it fails. */
function section<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Each entry of a list section parsed on its own: a sparse array (failed entries are holes, so indices and paths stay), plus the names of the failed ones. */
function entries<T>(schema: { unwrap(): unknown }, value: unknown): { parsed: T[]; failedNames: string[] } {
  const element = (schema.unwrap() as z.ZodArray<z.ZodType<T>>).element;
  const parsed: T[] = [];
  const failedNames: string[] = [];
  if (Array.isArray(value)) {
    value.forEach((entry, i) => {
      const result = element.safeParse(entry);
      if (result.success) parsed[i] = result.data;
      else if (typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string') failedNames.push((entry as { name: string }).name);
    });
  }
  return { parsed, failedNames };
}

function dependsOnFailedEntry(
  path: readonly PropertyKey[],
  known: { pools: readonly ({ series: string } | undefined)[]; targets: readonly { pool: string }[]; unsureSeries: Set<string>; unsurePools: Set<string> },
): boolean {
  const [head, index, field, key] = path;
  if (head === 'pools' && field === 'quantile' && typeof index === 'number') return known.unsureSeries.has(known.pools[index]?.series ?? '');
  if ((head === 'schedules' || head === 'events') && field === 'floor') return known.unsurePools.has(String(key));
  if (head === 'actuator' && index === 'targets' && typeof field === 'number') return known.unsurePools.has(known.targets[field]?.pool ?? '');
  return false;
}
