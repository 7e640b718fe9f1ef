import { isValidTimezone } from '../../models/core/calendar';
import { modelKindNames } from '../../models/model-kinds';
import { parseDurationSeconds } from '../../src/config/duration';
import { invalidInput } from '../../src/errors/prescale-error';

/** Parses a duration flag. @throws {PrescaleError} INVALID_INPUT naming the flag. */
export function durationFlag(flag: string, raw: string): number {
  const seconds = parseDurationSeconds(raw);
  if (seconds === null) throw invalidInput(flag, `"${raw}" is not a duration (use e.g. 30s, 5m, 1h)`);
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
