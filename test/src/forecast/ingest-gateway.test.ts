import { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load-config';
import { IngestGateway } from '../../../src/forecast/ingest-gateway';
import { NewestSamples } from '../../../src/forecast/newest-samples';
import { SeriesCatalog } from '../../../src/forecast/series-catalog';
import { SqliteHistoryStore } from '../../../src/store/sqlite-history-store';
import { createServiceMetrics } from '../../../src/telemetry/service-metrics';
import { tempDir } from '../../helpers/test-server';

const T0 = Date.UTC(2026, 10, 26, 12);
const config = parseConfig({ series: [{ name: 'api', step: '1m' }] });

let dir: ReturnType<typeof tempDir>;
let store: SqliteHistoryStore;

beforeEach(() => {
  dir = tempDir('ingest');
  store = new SqliteHistoryStore(`${dir.path}/history.sqlite`);
});
afterEach(() => {
  store.close();
  dir.remove();
});

function build() {
  const changed: string[] = [];
  const newest = new NewestSamples(store);
  const registry = new Registry();
  const gateway = new IngestGateway({ catalog: new SeriesCatalog(config.series), store, newest, metrics: createServiceMetrics(registry), onChanged: (s) => changed.push(s) });
  return { gateway, newest, changed, registry };
}

describe('ingest gateway', () => {
  it('stores samples, counts them, and asks for a refresh', async () => {
    const { gateway, changed, registry } = build();

    expect(await gateway.ingest('api', [{ t: T0, v: 1 }, { t: T0 + 60_000, v: 2 }])).toEqual({ stored: 2, changed: 2 });

    expect(await store.read('api')).toHaveLength(2);
    expect(changed).toEqual(['api']);
    expect(await registry.metrics()).toContain('prescale_samples_ingested_total{series="api"} 2');
  });

  it('does not ask for a refresh when a re-sent batch changed nothing', async () => {
    const { gateway, changed } = build();
    await gateway.ingest('api', [{ t: T0, v: 1 }]);

    expect(await gateway.ingest('api', [{ t: T0, v: 1 }])).toEqual({ stored: 1, changed: 0 });
    expect(changed).toEqual(['api']);
  });

  it('updates the newest-sample memo on every write, so reads see the new sample at once', async () => {
    const { gateway, newest } = build();
    await gateway.ingest('api', [{ t: T0, v: 1 }]);
    expect(newest.get('api')).toEqual({ t: T0, v: 1 });

    await gateway.ingest('api', [{ t: T0 + 60_000, v: 2 }]);

    expect(newest.get('api')).toEqual({ t: T0 + 60_000, v: 2 });
  });

  it('learns the newest sample from the batch once it is known, without reading the store, and keeps it over a backfill', async () => {
    let lastReads = 0;
    const counting = { last: (series: string) => (lastReads++, store.last(series)) };
    const newest = new NewestSamples(counting);
    const gateway = new IngestGateway({ catalog: new SeriesCatalog(config.series), store, newest, metrics: createServiceMetrics(new Registry()), onChanged: () => undefined });
    await gateway.ingest('api', [{ t: T0 + 60_000, v: 2 }]);
    expect(lastReads).toBe(1);

    await gateway.ingest('api', [{ t: T0, v: 1 }]);
    expect(newest.get('api')).toEqual({ t: T0 + 60_000, v: 2 });
    await gateway.ingest('api', [{ t: T0 + 60_000, v: 5 }, { t: T0 + 120_000, v: 3 }]);
    expect(newest.get('api')).toEqual({ t: T0 + 120_000, v: 3 });
    expect(lastReads).toBe(1);
    expect(newest.get('api')).toEqual(await store.last('api'));
  });

  it('refuses an unknown series before writing anything', async () => {
    const { gateway, changed } = build();

    await expect(gateway.ingest('nope', [{ t: T0, v: 1 }])).rejects.toMatchObject({ code: 'SERIES_NOT_FOUND', field: 'name' });
    expect(await store.allStats()).toEqual([]);
    expect(changed).toEqual([]);
  });
});
