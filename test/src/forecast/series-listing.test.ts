import { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load-config';
import { InProcessForecastRunner } from '../../../src/forecast/forecast-runner';
import { ForecastService } from '../../../src/forecast/forecast-service';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { createLogger } from '../../../src/telemetry/logger';
import { createServiceMetrics } from '../../../src/telemetry/service-metrics';
import { tempDir } from '../../helpers/test-server';

/** The series listing pages in config order from memory, with the store's counts, on a real SQLite store. */
const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 26, 12);

describe('series listing', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteHistoryStore;
  let service: ForecastService;
  beforeEach(() => {
    dir = tempDir('listing');
    store = new SqliteHistoryStore(`${dir.path}/history.sqlite`, { stepReads: 'inline' });
    const config = parseConfig({ forecast: { model: 'seasonal-naive', refreshDebounce: 3600 }, series: ['e', 'a', 'd', 'b', 'c'].map((name) => ({ name })) });
    service = new ForecastService({ config, store, runner: new InProcessForecastRunner(), clock: { now: () => NOW }, logger: createLogger({ level: 'silent' }), metrics: createServiceMetrics(new Registry()) });
  });
  afterEach(async () => {
    await service.close();
    store.close();
    dir.remove();
  });

  it('pages through every series once in config order, and never counts the store on a listing', async () => {
    service.ingest('d', Array.from({ length: 7 }, (_, i) => ({ t: NOW - i * MINUTE, v: i })));
    await service.countsSettled();
    const stats = jest.spyOn(store, 'stats');
    const allStats = jest.spyOn(store, 'allStats');

    const pages: string[][] = [];
    let after: string | undefined;
    do {
      const page = service.listPage({ limit: 2, after });
      pages.push(page.series.map((s) => s.name));
      after = page.lastListed ?? undefined;
    } while (after !== undefined);

    expect(pages).toEqual([['e', 'a'], ['d', 'b'], ['c']]);
    expect(service.listSeries().find((s) => s.name === 'd')).toMatchObject({ count: 7, firstMs: NOW - 6 * MINUTE, lastMs: NOW });
    expect(stats).not.toHaveBeenCalled();
    expect(allStats).not.toHaveBeenCalled();
  });

  it('refuses a page after a series that is not configured, naming the continue field', () => {
    expect(() => service.listPage({ limit: 2, after: 'zz' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'continue' }));
  });
});
