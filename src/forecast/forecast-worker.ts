import { parentPort } from 'node:worker_threads';
import { type ForecastJob, runForecastJob } from './forecast-runner';

/** Worker-thread entry: runs forecast jobs posted by {@link WorkerForecastRunner}. */
interface JobMessage {
  id: number;
  job: ForecastJob;
}

parentPort?.on('message', (msg: JobMessage) => {
  runForecastJob(msg.job).then(
    (forecast) => parentPort?.postMessage({ id: msg.id, forecast }),
    (err: Error & { code?: string; model?: string; required?: number; actual?: number }) =>
      parentPort?.postMessage({
        id: msg.id,
        error: { message: err.message, name: err.name, code: err.code, model: err.model, required: err.required, actual: err.actual },
      }),
  );
});
