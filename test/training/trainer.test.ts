import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InsufficientHistoryError } from '../../models/core/forecaster';
import { parseConfig } from '../../src/config/load-config';
import { ERROR_CODES } from '../../src/errors/prescale-error';
import { FileModelRegistry } from '../../training/registry/model-registry';
import { trainAndRegister } from '../../training/trainer';
import { seriesModelsView } from '../../training/model-views';
import { syntheticLoad } from '../helpers/synthetic-series';

const tinyTraining = (promotionMargin: number) =>
  parseConfig({ training: { backend: 'wasm', model: 'ensemble', promotionMargin, holdout: '1d', lstm: { units: 4, maxEpochs: 2, maxSamples: 200 } } }).training;

describe('trainAndRegister', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'prescale-train-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('promotes a first candidate that beats the seasonal-naive baseline, then rejects one that does not beat it by the margin', async () => {
    const registry = new FileModelRegistry(dir);
    const series = syntheticLoad({ days: 20, stepSeconds: 3600 });
    const request = { seriesName: 'api', series, horizonSteps: 3, quantiles: [0.5, 0.9] };
    const epochs: number[] = [];

    const first = await trainAndRegister({ ...request, config: tinyTraining(0.02), onEpoch: (p) => epochs.push(p.epoch) }, registry);
    const second = await trainAndRegister({ ...request, config: tinyTraining(0.99) }, registry);

    expect(first).toMatchObject({ version: 'v000001', kind: 'ensemble', decision: 'promoted', backend: 'wasm' });
    expect(epochs.length).toBeGreaterThan(0);
    expect(second).toMatchObject({ version: 'v000002', decision: 'rejected' });
    expect(second.reason).toMatch(/vs current version v000001/);
    expect(registry.serving('api').promoted).toBe('v000001');
    const [m1, m2] = registry.versions('api');
    expect(m1!.gate.candidate.mase).toBeLessThan(m1!.gate.baseline.mase);
    expect(m2!.gate.current!.mase).toBeGreaterThan(0);
    expect(m2!.gate.heldOutFrom).toBe(m1!.gate.heldOutFrom);
    expect(m1).toMatchObject({ kind: 'ensemble', backend: 'wasm', stepSeconds: 3600, conditionedTo: new Date(series.startMs + 480 * 3600_000).toISOString() });
    expect(m1!.hyperParameters).toMatchObject({ model: 'ensemble', units: 4, horizonSteps: 3 });
    expect((m1!.calibration as { scales: number[] }).scales).toHaveLength(3);
  });

  it('with forecast.model auto, scores the kinds ten days of history support and registers the winner with every score', async () => {
    const registry = new FileModelRegistry(join(dir, 'auto'));
    const series = syntheticLoad({ days: 10, stepSeconds: 3600 });

    const result = await trainAndRegister({ seriesName: 'api', series, horizonSteps: 3, quantiles: [0.5, 0.9], config: tinyTraining(0.02), chooseKind: true }, registry);

    const [manifest] = registry.versions('api');
    expect(result.choice?.candidates.map((c) => c.kind)).toEqual(['seasonal-naive', 'seasonal']);
    const best = result.choice!.candidates.reduce((a, b) => (b.score!.mase < a.score!.mase ? b : a));
    expect(result.kind).toBe(result.choice!.chosen);
    expect(Math.abs(best.score!.mase - result.choice!.candidates.find((c) => c.kind === result.kind)!.score!.mase)).toBeLessThanOrEqual(0.005 * best.score!.mase + 1e-12);
    expect(manifest!.choice).toEqual(result.choice);
    expect(manifest!.kind).toBe(result.kind);
    expect(manifest!.gate.candidate.mase).toBe(result.choice!.candidates.find((c) => c.kind === result.kind)!.score!.mase);
  });

  it('with forecast.model auto and the default two weeks of history, also scores MSTL and the trained kind (the held-out day does not shorten what counts)', async () => {
    const registry = new FileModelRegistry(join(dir, 'auto-two-weeks'));
    const series = syntheticLoad({ days: 14, stepSeconds: 3600 });

    const result = await trainAndRegister({ seriesName: 'api', series, horizonSteps: 3, quantiles: [0.5, 0.9], config: tinyTraining(0.02), chooseKind: true }, registry);

    expect(result.choice?.candidates.map((c) => c.kind)).toEqual(['seasonal-naive', 'seasonal', 'mstl', 'ensemble']);
    for (const c of result.choice!.candidates) expect(c.score?.mase).toEqual(expect.any(Number));
    expect(registry.versions('api')[0]!.choice).toEqual(result.choice);
  });

  describe('warm start (training.warmStart)', () => {
    const series = syntheticLoad({ days: 20, stepSeconds: 3600 });
    const older = { ...series, values: Array.from(series.values).slice(0, 19 * 24) };
    const request = { seriesName: 'api', horizonSteps: 3, quantiles: [0.5, 0.9] };
    const lstmWarmStarted = async (registry: FileModelRegistry, version: string): Promise<boolean | undefined> => {
      const { artifact } = await registry.load('api', version);
      const members = (artifact.state as { members: { kind: string; state: { info: { warmStarted?: boolean } } }[] }).members;
      return members.find((m) => m.kind === 'lstm')!.state.info.warmStarted;
    };

    it("trains a later candidate from the promoted version's weights and records which; with warmStart off, from the seed", async () => {
      const registry = new FileModelRegistry(join(dir, 'warm'));
      await trainAndRegister({ ...request, series: older, config: tinyTraining(0.02) }, registry);
      expect(registry.serving('api').promoted).toBe('v000001');

      await trainAndRegister({ ...request, series, config: tinyTraining(0.02) }, registry);
      await trainAndRegister({ ...request, series, config: { ...tinyTraining(0.02), warmStart: false } }, registry);

      const [first, warm, cold] = registry.versions('api');
      expect(first!.warmStartedFrom).toBeUndefined();
      expect(warm!.warmStartedFrom).toBe('v000001');
      expect(cold!.warmStartedFrom).toBeUndefined();
      expect(await lstmWarmStarted(registry, 'v000001')).toBe(false);
      expect(await lstmWarmStarted(registry, 'v000002')).toBe(true);
      expect(await lstmWarmStarted(registry, 'v000003')).toBe(false);
      // What GET /v1/models/{series} shows of it.
      const views = seriesModelsView('api', registry.versions('api'), registry.serving('api')).versions;
      expect(views.map((v) => v.warmStartedFrom)).toEqual([undefined, 'v000001', undefined]);
    });

    it('records no warm start when the promoted network has other dimensions (it trained from the seed)', async () => {
      const registry = new FileModelRegistry(join(dir, 'warm-wider'));
      await trainAndRegister({ ...request, series: older, config: tinyTraining(0.02) }, registry);
      const wider = { ...tinyTraining(0.02), lstm: { ...tinyTraining(0.02).lstm, units: 6 } };

      await trainAndRegister({ ...request, series, config: wider }, registry);

      expect(registry.versions('api')[1]!.warmStartedFrom).toBeUndefined();
      expect(await lstmWarmStarted(registry, 'v000002')).toBe(false);
    });

    it('never starts from a version trained on the stretch this candidate is held out on', async () => {
      const registry = new FileModelRegistry(join(dir, 'warm-newer'));
      await trainAndRegister({ ...request, series, config: tinyTraining(0.02) }, registry);

      // The promoted version was trained up to day 19; a candidate on 19 days holds out day 18.
      await trainAndRegister({ ...request, series: older, config: tinyTraining(0.02) }, registry);

      expect(registry.versions('api')[1]!.warmStartedFrom).toBeUndefined();
      expect(await lstmWarmStarted(registry, 'v000002')).toBe(false);
    });
  });

  it('refuses a series too short for the held-out stretch with the one InsufficientHistoryError, whose code is in the catalog', async () => {
    const registry = new FileModelRegistry(join(dir, 'short'));
    const train = trainAndRegister({ seriesName: 'api', series: syntheticLoad({ days: 1, stepSeconds: 3600 }), horizonSteps: 12, quantiles: [0.5], config: tinyTraining(0.02) }, registry);

    await expect(train).rejects.toBeInstanceOf(InsufficientHistoryError);
    await expect(train).rejects.toMatchObject({ code: 'INSUFFICIENT_HISTORY', required: 48, actual: 24, message: expect.stringContaining('promotion gate') });
    expect(Object.keys(ERROR_CODES)).toContain('INSUFFICIENT_HISTORY');
  });
});
