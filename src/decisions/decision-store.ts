import type { AdvisorySample } from '../advisory/advisory-sample';
import type { DecisionOutcome, DecisionRecord } from './decision-record';

/** A page of decisions, newest first; `continue` is present when older ones remain. */
export interface DecisionPage {
  items: DecisionRecord[];
  /** Pass back as `continue` to read the next (older) page. */
  continue?: string;
}

export interface DecisionQuery {
  pool?: string | undefined;
  /** Only decisions at or after this epoch ms. */
  sinceMs?: number | undefined;
  outcome?: DecisionOutcome | undefined;
  /** 1–1000. */
  limit: number;
  /** The id the previous page ended at: this page starts just before it. */
  continue?: string | undefined;
}

/**
 * Where decisions and advisory samples are kept: durable (on disk before `append` returns),
 * so a restart loses none. The embedded implementation is `SqliteDecisionStore` under the
 * data dir; another store (PostgreSQL) implements the same port.
 */
export interface DecisionStore {
  append(record: DecisionRecord): void;
  list(query: DecisionQuery): DecisionPage;
  /** The newest decision of `pool` at or before `atMs`; null when none. */
  latestAt(pool: string, atMs: number): DecisionRecord | null;
  appendSample(sample: AdvisorySample): void;
  /** A pool's samples in [fromMs, toMs], ascending. */
  samples(pool: string, fromMs: number, toMs: number): AdvisorySample[];
  close(): void;
}
