import type { Migration } from './migrations';

/**
 * The registry's tables. Versions are immutable rows (manifest as jsonb, weights as bytea);
 * the promotion pointer is one row per series whose `generation` is drawn from a sequence on
 * every change, so a replica that missed a notification finds the rows changed since the
 * highest generation it saw with one indexed query. Events keep the promoted, rejected and
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
];

/** The channel every promotion and rollback notifies, with the series name as payload. */
export const REGISTRY_CHANNEL = 'prescale_registry';
