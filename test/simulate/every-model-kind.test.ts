/**
 * Every model kind replays over a real trace longer than one refit interval (issue 15 item 8:
 * `--model mstl` and `--model ensemble` used to exit with "horizonSteps must be at most N for
 * this fitted mstl model" once the refit cycle conditioned past the fitted horizon). Four days
 * of the hourly purchase trace, refitted (and trained) every 12 h after the first day: several refits, and
 * conditioning between them. The replay must finish with finite metrics for every kind.
 */
import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { MODEL_KINDS } from '../../models/model-kinds';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { parsePool } from '../../simulate/pool-config';
import { DEFAULT_PRESCALE_SETTINGS, simulateTrace } from '../../simulate/simulate-trace';
import { TRACE_DIR } from '../helpers/trace-file';

const HOUR = 3600;
const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_purchase_count_04.csv')), { stepSeconds: HOUR, kind: 'rate', timezone: 'UTC' });
const trace: RegularSeries = { ...full, values: Array.from(full.values).slice(0, 4 * 24) };
const pool = parsePool({ capacityPerReplica: 10, leadTime: '3m', maxReplicas: 60, costPerReplicaHour: 2.5, underProvisionCost: 10 });

describe('replaying every model kind', () => {
  const kinds = Object.keys(MODEL_KINDS);

  it('covers every kind of the model table', () => {
    expect(kinds).toEqual(expect.arrayContaining(['ensemble', 'lstm', 'mstl', 'seasonal', 'seasonal-naive']));
  });

  it.each(kinds)('%s replays past several refits and reports finite metrics', async (model) => {
    const retrainEverySeconds = 12 * HOUR;
    expect(trace.values.length * trace.stepSeconds).toBeGreaterThan(2 * retrainEverySeconds + DEFAULT_PRESCALE_SETTINGS.minHistorySeconds);
    const result = await simulateTrace(trace, pool, { prescale: { model, retrainEverySeconds, trainEverySeconds: retrainEverySeconds, minHistorySeconds: 24 * HOUR }, warmupSeconds: 24 * HOUR });
    const prescale = result.policies.find((p) => p.policy === 'prescale')!.metrics;
    expect(Number.isFinite(prescale.replicaHours)).toBe(true);
    expect(prescale.replicaHours).toBeGreaterThan(0);
    expect(prescale.underProvisionedShare).toBeGreaterThanOrEqual(0);
    expect(prescale.underProvisionedShare).toBeLessThanOrEqual(1);
    // The plan took part (steady cover), so the forecast path really ran for this kind.
    expect(prescale.planReplicaHours).toBeGreaterThan(0);
  }, 240_000);

  it('auto (the service default) replays its trainings in the fit worker, each leaving the kind it chose or the one serving', async () => {
    const every = 12 * HOUR;
    const result = await simulateTrace(trace, pool, { prescale: { model: 'auto', retrainEverySeconds: every, trainEverySeconds: every, minHistorySeconds: 24 * HOUR }, warmupSeconds: 24 * HOUR });

    const prescale = result.policies.find((p) => p.policy === 'prescale')!.metrics;
    expect(prescale.planReplicaHours).toBeGreaterThan(0);
    // A training at 24 h of history, then one every 12 h to the end of the four days (24, 36, … 96 h): seven, whatever each chose.
    expect(Object.values(result.servedModels).reduce((a, b) => a + b, 0)).toBe(7);
    // Under two weeks of history the candidates are the seasonal kinds only.
    for (const kind of Object.keys(result.servedModels)) expect(['seasonal-naive', 'seasonal']).toContain(kind);
  }, 240_000);
});
