import { parseDurationSeconds } from '../../src/config/duration';
import { invalidInput } from '../../src/errors/prescale-error';
import { parseTimestamp } from '../../src/ingest/parse-timestamp';

/**
 * A window start: a duration back from now (`24h`, `90m`, `7d`) or a timestamp (RFC 3339 with
 * a zone, or Unix seconds). @throws {PrescaleError} INVALID_INPUT naming `field`.
 */
export function parseSince(raw: unknown, nowMs: number, field: string): number {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalidInput(field, 'give a duration back from now (24h, 90m, 7d) or an RFC 3339 time');
  const seconds = /^\d+(\.\d+)?[smhdw]/.test(raw.trim()) ? parseDurationSeconds(raw.trim()) : null;
  if (seconds !== null) {
    if (!(seconds > 0)) throw invalidInput(field, `"${raw}" must be a positive duration`);
    return nowMs - seconds * 1000;
  }
  return parseTimestamp(raw, field);
}

/** An integer in [1, max], default `fallback`. @throws {PrescaleError} INVALID_INPUT naming `field`. */
export function parseLimit(raw: unknown, field: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalidInput(field, `must be an integer from 1 to ${max}`);
  return n;
}

/** A single query value (a repeated parameter is refused rather than silently using one). */
export function single(raw: unknown, field: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw invalidInput(field, 'give it once, as a plain value');
  return raw;
}
