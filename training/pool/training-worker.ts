import { parentPort } from 'node:worker_threads';
import { useTfBackend } from '../../models/tf-backend/tfjs-backend-loader';
import { serveWorkerRequests } from '../../src/workers/serve-worker-requests';
import { registryOpener } from '../registry/open-registry';
import { trainAndRegister } from '../trainer';
import type { TrainingProtocol } from './training-messages';

const openRegistry = registryOpener();

/** Worker-thread entry: trains and registers models posted by {@link TrainingPool}, reporting each epoch. */
serveWorkerRequests<TrainingProtocol>(parentPort, {
  probe: (request) => useTfBackend(request).then(({ backend }) => backend),
  train: (job, progress) => trainAndRegister({ ...job, onEpoch: progress }, openRegistry(job.registry)),
});
