import type { ModelArtifact } from '../models/core/forecaster';
import type { Config } from '../src/config/schema';
import { PrescaleError } from '../src/errors/prescale-error';
import { SeriesCatalog } from '../src/forecast/series-catalog';
import { servingHorizonSteps } from '../src/forecast/serving-horizon';
import type { ModelCatalog, SeriesModels, TrainingRunView } from '../src/model-catalog/model-catalog';
import type { HistoryStore } from '../src/store/history-store';
import { readHistoryWindow } from '../src/store/history-window';
import type { Logger } from '../src/telemetry/logger';
import type { Clock } from '../src/time/clock';
import { seriesModelsView } from './model-views';
import type { ModelVersionView } from '../src/model-catalog/model-catalog';
import type { TrainingPool } from './pool/training-pool';
import { type ModelRegistry, isWatched } from './registry/registry-store';
import type { TrainingMetrics } from './training-metrics';

export interface TrainingServiceDeps {
  config: Readonly<Config>;
  /** The file registry (embedded) or the PostgreSQL one (shared by replicas, watched for changes made elsewhere). */
  registry: ModelRegistry;
  pool: TrainingPool;
  store: HistoryStore;
  clock: Clock;
  logger: Logger;
  metrics: TrainingMetrics;
}

/**
 * The model catalog of the service: trains in the worker pool, keeps the promoted artifacts
 * in memory for serving (loaded on start, replaced on every promotion or rollback), and
 * answers the registry endpoints. The registry's view of each series (versions, gate,
 * status) is cached too and rebuilt after each registration, promotion and rollback made
 * through this service, so `/v1/status` and the model listings never read manifests on a
 * request. A watched registry (PostgreSQL) also reports changes made by other replicas and
 * `prescale train` Jobs: the series is reloaded and refreshed as after a local promotion.
 * With the file registry a change made by another process (the CLI) shows after the next
 * such event or a restart.
 */
export class TrainingService implements ModelCatalog {
  private readonly promotedCache = new Map<string, { version: string; artifact: ModelArtifact }>();
  private readonly runList: TrainingRunView[] = [];
  private readonly views = new Map<string, SeriesModels>();
  private activeBackend: string | null = null;
  private readonly promotedListeners = new Set<(series: string) => void>();
  private readonly catalog: SeriesCatalog;
  private closed = false;
  private unwatch: (() => void) | null = null;

  constructor(private readonly deps: TrainingServiceDeps) {
    this.catalog = new SeriesCatalog(deps.config.series);
  }

  /** Loads the promoted version of every configured series, and asks a worker which backend runs. */
  async start(): Promise<void> {
    await this.loadRegistry();
    this.deps.pool.probe(this.deps.config.training.backend).then(
      (backend) => this.setBackend(backend),
      // A probe that close() cut short failed nothing: only a real failure is worth an error.
      (err: unknown) => {
        if (!this.closed) this.deps.logger.error({ err }, 'training backend is not available');
      },
    );
  }

  /** Watches a shared registry, then loads every configured series' promoted artifact and listing into memory (part of `start`). */
  async loadRegistry(): Promise<void> {
    const { registry } = this.deps;
    // Watch before loading, so a promotion made elsewhere while we load is not missed.
    if (isWatched(registry) && !this.unwatch) this.unwatch = registry.watch((series) => void this.changedElsewhere(series));
    for (const s of this.deps.config.series) {
      // A version that cannot be read must not stop the service: that series serves `forecast.model`.
      await this.reload(s.name).catch((err: unknown) => this.deps.logger.error({ err, series: s.name }, 'cannot load the promoted model; serving the configured model'));
      await this.refreshView(s.name).catch((err: unknown) =>
        this.deps.logger.error({ err, series: s.name }, 'cannot read the model registry; its listing is read again on the next request'),
      );
    }
  }

  promoted(series: string): { version: string; artifact: ModelArtifact } | null {
    return this.promotedCache.get(series) ?? null;
  }

  onPromotedChange(listener: (series: string) => void): () => void {
    this.promotedListeners.add(listener);
    return () => this.promotedListeners.delete(listener);
  }

  async list(series: string): Promise<SeriesModels> {
    this.seriesConfig(series);
    // A copy: callers may change what they get, the cache must not change with it.
    return structuredClone(this.views.get(series) ?? (await this.refreshView(series)));
  }

  async promote(series: string, version: string): Promise<SeriesModels> {
    this.seriesConfig(series);
    await this.deps.registry.promote(series, version);
    await this.refreshView(series);
    void this.reloadAndNotify(series);
    return this.list(series);
  }

  async rollback(series: string): Promise<SeriesModels> {
    this.seriesConfig(series);
    await this.deps.registry.rollback(series);
    await this.refreshView(series);
    void this.reloadAndNotify(series);
    return this.list(series);
  }

  /** Starts a training run in the worker pool and returns its live view (for `202 Accepted`). */
  async train(series: string): Promise<TrainingRunView> {
    return (await this.startRun(series)).run;
  }

  /**
   * Trains and resolves when the run has finished (fit, backtest, promotion gate).
   * @throws the run's error when it failed; the promoted version keeps serving then.
   */
  async trainToCompletion(series: string): Promise<TrainingRunView> {
    const { run, done } = await this.startRun(series);
    await done;
    if (run.state === 'failed') throw new Error(run.error ?? `training of "${series}" failed`);
    return { ...run };
  }

  private async startRun(series: string): Promise<{ run: TrainingRunView; done: Promise<void> }> {
    const config = this.seriesConfig(series);
    const busy = (): void => {
      if (this.runList.some((r) => r.series === series && r.state === 'running')) {
        throw new PrescaleError('TRAINING_BUSY', `series "${series}" is already training`, 'series');
      }
    };
    busy();
    const { newest, series: data } = await readHistoryWindow(this.deps.store, config);
    // Checked again: another run of the series may have started while the history was read.
    busy();
    if (!newest) throw new PrescaleError('INSUFFICIENT_HISTORY', `series "${series}" has no samples to train on`, 'series');
    const run: TrainingRunView = { series, state: 'running', startedAt: new Date(this.deps.clock.now()).toISOString() };
    this.runList.unshift(run);
    const log = this.deps.logger.child({ series });
    const job = {
      seriesName: series,
      series: { ...data, values: Array.from(data.values) },
      horizonSteps: servingHorizonSteps(config),
      quantiles: config.quantiles,
      seasonalities: config.seasonalities,
      config: this.deps.config.training,
      chooseKind: this.deps.config.forecast.model === 'auto',
      registry: this.deps.registry.location(),
    };
    const done = this.deps.pool
      .train(job, (p) => log.debug({ epoch: p.epoch, loss: p.loss, valLoss: p.valLoss }, 'training epoch'))
      .then(async (result) => {
        Object.assign(run, { state: 'done', version: result.version, promoted: result.decision === 'promoted' });
        this.deps.metrics.runs.inc({ result: result.decision });
        if (result.backend) this.setBackend(result.backend);
        log.info({ version: result.version, decision: result.decision, reason: result.reason, backend: result.backend }, 'training finished');
        if (result.decision === 'promoted') await this.reloadAndNotify(series);
      })
      .catch((err: Error) => {
        Object.assign(run, { state: 'failed', error: err.message });
        this.deps.metrics.runs.inc({ result: 'failed' });
        log.warn({ err }, 'training failed');
      })
      .finally(async () => {
        run.finishedAt = new Date(this.deps.clock.now()).toISOString();
        // The worker registered (and pruned) a version: rebuild the view now, not on a status request.
        await this.refreshView(series).catch((err: unknown) => log.error({ err }, 'cannot read the model registry; the model listing shows the previous versions'));
      });
    return { run, done };
  }

  runs(): TrainingRunView[] {
    return this.runList.map((r) => ({ ...r }));
  }

  backend(): { requested: string; active: string | null } {
    return { requested: this.deps.config.training.backend, active: this.activeBackend };
  }

  /** Per-series promoted versions, for `GET /v1/status`. */
  modelsStatus(): Record<string, { promoted: string | null; kind: string | null; versions: number }> {
    const out: Record<string, { promoted: string | null; kind: string | null; versions: number }> = {};
    for (const s of this.deps.config.series) {
      const p = this.promotedCache.get(s.name);
      // From the cached view only (filled at start and on every change): reading manifests here stalled serving.
      const versions = this.views.get(s.name)?.versions.length ?? 0;
      out[s.name] = { promoted: p?.version ?? null, kind: p?.artifact.kind ?? null, versions };
    }
    return out;
  }

  /**
   * The model serving `series` for `GET /v1/series/{name}`: the promoted version with its
   * held-out scores and, under `forecast.model: auto`, the choice between kinds; without a
   * promoted version, the configured model. From the cached view only, like `modelsStatus`.
   */
  servingModel(series: string): { source: 'promoted' | 'configured'; kind: string; version: string | null; gate?: ModelVersionView['gate']; choice?: ModelVersionView['choice'] } {
    const view = this.views.get(series);
    const promoted = view?.versions.find((v) => v.version === view.promoted);
    if (!promoted) return { source: 'configured', kind: this.deps.config.forecast.model, version: null };
    return { source: 'promoted', kind: promoted.kind, version: promoted.version, gate: promoted.gate, ...(promoted.choice ? { choice: promoted.choice } : {}) };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unwatch?.();
    await this.deps.pool.close();
  }

  /** Another replica or a training Job moved the pointer of a series: reload it, as after a local promotion. */
  private async changedElsewhere(series: string): Promise<void> {
    if (this.closed || !this.deps.config.series.some((s) => s.name === series)) return;
    await this.refreshView(series).catch((err: unknown) => this.deps.logger.error({ err, series }, 'cannot read the model registry; the model listing shows the previous versions'));
    await this.reloadAndNotify(series);
  }

  /** Reads the registry's view of one series into the cache (every manifest: at most `keepVersions` + 2). */
  private async refreshView(series: string): Promise<SeriesModels> {
    const { registry } = this.deps;
    const [versions, serving] = await Promise.all([registry.versions(series), registry.serving(series)]);
    const view = seriesModelsView(series, versions, serving);
    this.views.set(series, view);
    return view;
  }

  private setBackend(backend: string): void {
    if (this.activeBackend === backend) return;
    this.activeBackend = backend;
    this.deps.metrics.backendInfo.reset();
    this.deps.metrics.backendInfo.set({ backend }, 1);
    this.deps.logger.info({ backend, requested: this.deps.config.training.backend }, 'training backend');
  }

  private async reloadAndNotify(series: string): Promise<void> {
    try {
      if (!(await this.reload(series))) return;
      for (const listener of this.promotedListeners) listener(series);
    } catch (err) {
      this.deps.logger.error({ err, series }, 'cannot load the promoted model');
    }
  }

  /** Loads the promoted artifact of a series into the cache; false when it was already the one cached. */
  private async reload(series: string): Promise<boolean> {
    const version = (await this.deps.registry.serving(series)).promoted;
    if (!version) return this.promotedCache.delete(series);
    // Already serving it (a change heard twice, or our own promotion heard back): nothing to do.
    if (this.promotedCache.get(series)?.version === version) return false;
    const { artifact } = await this.deps.registry.load(series, version);
    this.promotedCache.set(series, { version, artifact });
    return true;
  }

  /** @throws {PrescaleError} SERIES_NOT_FOUND, blaming the `series` field as the registry endpoints name it. */
  private seriesConfig(series: string): Config['series'][number] {
    return this.catalog.get(series, 'series');
  }
}
