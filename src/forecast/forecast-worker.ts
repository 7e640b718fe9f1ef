import { parentPort } from 'node:worker_threads';
import { serveWorkerRequests } from '../workers/serve-worker-requests';
import { runForecastJob } from './forecast-runner';
import type { ForecastProtocol } from './worker-forecast-runner';

/** Worker-thread entry: runs forecast jobs posted by {@link WorkerForecastRunner}. */
serveWorkerRequests<ForecastProtocol>(parentPort, { forecast: (job) => runForecastJob(job) });
