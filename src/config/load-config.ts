import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { PrescaleError } from '../errors/prescale-error';
import { crossReferenceIssues } from './cross-reference-issues';
import { type Config, configSchema } from './schema';
import { demoPool, withDemoReplay } from '../demo/demo-config';

/** Environment variables that override the config file (read here and nowhere else). */
export interface ConfigEnv {
  PORT?: string | undefined;
  HOST?: string | undefined;
  PRESCALE_DATA_DIR?: string | undefined;
  /** Sets `storage.postgres.url` (replacing `url` and `urlFile` of the file): the URL can come from a Secret without a file. */
  PRESCALE_POSTGRES_URL?: string | undefined;
}

/**
 * Reads and validates the config: a YAML or JSON file (or none: the embedded demo), then
 * environment overrides. Every problem is reported at once, each with its field path.
 * @throws {PrescaleError} INVALID_CONFIG listing every problem.
 */
export function loadConfig(options: { file?: string | undefined; env: ConfigEnv; demoReplay?: string | undefined }): Readonly<Config> {
  const read = options.file === undefined ? { demo: { enabled: true } } : readConfigFile(options.file);
  const raw = options.demoReplay === undefined ? read : withDemoReplay(read, options.demoReplay);
  return parseConfig(withEnvOverrides(raw, options.env));
}

/**
 * Validates an already-read config object. Schema and cross-reference problems come in one
 * round, each with its path.
 * @throws {PrescaleError} INVALID_CONFIG listing every problem.
 */
export function parseConfig(raw: unknown): Readonly<Config> {
  const result = validate(raw);
  if (!result.success) throw new PrescaleError('INVALID_CONFIG', formatIssues(result.issues), firstPath(result.issues));
  const config = result.data;
  if (config.demo.enabled && !config.series.some((s) => s.name === config.demo.series)) {
    config.series.push(configSchema.shape.series.parse([{ name: config.demo.series, step: '1m', timezone: 'UTC', horizon: '1h' }])[0]!);
  }
  if (config.demo.enabled && config.demo.replay !== undefined && !config.pools.some((p) => p.series === config.demo.series)) config.pools.push(demoPool(config.demo.series));
  return deepFreeze(config);
}

/** One problem of a config file: its field path (`series[0].step`; `config` for the file itself) and what is wrong. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Every problem of a config file as written (no environment overrides); empty when it is valid. */
export function checkConfigFile(file: string): ConfigProblem[] {
  let raw: unknown;
  try {
    raw = readConfigFile(file);
  } catch (err) {
    return [{ path: 'config', message: (err as Error).message }];
  }
  const result = validate(raw);
  return result.success ? [] : result.issues.map((i) => ({ path: formatPath(issuePath(i)) || '(root)', message: i.message }));
}

/** The schema, then the cross-references of what parsed, in one round. */
function validate(raw: unknown): { success: true; data: Config } | { success: false; issues: z.core.$ZodIssue[] } {
  const result = configSchema.safeParse(raw);
  if (result.success) return { success: true, data: result.data };
  return { success: false, issues: withoutRepeats([...result.error.issues, ...crossReferenceIssues(raw)]) };
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `config file ${file}: ${(err as Error).message}`, 'config');
  }
  try {
    // YAML is a superset of JSON, so one parser reads both.
    return parseYaml(text) ?? {};
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `config file ${file} is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`, 'config');
  }
}

function withEnvOverrides(raw: unknown, env: ConfigEnv): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = structuredClone(raw) as Record<string, Record<string, unknown>>;
  const section = (name: string): Record<string, unknown> => {
    const existing = config[name];
    if (typeof existing === 'object' && existing !== null) return existing;
    return (config[name] = {});
  };
  if (env.HOST) section('server')['host'] = env.HOST;
  if (env.PORT !== undefined && env.PORT !== '') {
    const port = Number(env.PORT);
    section('server')['port'] = Number.isInteger(port) ? port : env.PORT;
  }
  if (env.PRESCALE_DATA_DIR) section('storage')['dataDir'] = env.PRESCALE_DATA_DIR;
  if (env.PRESCALE_POSTGRES_URL) section('storage')['postgres'] = { url: env.PRESCALE_POSTGRES_URL };
  return config;
}

/** A cross-reference rule the schema already ran (its refinements may run despite other problems) is reported once. */
function withoutRepeats(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${formatPath(issuePath(i))}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${formatPath(issuePath(i)) || '(root)'}: ${i.message}`).join('; ');
}

function firstPath(issues: readonly z.core.$ZodIssue[]): string {
  return issues[0] ? formatPath(issuePath(issues[0])) : '';
}

/** An unknown key is reported at the object that holds it; the offending field is the key itself. */
function issuePath(issue: z.core.$ZodIssue): readonly PropertyKey[] {
  return issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
}

/** `['series', 0, 'step']` → `series[0].step`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
