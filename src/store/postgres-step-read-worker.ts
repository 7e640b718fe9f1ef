import { parentPort } from 'node:worker_threads';
import type { Pool } from 'pg';
import { openPostgresPool } from '../postgres/postgres-pool';
import { serveWorkerRequests } from '../workers/serve-worker-requests';
import { readPostgresSteps } from './postgres-step-read';
import type { PostgresStepReadProtocol } from './worker-postgres-step-reader';

/**
 * This worker's pool size, on top of the process's pool: enough to keep the
 * database busy while the worker parses the rows already back (each read is one round trip
 * of about 1,500 rows), small because every replica's connections count against the
 * server's `max_connections`.
 */
const STEP_READ_CONNECTIONS = 4;

// One pool per URL for the worker's lifetime. Its connections end with the thread: the
// server sees them close, as it does when a replica stops.
const pools = new Map<string, Pool>();

function pool(url: string): Pool {
  let p = pools.get(url);
  if (!p) {
    p = openPostgresPool(url, { max: STEP_READ_CONNECTIONS });
    pools.set(url, p);
  }
  return p;
}

/** Worker-thread entry: answers the step reads posted by {@link WorkerPostgresStepReader}. */
serveWorkerRequests<PostgresStepReadProtocol>(parentPort, {
  steps: ({ url, series, query }) => readPostgresSteps(pool(url), series, query),
});
