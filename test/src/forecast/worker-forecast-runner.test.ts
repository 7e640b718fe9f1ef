import { WorkerForecastRunner } from '../../../src/forecast/worker-forecast-runner';
import { workerIndexOf } from '../../../src/forecast/worker-routing';

/** Real worker threads (the build in dist/): each series' fitted model stays on the worker its name routes to. */
const MINUTE = 60_000;
const START = Date.UTC(2026, 10, 20);

function history(steps: number, offset = 0) {
  const values = Array.from({ length: steps }, (_, i) => 50 + 20 * Math.sin((2 * Math.PI * (i + offset)) / 1440));
  return { startMs: START + offset * MINUTE, stepSeconds: 60, values, timezone: 'UTC' };
}

function job(series: string, mode: 'refit' | 'condition', steps: number, offset = 0) {
  return { series, modelKey: 'model:seasonal', mode, model: 'seasonal', history: history(steps, offset), horizonSteps: 10, quantiles: [0.5, 0.9], seasonalities: ['daily' as const] };
}

describe('worker forecast runner with kept models', () => {
  let runner: WorkerForecastRunner;
  afterEach(() => runner.close());

  it('conditions each series on the worker that fitted it, over two workers', async () => {
    runner = new WorkerForecastRunner({ workers: 2 });
    const names = Array.from({ length: 8 }, (_, i) => `series-${i}`);
    // The names spread over both workers, so a wrong route would find no model.
    expect(new Set(names.map((n) => workerIndexOf(n, 2))).size).toBe(2);

    for (const name of names) expect(await runner.step(job(name, 'refit', 3 * 1440))).toMatchObject({ outcome: 'fitted' });
    const conditioned = await Promise.all(names.map((name) => runner.step(job(name, 'condition', 360, 3 * 1440 - 300))));

    for (const reply of conditioned) {
      expect(reply.outcome).toBe('conditioned');
      // The forecast starts one step after the conditioning history ends.
      if (reply.outcome !== 'needs-refit') expect(reply.forecast.startMs).toBe(START + (3 * 1440 + 60) * MINUTE);
    }
  });

  it('answers needs-refit for a series it keeps no model of, or one kept under another model key', async () => {
    runner = new WorkerForecastRunner({ workers: 1 });

    expect(await runner.step(job('cold', 'condition', 360))).toEqual({ outcome: 'needs-refit' });
    await runner.step(job('warm', 'refit', 2 * 1440));
    expect(await runner.step({ ...job('warm', 'condition', 360), modelKey: 'trained:v2' })).toEqual({ outcome: 'needs-refit' });
  });

  it('defaults to at least one worker', () => {
    runner = new WorkerForecastRunner({ workers: 0 });
    expect(runner.workers).toBe(1);
  });
});
