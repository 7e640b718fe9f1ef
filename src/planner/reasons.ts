/**
 * Why a planned value is what it is. Every step of every plan carries one reason: the term
 * that decided the value, plus the numbers behind it (safety rule 3: a plan that a quota cut
 * says which quota cut it).
 */
export type ReasonTerm =
  | 'forecast'
  | 'trust-fallback'
  | 'queue'
  | 'schedule'
  | 'event'
  | 'min'
  | 'stale-hold'
  | 'stabilize'
  | 'quota:maxReplicas'
  | 'quota:maxGpus'
  | 'quota:maxCostPerHour'
  | 'quota:maxStepUp'
  | 'quota:resourceQuota';

/** The quota terms, in the order the planner applies them. */
export const QUOTA_TERMS = ['quota:maxReplicas', 'quota:maxStepUp', 'quota:maxGpus', 'quota:resourceQuota', 'quota:maxCostPerHour'] as const;
export type QuotaTerm = (typeof QUOTA_TERMS)[number];

export interface PlanReason {
  /** The term that decided the value. */
  term: ReasonTerm;
  /** One human line with the numbers (`load 412 at 10:04 × 1.15 / 20 per replica = 24`); may be formatted on first read. */
  readonly detail: string;
  /** The numbers behind the decision, by name (e.g. `load`, `capacityPerReplica`, `floor`, `limit`). */
  values: Readonly<Record<string, number>>;
}

/**
 * A reason whose `detail` line is formatted on first read: a plan of 1,000 pools has 61,000
 * steps, most of whose lines nobody reads, and formatting them eagerly dominated planning time.
 * `toJSON` makes it serialize like a plain `PlanReason`.
 */
class LazyReason implements PlanReason {
  private text: string | undefined;

  constructor(
    readonly term: ReasonTerm,
    private readonly format: () => string,
    readonly values: Readonly<Record<string, number>>,
  ) {}

  get detail(): string {
    return (this.text ??= this.format());
  }

  toJSON(): PlanReason {
    return { term: this.term, detail: this.detail, values: this.values };
  }
}

/** A reason; pass `detail` as a function to format it only when read. */
export function reason(term: ReasonTerm, detail: string | (() => string), values: Record<string, number> = {}): PlanReason {
  return typeof detail === 'string' ? { term, detail, values } : new LazyReason(term, detail, values);
}

/** Terms that only ever lower a value. */
export function isQuotaTerm(term: ReasonTerm): term is QuotaTerm {
  return term.startsWith('quota:');
}

/** `2026-12-01T09:04:00Z` without milliseconds, for reason lines. */
export function isoMinute(tMs: number): string {
  return new Date(tMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Rounds for display in reason lines (3 significant decimals at most). */
export function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 1000) / 1000);
}
