import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { parseConfig } from '../../src/config/load-config';
import { SqliteHistoryStore } from '../../src/store/sqlite-history-store';
import { createLogger } from '../../src/telemetry/logger';
import { TrainingPool } from '../../training/pool/training-pool';
import { FileModelRegistry } from '../../training/registry/model-registry';
import { createTrainingMetrics } from '../../training/training-metrics';
import { TrainingService } from '../../training/training-service';
import { artifact, manifest } from '../helpers/registry-fixtures';

describe('TrainingService status', () => {
  let dir: string;
  let store: SqliteHistoryStore;
  let pool: TrainingPool;
  let registry: FileModelRegistry;
  let service: TrainingService;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-training-status-'));
    registry = new FileModelRegistry(join(dir, 'models'));
    await registry.save(manifest('api', 'promoted'), artifact(1));
    await registry.save(manifest('api', 'rejected'), artifact(2));
    await registry.save(manifest('api', 'promoted'), artifact(3));
    store = new SqliteHistoryStore(join(dir, 'history.sqlite'), { stepReads: 'inline' });
    pool = new TrainingPool(1);
    const config = parseConfig({ storage: { dataDir: dir }, series: [{ name: 'api', step: '1m' }, { name: 'web', step: '1m' }] });
    service = new TrainingService({ config, registry, pool, store, clock: { now: () => 0 }, logger: createLogger({ level: 'silent' }), metrics: createTrainingMetrics(new Registry()) });
  });
  afterEach(async () => {
    await pool.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers status from memory: repeated calls read no manifest', async () => {
    const versions = jest.spyOn(registry, 'versions');
    const serving = jest.spyOn(registry, 'serving');
    await service.loadRegistry(); // fills the cache, as start() does
    versions.mockClear();
    serving.mockClear();

    for (let i = 0; i < 5; i++) expect(service.modelsStatus()['api']).toMatchObject({ versions: 3 });

    expect(versions).not.toHaveBeenCalled();
    expect(serving).not.toHaveBeenCalled();
  });

  it('keeps the cached listing current across promote and rollback, and hands out copies', async () => {
    await service.loadRegistry(); // fills the cache of every series, as start() does
    const versions = jest.spyOn(registry, 'versions');

    expect((await service.promote('api', 'v000002')).promoted).toBe('v000002');
    expect((await service.list('api')).versions.find((v) => v.version === 'v000002')?.status).toBe('promoted');
    expect((await service.rollback('api')).promoted).toBe('v000003');
    const listing = await service.list('api');
    listing.versions.length = 0;

    expect((await service.list('api')).versions).toHaveLength(3);
    expect(service.modelsStatus()['api']?.versions).toBe(3);
    // One read per change (promote, rollback), none per listing or status call.
    expect(versions).toHaveBeenCalledTimes(2);
  });
});
