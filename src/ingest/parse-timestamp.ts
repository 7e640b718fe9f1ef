import { invalidInput } from '../errors/prescale-error';
import { parseInstant } from '../time/parse-instant';

// Unix seconds before this are taken as seconds; bigger numbers are rejected rather than
// silently read as milliseconds (year 5138 in seconds is the limit, far beyond real data).
const MAX_UNIX_SECONDS = 1e11;

/**
 * Parses a sample timestamp: RFC 3339 / ISO 8601 with a zone (`2026-11-26T10:00:00Z`),
 * or Unix seconds (number or numeric string, fractions allowed).
 * @throws {PrescaleError} INVALID_INPUT naming `field`.
 */
export function parseTimestamp(raw: unknown, field: string): number {
  if (typeof raw === 'number') return fromUnixSeconds(raw, field);
  if (typeof raw !== 'string' || raw.trim() === '') throw invalidInput(field, 'timestamp must be an RFC 3339 string or Unix seconds');
  const s = raw.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return fromUnixSeconds(Number(s), field);
  const parsed = parseInstant(s);
  if (parsed.ok) return parsed.ms;
  throw invalidInput(
    field,
    parsed.problem === 'format' ? `timestamp "${truncate(s)}" is not RFC 3339 with a zone (e.g. 2026-11-26T10:00:00Z) or Unix seconds` : `timestamp "${truncate(s)}" is not a valid date`,
  );
}

function fromUnixSeconds(seconds: number, field: string): number {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_UNIX_SECONDS) {
    throw invalidInput(field, `Unix timestamp ${seconds} is out of range (0 to ${MAX_UNIX_SECONDS} seconds)`);
  }
  return Math.round(seconds * 1000);
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
