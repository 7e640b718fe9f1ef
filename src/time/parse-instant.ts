/** Why a string is not an instant: not the RFC 3339 shape, or the shape of an impossible date. */
export type InstantProblem = 'format' | 'date';

export type ParsedInstant = { ok: true; ms: number } | { ok: false; problem: InstantProblem };

// RFC 3339 date-time with a required zone, so "09:00" is never read in the machine's local
// zone. Also taken, as RFC 3339 §5.6 notes and ISO 8601 allows: a space for `T`, lower-case
// `t`/`z`, no seconds, and an offset without its colon.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The one parser of instants (sample timestamps, config times, CLI flags). Each caller turns
 * a problem into its own error naming its field.
 * @param raw e.g. `2026-12-01T09:00:00Z`, `2026-12-01T10:00:00.250+01:00`.
 * @returns epoch ms, or the problem; never throws.
 */
export function parseInstant(raw: string): ParsedInstant {
  const m = INSTANT.exec(raw.trim());
  if (!m) return { ok: false, problem: 'format' };
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  // Date.parse rolls impossible dates over (Feb 30 → Mar 2) and takes hour 24; RFC 3339 allows neither.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const real = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59;
  const ms = Date.parse(raw.trim().replace(' ', 'T').replace(/z$/, 'Z').replace(/t/, 'T'));
  return real && Number.isFinite(ms) ? { ok: true, ms } : { ok: false, problem: 'date' };
}
