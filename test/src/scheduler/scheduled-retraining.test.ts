/**
 * Scheduled retraining wired into the service: job history in GET /v1/status and /metrics,
 * and a failed run that leaves the last good model serving (safety rule 4).
 */
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrescaleApp, buildApp } from '../../../main/app';
import { parseConfig } from '../../../src/config/load-config';
import { type ForecastJob, InProcessForecastRunner, type StepJob } from '../../../src/forecast/forecast-runner';
import { createLogger } from '../../../src/telemetry/logger';
import { ManualClock } from '../../helpers/manual-clock';
import { readTrace } from '../../helpers/trace-file';

/** The real in-process runner; `failNext` makes fits fail, as a crashing trainer would. */
class FailableRunner extends InProcessForecastRunner {
  failNext = false;
  override run(job: ForecastJob): ReturnType<InProcessForecastRunner['run']> {
    if (this.failNext) return Promise.reject(new Error('training crashed'));
    return super.run(job);
  }
  // A refresh that keeps fitted models refits through `step`.
  override step(job: StepJob): ReturnType<InProcessForecastRunner['step']> {
    if (this.failNext) return Promise.reject(new Error('training crashed'));
    return super.step(job);
  }
}

describe('scheduled retraining in the service', () => {
  const trace = readTrace('mscm_purchase_count_04.csv').slice(0, 24 * 21);
  const dataDir = mkdtempSync(join(tmpdir(), 'prescale-retrain-'));
  const clock = new ManualClock(trace[trace.length - 1]!.t + 60_000);
  const runner = new FailableRunner();
  let app: PrescaleApp;
  let server: Server;
  let base = '';

  beforeAll(async () => {
    const config = parseConfig({
      storage: { dataDir },
      training: { schedule: '0 */6 * * *', timezone: 'Europe/Berlin', lockFile: join(dataDir, 'shared', 'training.lock') },
      series: [{ name: 'purchases', step: '1h', horizon: '6h', history: '21d', seasonalities: ['daily'] }],
    });
    app = buildApp({ config, logger: createLogger({ level: 'silent' }), clock, runner });
    await app.forecasts.ingest('purchases', trace);
    await app.start();
    server = app.http.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('trains through the model registry and shows the schedule and the training history in GET /v1/status and /metrics', async () => {
    expect(await app.retraining.trigger('manual')).toBe('ran');
    const status = (await (await fetch(`${base}/v1/status`)).json()) as {
      trainingJobs: Record<string, unknown> & { series: Record<string, unknown>[] };
      models: Record<string, { versions: number }>;
    };
    expect(status.models['purchases']?.versions).toBe(1);
    expect(status.trainingJobs).toMatchObject({ schedule: '0 */6 * * *', timezone: 'Europe/Berlin', leader: true, running: false });
    expect(status.trainingJobs['nextRun']).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(status.trainingJobs.series[0]).toMatchObject({ series: 'purchases', lastResult: 'success', runs: 1, failures: 0, lastSuccessMs: clock.now() });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(`prescale_training_last_success_timestamp_seconds{series="purchases"} ${clock.now() / 1000}`);
    expect(metrics).toContain('prescale_training_leader 1');
  });

  it('keeps the last good model serving when a training run fails', async () => {
    const before = await (await fetch(`${base}/v1/forecasts/purchases`)).json();
    runner.failNext = true;
    clock.advance(1000);
    expect(await app.retraining.trigger('manual')).toBe('ran');
    runner.failNext = false;
    const after = await (await fetch(`${base}/v1/forecasts/purchases`)).json();
    // The same model and values; a refresh that re-served them (the promotion's, debounced) may have run in between.
    expect(withoutGeneratedAt(after)).toEqual(withoutGeneratedAt(before));
    const status = (await (await fetch(`${base}/v1/status`)).json()) as { trainingJobs: { series: Record<string, unknown>[] } };
    expect(status.trainingJobs.series[0]).toMatchObject({ lastResult: 'failure', lastError: 'training crashed', failures: 1, runs: 2 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('prescale_training_job_runs_total{series="purchases",result="failure"} 1');
    expect(metrics).toContain(`prescale_training_last_failure_timestamp_seconds{series="purchases"} ${clock.now() / 1000}`);
  });
});

function withoutGeneratedAt(forecast: unknown): object {
  const { generatedAt: _generatedAt, ...rest } = forecast as { generatedAt?: unknown };
  return rest;
}
