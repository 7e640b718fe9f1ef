import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveWorkerRequests } from '../workers/serve-worker-requests';
import { readSteps, seriesStats } from './step-read';
import type { StepReadProtocol } from './worker-step-reader';

// One read-only connection per file for the worker's lifetime: opening costs more than a
// small read, and WAL lets it read a consistent snapshot while the main thread writes.
const connections = new Map<string, Database.Database>();

function connection(file: string): Database.Database {
  let db = connections.get(file);
  if (!db) {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    connections.set(file, db);
  }
  return db;
}

/** Worker-thread entry: answers step reads and sample counts posted by {@link WorkerStepReader}. */
serveWorkerRequests<StepReadProtocol>(parentPort, {
  steps: ({ file, series, query }) => Promise.resolve(readSteps(connection(file), series, query)),
  stats: ({ file, series }) => Promise.resolve(seriesStats(connection(file), series)),
});
