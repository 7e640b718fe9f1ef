import { Pool, type PoolConfig } from 'pg';

/**
 * The one connection pool a process holds to PostgreSQL. Small by default: every replica
 * holds one, and the database's `max_connections` is shared by all of them.
 */
export function openPostgresPool(url: string, options: Pick<PoolConfig, 'max' | 'idleTimeoutMillis' | 'connectionTimeoutMillis'> = {}): Pool {
  const pool = new Pool({ connectionString: url, max: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000, ...options });
  // An idle client that loses its connection (database restart, failover) emits 'error' on
  // the pool; without a listener Node would crash the process. The next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
