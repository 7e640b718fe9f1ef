import { parentPort } from 'node:worker_threads';
import { useTfBackend } from '../../models/tf-backend/tfjs-backend-loader';
import { FileModelRegistry } from '../registry/model-registry';
import { trainAndRegister } from '../trainer';
import type { FromWorker, ToWorker } from './training-messages';

/** Worker-thread entry: trains and registers models posted by {@link TrainingPool}, reporting each epoch. */
const post = (msg: FromWorker): void => parentPort?.postMessage(msg);

parentPort?.on('message', (msg: ToWorker) => {
  const work =
    msg.kind === 'probe'
      ? useTfBackend(msg.backend).then(({ backend }) => post({ id: msg.id, kind: 'backend', backend }))
      : trainAndRegister(
          { ...msg.job, onEpoch: (progress) => post({ id: msg.id, kind: 'progress', progress }) },
          new FileModelRegistry(msg.job.modelsDir),
        ).then((result) => post({ id: msg.id, kind: 'result', result }));
  work.catch((err: Error & { code?: string }) => post({ id: msg.id, kind: 'error', message: err.message, ...(err.code ? { code: err.code } : {}) }));
});
