import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TRACE_DIR } from '../helpers/trace-file';

/**
 * Data test on the real traces the project ships (test/data/traces): on each, a
 * rolling-origin backtest of seasonal-naive against the seasonal model with a 1h horizon
 * (one step on hourly traces), each trace at its own step and in its own calendar zone.
 *
 * The backtests run in a worker thread on the compiled build in dist/ (`npm test` builds it
 * first): model fitting inside Jest's VM sandbox is several times slower than plain Node,
 * and this file must stay well under a minute on two cores.
 */
const ROOT = resolve(__dirname, '..', '..');
const DATA_DIR = TRACE_DIR;
const FILES = readdirSync(DATA_DIR).filter((f) => f.endsWith('.csv')).sort();
const WINDOWS = 8;

/** Zones for calendar features, per test/data/traces/README.md; the rest are UTC. */
const TIMEZONES: Record<string, string> = {
  'nab_nyc_taxi_passengers.csv': 'America/New_York',
  'mscm_ecommerce_api_rps.csv': 'America/Los_Angeles',
};

interface TraceScore {
  file: string;
  stepSeconds: number;
  horizonSteps: number;
  windows: number;
  naive: number;
  seasonal: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const dist = (m) => require(join(workerData.root, 'dist', m));
const { parseCsvSamples } = dist('src/ingest/parse-samples.js');
const { regularize } = dist('src/series/regularize.js');
const { SeasonalForecaster } = dist('models/seasonal/seasonal.js');
const { SeasonalNaiveForecaster } = dist('models/seasonal-naive/seasonal-naive.js');
const { backtest } = dist('training/backtest.js');
(async () => {
  const scores = [];
  for (const { file, timezone } of workerData.traces) {
    const samples = parseCsvSamples(readFileSync(join(workerData.dataDir, file), 'utf8'));
    const gaps = samples.slice(1).map((s, i) => s.t - samples[i].t).sort((a, b) => a - b);
    const stepSeconds = gaps[Math.floor(gaps.length / 2)] / 1000;
    const series = regularize(samples, { stepSeconds, kind: 'rate', timezone });
    const horizonSteps = Math.max(1, Math.round(3600 / stepSeconds));
    const models = [new SeasonalNaiveForecaster(), new SeasonalForecaster({ horizonSteps })];
    const result = await backtest(series, models, { horizonSteps, windows: workerData.windows });
    scores.push({ file, stepSeconds, horizonSteps, windows: result.origins.length, naive: result.models[0].mase, seasonal: result.models[1].mase });
  }
  parentPort.postMessage(scores);
})().catch((err) => { throw err; });
`;

function scoreTraces(): Promise<TraceScore[]> {
  const traces = FILES.map((file) => ({ file, timezone: TIMEZONES[file] ?? 'UTC' }));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root: ROOT, dataDir: DATA_DIR, traces, windows: WINDOWS } });
  return new Promise((resolvePromise, reject) => {
    worker.once('message', (scores: TraceScore[]) => {
      resolvePromise(scores);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`trace worker exited (code ${code}) before reporting; is dist/ built (npm run build)?`)));
  });
}

describe('real traces in test/data/traces', () => {
  let scores: TraceScore[] = [];

  beforeAll(async () => {
    scores = await scoreTraces();
  }, 120_000);

  it('finds the ten development traces, at steps from 1 minute to 1 hour', () => {
    expect(FILES).toHaveLength(10);
    expect(new Set(scores.map((s) => s.stepSeconds))).toEqual(new Set([60, 300, 1800, 3600]));
  });

  it('backtests every trace on the requested windows with a 1h horizon (one step on hourly traces)', () => {
    for (const s of scores) {
      expect({ file: s.file, windows: s.windows, horizonSeconds: s.horizonSteps * s.stepSeconds }).toEqual({ file: s.file, windows: WINDOWS, horizonSeconds: 3600 });
    }
  });

  it('scores both models with a finite, positive MASE on every trace', () => {
    for (const s of scores) {
      expect({ file: s.file, naive: s.naive > 0 && Number.isFinite(s.naive), seasonal: s.seasonal > 0 && Number.isFinite(s.seasonal) }).toEqual({
        file: s.file,
        naive: true,
        seasonal: true,
      });
    }
  });

  it('has the seasonal model beat seasonal-naive (lower MASE) on at least 8 of the 10 traces', () => {
    const wins = scores.filter((s) => s.seasonal < s.naive);

    expect(wins.length).toBeGreaterThanOrEqual(8);
  });
});
