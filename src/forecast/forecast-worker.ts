import { parentPort } from 'node:worker_threads';
import { serveWorkerRequests } from '../workers/serve-worker-requests';
import { yieldCpuToServing } from '../workers/yield-cpu-to-serving';
import { FittedModels } from './fitted-models';
import { runForecastJob } from './forecast-runner';
import type { ForecastProtocol } from './worker-forecast-runner';

yieldCpuToServing();

/** The fitted models of the series routed to this worker; lost with the worker, then refitted. */
const fitted = new FittedModels();

/** Worker-thread entry: runs forecast jobs posted by {@link WorkerForecastRunner}. */
serveWorkerRequests<ForecastProtocol>(parentPort, {
  forecast: (job) => runForecastJob(job),
  step: (job) => fitted.step(job),
});
