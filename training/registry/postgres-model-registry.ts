import type { Pool, PoolClient } from 'pg';
import type { ModelArtifact } from '../../models/core/forecaster';
import { MODEL_KINDS } from '../../models/model-kinds';
import { PrescaleError } from '../../src/errors/prescale-error';
import { REGISTRY_CHANNEL } from '../../src/postgres/registry-migrations';
import type { ModelManifest } from './model-manifest';
import { PostgresRegistryWatcher } from './postgres-registry-watcher';
import { checkFormatVersion, manifestSchema, servingSchema } from './registry-files';
import type { NewManifest, RegistryLocation, ServingPointer, WatchedModelRegistry } from './registry-store';

export interface PostgresModelRegistryOptions {
  /** The process's pool (`openPostgresPool`); the registry does not close it. */
  pool: Pool;
  /** The same database's URL: the watcher holds its own connection for LISTEN, and workers open their own pool. */
  url: string;
  /** Versions kept per series, as the file registry (`training.keepVersions`). */
  keepVersions: number;
  /** How often the watcher also polls, in ms (the fallback when a notification is lost). */
  pollIntervalMs?: number;
}

type Tx = Pick<PoolClient, 'query'>;

/**
 * The model registry in PostgreSQL, shared by every replica: versions as immutable rows
 * (manifest jsonb, weights bytea), one promotion pointer per series. Registration,
 * promotion and rollback are each one transaction that locks the series' pointer row (so
 * concurrent trainers number versions one after another), records the event, prunes like the
 * file registry and notifies `prescale_registry`; the notification is delivered on commit, so
 * a listener never reads a pointer older than the one it was told about.
 */
export class PostgresModelRegistry implements WatchedModelRegistry {
  private readonly keepVersions: number;
  private watcher: PostgresRegistryWatcher | null = null;

  constructor(private readonly o: PostgresModelRegistryOptions) {
    this.keepVersions = Math.max(1, Math.floor(o.keepVersions));
  }

  location(): RegistryLocation {
    return { kind: 'postgres', url: this.o.url, keepVersions: this.keepVersions };
  }

  async versions(series: string): Promise<ModelManifest[]> {
    const rows = await this.o.pool.query<{ manifest: unknown }>({ name: 'registry-versions', text: 'SELECT manifest FROM prescale_model_versions WHERE series = $1 ORDER BY seq', values: [series] });
    return rows.rows.map((r) => parseManifest(series, r.manifest));
  }

  async serving(series: string): Promise<ServingPointer> {
    return servingOf(this.o.pool, series);
  }

  async seriesNames(): Promise<string[]> {
    const rows = await this.o.pool.query<{ series: string }>('SELECT DISTINCT series FROM prescale_model_versions ORDER BY series');
    return rows.rows.map((r) => r.series);
  }

  async save(manifest: NewManifest, artifact: ModelArtifact): Promise<string> {
    return this.transaction(manifest.series, async (tx) => {
      const next = await tx.query<{ seq: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM prescale_model_versions WHERE series = $1', [manifest.series]);
      const seq = next.rows[0]?.seq ?? 1;
      const version = `v${String(seq).padStart(6, '0')}`;
      const full: ModelManifest = { ...manifest, version, kind: artifact.kind, formatVersion: artifact.formatVersion, state: artifact.state };
      const weights = artifact.weights ? Buffer.from(artifact.weights.buffer, artifact.weights.byteOffset, artifact.weights.byteLength) : Buffer.alloc(0);
      await tx.query('INSERT INTO prescale_model_versions (series, seq, version, manifest, weights) VALUES ($1, $2, $3, $4, $5)', [manifest.series, seq, version, JSON.stringify(full), weights]);
      if (manifest.decision === 'promoted') await this.setPromoted(tx, manifest.series, version, 'promoted');
      else await tx.query("INSERT INTO prescale_model_events (series, event, version) VALUES ($1, 'rejected', $2)", [manifest.series, version]);
      await this.prune(tx, manifest.series);
      return version;
    });
  }

  async load(series: string, version: string): Promise<{ manifest: ModelManifest; artifact: ModelArtifact }> {
    const rows = await this.o.pool.query<{ manifest: unknown; weights: Buffer }>({
      name: 'registry-load',
      text: 'SELECT manifest, weights FROM prescale_model_versions WHERE series = $1 AND version = $2',
      values: [series, version],
    });
    const row = rows.rows[0];
    if (!row) throw new PrescaleError('MODEL_NOT_FOUND', `series "${series}" has no model version "${version}"`, 'version');
    const manifest = parseManifest(series, row.manifest);
    const where = `model registry ${series}/${version}`;
    const kind = MODEL_KINDS[manifest.kind];
    if (!kind) throw new PrescaleError('INVALID_INPUT', `${where}: field "kind": unknown model kind "${manifest.kind}"`, 'kind');
    checkFormatVersion(where, manifest, kind.formatVersion);
    // A copy: the artifact outlives the driver's buffer, and models may keep the bytes.
    const weights = new Uint8Array(row.weights);
    const artifact: ModelArtifact = { kind: manifest.kind, formatVersion: manifest.formatVersion, state: manifest.state, ...(weights.byteLength > 0 ? { weights } : {}) };
    return { manifest, artifact };
  }

  promote(series: string, version: string): Promise<ServingPointer> {
    return this.transaction(series, async (tx) => {
      const found = await tx.query('SELECT 1 FROM prescale_model_versions WHERE series = $1 AND version = $2', [series, version]);
      if (found.rowCount === 0) throw new PrescaleError('MODEL_NOT_FOUND', `series "${series}" has no model version "${version}"`, 'version');
      return this.setPromoted(tx, series, version, 'promoted');
    });
  }

  rollback(series: string): Promise<ServingPointer> {
    return this.transaction(series, async (tx) => {
      const current = await servingOf(tx, series);
      const previous = current.history[current.history.length - 1];
      if (previous === undefined) throw new PrescaleError('MODEL_NOT_FOUND', `series "${series}" has no earlier promoted version to roll back to`, 'series');
      const pointer: ServingPointer = { promoted: previous, history: current.history.slice(0, -1) };
      await this.writePointer(tx, series, pointer);
      await tx.query("INSERT INTO prescale_model_events (series, event, version, previous) VALUES ($1, 'rollback', $2, $3)", [series, previous, current.promoted]);
      return pointer;
    });
  }

  /** Promoted, rejected and rollback events of a series, oldest first (the audit trail the pointer does not keep). */
  async events(series: string): Promise<{ event: string; version: string | null; previous: string | null; at: Date }[]> {
    const rows = await this.o.pool.query<{ event: string; version: string | null; previous: string | null; at: Date }>(
      'SELECT event, version, previous, at FROM prescale_model_events WHERE series = $1 ORDER BY id',
      [series],
    );
    return rows.rows;
  }

  watch(listener: (series: string) => void): () => void {
    this.watcher ??= new PostgresRegistryWatcher({ pool: this.o.pool, url: this.o.url, pollIntervalMs: this.o.pollIntervalMs ?? 5000 });
    return this.watcher.subscribe(listener);
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = null;
  }

  /** Runs `fn` in one transaction holding the series' pointer row, created if missing. */
  private async transaction<T>(series: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.o.pool.connect();
    try {
      await client.query('BEGIN');
      // The row lock serialises every writer of this series (version numbers, pointer moves).
      await client.query("INSERT INTO prescale_model_serving (series, generation) VALUES ($1, 0) ON CONFLICT (series) DO NOTHING", [series]);
      await client.query('SELECT 1 FROM prescale_model_serving WHERE series = $1 FOR UPDATE', [series]);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async setPromoted(tx: Tx, series: string, version: string, event: 'promoted'): Promise<ServingPointer> {
    const current = await servingOf(tx, series);
    if (current.promoted === version) return current;
    const pointer: ServingPointer = { promoted: version, history: current.promoted ? [...current.history, current.promoted] : current.history };
    await this.writePointer(tx, series, pointer);
    await tx.query('INSERT INTO prescale_model_events (series, event, version, previous) VALUES ($1, $2, $3, $4)', [series, event, version, current.promoted]);
    return pointer;
  }

  private async writePointer(tx: Tx, series: string, pointer: ServingPointer): Promise<void> {
    const updated = await tx.query<{ generation: string }>(
      // The change counter's row lock is held to commit, so generations commit in order (see migration 0101).
      `WITH change AS (UPDATE prescale_model_serving_changes SET counter = counter + 1 RETURNING counter)
       UPDATE prescale_model_serving SET promoted = $2, history = $3, generation = (SELECT counter FROM change), updated_at = now()
       WHERE series = $1 RETURNING generation::text AS generation`,
      [series, pointer.promoted, JSON.stringify(pointer.history)],
    );
    // Delivered on commit only; the generation lets the watcher skip what its next poll would report again.
    await tx.query('SELECT pg_notify($1, $2)', [REGISTRY_CHANNEL, JSON.stringify({ series, generation: updated.rows[0]?.generation })]);
  }

  /** The file registry's rule: keep the newest `keepVersions`, the promoted one and the one a rollback serves. */
  private async prune(tx: Tx, series: string): Promise<void> {
    const pointer = await servingOf(tx, series);
    const previous = pointer.history[pointer.history.length - 1];
    const keep = [pointer.promoted, previous].filter((v): v is string => typeof v === 'string');
    const doomed = await tx.query<{ version: string }>(
      `DELETE FROM prescale_model_versions WHERE series = $1 AND NOT (version = ANY($2::text[]))
         AND seq <= (SELECT MAX(seq) FROM prescale_model_versions WHERE series = $1) - $3 RETURNING version`,
      [series, keep, this.keepVersions],
    );
    if (doomed.rowCount === 0) return;
    const gone = new Set(doomed.rows.map((r) => r.version));
    if (pointer.history.some((v) => gone.has(v))) {
      // A rollback must never name a deleted version; the pointer itself is unchanged, so no notification.
      await tx.query('UPDATE prescale_model_serving SET history = $2 WHERE series = $1', [series, JSON.stringify(pointer.history.filter((v) => !gone.has(v)))]);
    }
  }
}

async function servingOf(db: Pick<Pool, 'query'>, series: string): Promise<ServingPointer> {
  const rows = await db.query<{ promoted: string | null; history: unknown }>({ name: 'registry-serving', text: 'SELECT promoted, history FROM prescale_model_serving WHERE series = $1', values: [series] });
  const row = rows.rows[0];
  if (!row) return { promoted: null, history: [] };
  return servingSchema.parse({ promoted: row.promoted, history: row.history });
}

/** @throws {PrescaleError} INVALID_INPUT naming the field, as the file registry does for manifest.json. */
function parseManifest(series: string, json: unknown): ModelManifest {
  const parsed = manifestSchema.safeParse(json);
  if (parsed.success) return parsed.data as ModelManifest;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  throw new PrescaleError('INVALID_INPUT', `model registry ${series}: field "${field}": ${issue?.message ?? 'invalid'}`, field);
}
