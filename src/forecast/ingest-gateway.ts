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
  tally?: Pick<SeriesTally, 'appended'>;
  metrics: Pick<ServiceMetrics, 'samplesIngested'>;
  /** Called when a write changed stored data (new samples or new values): schedules a refresh. */
  onChanged: (series: string) => void;
}

/** The one way samples enter the store while the service runs (push API, pulls, demo). */
export class IngestGateway {
  constructor(private readonly deps: IngestGatewayDeps) {}

  /**
   * Stores samples durably, then schedules a refresh when anything changed.
   * @throws {PrescaleError} SERIES_NOT_FOUND.
   */
  ingest(name: string, samples: readonly Sample[]): { stored: number; changed: number } {
    const { catalog, store, newest, metrics, onChanged } = this.deps;
    catalog.get(name);
    const result = store.append(name, samples);
    newest.invalidate(name);
    this.deps.tally?.appended(name, samples, result.changed);
    metrics.samplesIngested.inc({ series: name }, result.stored);
    // A re-sent batch changes nothing, so it must not cost a refit.
    if (result.changed > 0) onChanged(name);
    return result;
  }
}
