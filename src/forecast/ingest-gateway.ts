import type { Sample } from '../series/sample';
import type { HistoryStore } from '../store/history-store';
import type { ServiceMetrics } from '../telemetry/service-metrics';
import type { NewestSamples } from './newest-samples';
import type { SeriesCatalog } from './series-catalog';
import type { SeriesTally } from './series-tally';

export interface IngestGatewayDeps {
  catalog: SeriesCatalog;
  store: HistoryStore;
  newest: NewestSamples;
  /** The in-memory sample counts of the series listing. */
  tally?: Pick<SeriesTally, 'appended' | 'changedElsewhere'>;
  metrics: Pick<ServiceMetrics, 'samplesIngested'>;
  /** Called when a write changed stored data (new samples or new values): schedules a refresh. */
  onChanged: (series: string) => void;
}

/** The one way samples enter the store while the service runs (push API, pulls, demo). */
export class IngestGateway {
  constructor(private readonly deps: IngestGatewayDeps) {}

  /**
   * Stores samples durably, then schedules a refresh when anything changed.
   * @throws {PrescaleError} SERIES_NOT_FOUND; the store's error when it cannot write.
   */
  async ingest(name: string, samples: readonly Sample[]): Promise<{ stored: number; changed: number }> {
    const { catalog, store, newest, metrics, onChanged } = this.deps;
    catalog.get(name);
    const result = await store.append(name, samples);
    this.deps.tally?.appended(name, samples, result.changed);
    metrics.samplesIngested.inc({ series: name }, result.stored);
    // A re-sent batch changes nothing, so it must not cost a refit.
    if (result.changed > 0) {
      await newest.stored(name, samples);
      onChanged(name);
    }
    return result;
  }

  /**
   * Another writer of a shared store (another replica) changed `series`, or, with null, may
   * have changed any series: reload the newest samples and refresh, so every replica serves
   * the same history within one refresh. Unknown series (not in this replica's config) are skipped.
   * @throws the store's error.
   */
  async changedElsewhere(series: string | null): Promise<void> {
    const { catalog, newest, onChanged } = this.deps;
    const names = series === null ? catalog.names() : isConfigured(catalog, series) ? [series] : [];
    await newest.loadAll(names);
    for (const name of names) {
      this.deps.tally?.changedElsewhere(name);
      onChanged(name);
    }
  }
}

function isConfigured(catalog: SeriesCatalog, name: string): boolean {
  try {
    catalog.get(name);
    return true;
  } catch {
    return false;
  }
}
