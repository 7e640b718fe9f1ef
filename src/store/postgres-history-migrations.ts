import type { Migration } from '../postgres/migrations';

/** The history store's tables. Ids `0001_…`–`0099_…` belong to history. */
export const historyMigrations: readonly Migration[] = [
  {
    id: '0001_history_samples',
    // Keyed (series, t) like the SQLite table: re-sends are idempotent upserts, and every
    // read is one index range scan. t is epoch milliseconds.
    sql: `CREATE TABLE prescale_samples (
      series text NOT NULL,
      t bigint NOT NULL,
      v double precision NOT NULL,
      PRIMARY KEY (series, t)
    )`,
  },
];
