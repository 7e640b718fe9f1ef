import { isValidTimezone } from '../../models/core/calendar';
import { modelKindNames } from '../../models/model-kinds';
import { durationProblem, parseDurationSeconds } from '../../src/config/duration';
import { invalidInput } from '../../src/errors/prescale-error';

/** Parses a duration flag. @throws {PrescaleError} INVALID_INPUT naming the flag. */
export function durationFlag(flag: string, raw: string): number {
  const seconds = parseDurationSeconds(raw);
  if (seconds === null) throw invalidInput(flag, durationProblem(raw));
  return seconds;
}

export function timezoneFlag(raw: string): string {
  if (!isValidTimezone(raw)) throw invalidInput('--timezone', `"${raw}" is not an IANA timezone (e.g. UTC, Europe/Berlin)`);
  return raw;
}

export function kindFlag(raw: string): 'rate' | 'gauge' {
  if (raw !== 'rate' && raw !== 'gauge') throw invalidInput('--kind', `"${raw}" must be rate or gauge`);
  return raw;
}

export function modelsFlag(raw: string, known: readonly string[] = modelKindNames()): string[] {
  const models = raw.split(',').map((m) => m.trim()).filter(Boolean);
  if (models.length === 0) throw invalidInput('--models', 'name at least one model');
  for (const m of models) if (!known.includes(m)) throw invalidInput('--models', `unknown model "${m}" (known: ${known.join(', ')})`);
  return models;
}

/** One model kind, named by the flag that gave it (`--model`). */
export function modelFlag(flag: string, raw: string, known: readonly string[] = modelKindNames()): string {
  const model = raw.trim();
  if (!known.includes(model)) throw invalidInput(flag, `unknown model "${raw}" (known: ${known.join(', ')})`);
  return model;
}

export function quantilesFlag(raw: string): number[] {
  const qs = raw.split(',').map((q) => Number(q.trim()));
  for (const q of qs) if (!(q > 0 && q < 1)) throw invalidInput('--quantiles', `"${raw}" must be numbers in (0, 1), e.g. 0.5,0.9`);
  return [...new Set([...qs, 0.5, 0.9])].sort((a, b) => a - b);
}

export function positiveIntFlag(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidInput(flag, `"${raw}" must be a positive integer`);
  return n;
}

/** One quantile level in (0, 1). */
export function quantileFlag(flag: string, raw: string): number {
  const q = Number(raw);
  if (!(q > 0 && q < 1)) throw invalidInput(flag, `"${raw}" must be a number in (0, 1), e.g. 0.85`);
  return q;
}

/** An HPA tolerance (`behavior.scaleUp.tolerance`): a non-negative ratio, e.g. 0 or 0.05. */
export function toleranceFlag(flag: string, raw: string): number {
  const t = Number(raw);
  if (raw.trim() === '' || !(t >= 0 && t < 1)) throw invalidInput(flag, `"${raw}" must be a number in [0, 1), e.g. 0 or 0.05`);
  return t;
}

/**
 * The address of a running service, `http(s)://host:port`. `localhost:8080` without a scheme
 * parses as a URL of scheme `localhost:`, so it is refused here rather than failing later.
 * @param source the flag or environment variable the value came from, named in the error.
 */
export function serviceUrlFlag(source: string, raw: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw invalidInput(source, `"${raw}" is not an http(s) URL of the service (e.g. http://127.0.0.1:8080)`);
  }
  return raw;
}

/**
 * `--shard INDEX/COUNT`, or `--shard /COUNT` with INDEX from `JOB_COMPLETION_INDEX` (what a
 * Kubernetes Indexed Job sets in each pod), so one Job template serves every pod.
 * @throws {PrescaleError} INVALID_INPUT naming `--shard` or `JOB_COMPLETION_INDEX`.
 */
export function shardFlag(raw: string, env: NodeJS.ProcessEnv): { index: number; count: number } {
  const match = /^(\d*)\/(\d+)$/.exec(raw.trim());
  if (!match) throw invalidInput('--shard', `"${raw}" must be INDEX/COUNT (e.g. 0/4), or /COUNT to take INDEX from JOB_COMPLETION_INDEX`);
  const count = Number(match[2]);
  if (count < 1) throw invalidInput('--shard', `"${raw}": COUNT must be at least 1`);
  const fromEnv = match[1] === '';
  const source = fromEnv ? 'JOB_COMPLETION_INDEX' : '--shard';
  const rawIndex = fromEnv ? env['JOB_COMPLETION_INDEX'] : match[1];
  if (rawIndex === undefined || rawIndex === '') throw invalidInput('--shard', `"${raw}" takes INDEX from JOB_COMPLETION_INDEX, which is not set (an Indexed Job sets it); give INDEX/COUNT`);
  if (!/^\d+$/.test(rawIndex)) throw invalidInput(source, `"${rawIndex}" is not a shard index (a whole number from 0)`);
  const index = Number(rawIndex);
  if (index >= count) throw invalidInput(source, `index ${index} is not below the shard count ${count} (indexes run 0–${count - 1}; set the Job's completions to the count)`);
  return { index, count };
}
