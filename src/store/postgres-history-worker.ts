import { parentPort } from 'node:worker_threads';
import type { Pool } from 'pg';
import { openPostgresPool } from '../postgres/postgres-pool';
import { serveWorkerRequests } from '../workers/serve-worker-requests';
import { serializeError } from '../workers/worker-errors';
import { yieldCpuToServing } from '../workers/yield-cpu-to-serving';
import { appendSampleGroup, lastSample, readPostgresSteps } from './postgres-sample-queries';
import type { AppendOutcome } from './group-commit';
import type { PostgresHistoryProtocol, WireAppendOutcome } from './worker-postgres-history';

/**
 * This worker's pool size, on top of the process's pool: enough to keep several statements
 * in flight (pushes arriving together, the statements of a refresh pass: thousands of reads),
 * small because every replica's connections count against the server's `max_connections`.
 */
const WORKER_CONNECTIONS = 4;

// Below the serving thread, as the forecast workers: on a busy machine (the database on the
// same cores, a refresh pass) a metric read runs before the next reply is parsed here.
yieldCpuToServing();

// One pool per URL for the worker's lifetime. Its connections end with the thread: the
// server sees them close, as it does when a replica stops.
const pools = new Map<string, Pool>();

function pool(url: string): Pool {
  let p = pools.get(url);
  if (!p) {
    p = openPostgresPool(url, { max: WORKER_CONNECTIONS });
    pools.set(url, p);
  }
  return p;
}

/** Worker-thread entry: answers the statements posted by {@link WorkerPostgresHistory}. */
serveWorkerRequests<PostgresHistoryProtocol>(parentPort, {
  steps: ({ url, series, query }) => readPostgresSteps(pool(url), series, query),
  // The serving thread's group commit posts a group as one message (see WorkerPostgresHistory.append).
  // Each statement's outcomes go back as it commits, so a batch is acknowledged without waiting
  // for the rest of its group; the last statement's go with the reply, so a push that is one
  // statement (the steady state) is still one message each way.
  append: async ({ url, writerId, items }, progress) => {
    let open = items.length;
    const outcomes = await appendSampleGroup(pool(url), items, writerId, (settled) => {
      open -= settled.length;
      if (open > 0) progress(settled.map(({ index, outcome }) => ({ index, outcome: wire(outcome) })));
    });
    return outcomes.map(wire);
  },
  last: ({ url, series }) => lastSample(pool(url), series),
});

function wire(o: AppendOutcome): WireAppendOutcome {
  return o.ok ? o : { ok: false, error: serializeError(o.error) };
}
