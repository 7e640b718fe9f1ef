/**
 * Formats epoch ms as an ISO 8601 / RFC 3339 instant in UTC with milliseconds
 * (`2026-12-01T09:00:00.000Z`), the form every JSON document of Prescale uses; null stays
 * null, for optional times.
 * @throws {RangeError} when `ms` is not a finite time (as `Date#toISOString` does).
 */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
