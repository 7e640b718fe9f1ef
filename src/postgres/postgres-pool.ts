import { Client, type ClientConfig, Pool, type PoolConfig } from 'pg';

/**
 * The one connection pool a process holds to PostgreSQL. Small by default: every replica
 * holds one, and the database's `max_connections` is shared by all of them.
 *
 * `connectionTimeoutMillis` bounds opening a connection only, not the wait for a free one:
 * pg-pool applies its own `connectionTimeoutMillis` to queued checkouts too, so a refresh
 * pass that queues hundreds of reads behind 10 connections failed them with "timeout
 * exceeded when trying to connect" while the database was idle (250 series, loaded
 * machine). Queued queries now wait their turn; a database that is down still fails each
 * connection attempt within the timeout, which drains the queue with errors.
 */
export function openPostgresPool(url: string, options: Pick<PoolConfig, 'max' | 'idleTimeoutMillis' | 'connectionTimeoutMillis'> = {}): Pool {
  const { connectionTimeoutMillis = 10_000, ...rest } = options;
  class TimedConnectClient extends Client {
    constructor(config?: ClientConfig) {
      super({ ...config, connectionTimeoutMillis });
    }
  }
  const pool = new Pool({ connectionString: url, max: 10, idleTimeoutMillis: 30_000, ...rest, connectionTimeoutMillis: 0, Client: TimedConnectClient });
  // An idle client that loses its connection (database restart, failover) emits 'error' on
  // the pool; without a listener Node would crash the process. The next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
