import type { Migration } from './migrations';

/**
 * The registry's tables. Versions are immutable rows (manifest as jsonb, weights as bytea);
 * the promotion pointer is one row per series whose `generation` is drawn on every change
 * from a counter that commits in order (`0101`), so a replica that missed a notification
 * finds the rows changed since the highest generation it saw with one indexed query. Events keep the promoted, rejected and
 * rollback history (the pointer keeps only what a rollback needs).
 */
export const registryMigrations: readonly Migration[] = [
  {
    id: '0100_model_registry',
    sql: `
      CREATE TABLE prescale_model_versions (
        series text NOT NULL,
        seq integer NOT NULL,
        version text NOT NULL,
        manifest jsonb NOT NULL,
        weights bytea NOT NULL,
        PRIMARY KEY (series, seq),
        UNIQUE (series, version)
      );
      CREATE SEQUENCE prescale_model_serving_generation;
      CREATE TABLE prescale_model_serving (
        series text PRIMARY KEY,
        promoted text,
        history jsonb NOT NULL DEFAULT '[]'::jsonb,
        generation bigint NOT NULL DEFAULT nextval('prescale_model_serving_generation'),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX prescale_model_serving_by_generation ON prescale_model_serving (generation);
      CREATE TABLE prescale_model_events (
        id bigserial PRIMARY KEY,
        series text NOT NULL,
        event text NOT NULL CHECK (event IN ('promoted', 'rejected', 'rollback')),
        version text,
        previous text,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX prescale_model_events_by_series ON prescale_model_events (series, id);
    `,
  },
  {
    id: '0101_model_serving_change_counter',
    // One row counting pointer changes. A writer takes its next value with an UPDATE, which
    // holds that row's lock until commit, so values commit in the order they were drawn
    // (a sequence does not promise that). A poll then reads this one row, and only when it
    // moved the pointer rows with a higher generation: at 10,000 series an unchanged
    // registry costs one index read, not 10,000 rows. Starts above every generation drawn
    // from the sequence before, so nothing already written looks new or is missed.
    sql: `
      CREATE TABLE prescale_model_serving_changes (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        counter bigint NOT NULL
      );
      INSERT INTO prescale_model_serving_changes (counter)
        SELECT GREATEST(COALESCE(MAX(generation), 0), (SELECT last_value FROM prescale_model_serving_generation)) FROM prescale_model_serving;
    `,
  },
];

/** The channel every promotion and rollback notifies, with the series name as payload. */
export const REGISTRY_CHANNEL = 'prescale_registry';
