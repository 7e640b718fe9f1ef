/**
 * The pool's timeout bounds opening a connection, not the wait for a free one. Against a real
 * PostgreSQL (Debian `postgresql`, started by `RealPostgres`) and, for the connect timeout, a
 * real TCP listener that accepts and never answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { openPostgresPool } from '../../../src/postgres/postgres-pool';
import { RealPostgres } from '../../helpers/real-postgres';

jest.setTimeout(60_000);

const postgres = new RealPostgres();
beforeAll(() => postgres.start());
afterAll(() => postgres.destroy());

describe('openPostgresPool', () => {
  it('queues checkouts past connectionTimeoutMillis: 20 queries of 50 ms on one connection all succeed', async () => {
    const pool = openPostgresPool(postgres.url(), { max: 1, connectionTimeoutMillis: 200 });
    try {
      const started = Date.now();
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => pool.query('SELECT pg_sleep(0.05), $1::int AS i', [i])));
      // The last ones waited about a second for the one connection: five times the timeout.
      expect(Date.now() - started).toBeGreaterThan(800);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(results.map((r) => (r.status === 'fulfilled' ? (r.value.rows[0] as { i: number }).i : null))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    } finally {
      await pool.end();
    }
  });

  it('still fails a connection the server never answers within connectionTimeoutMillis', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const pool = openPostgresPool(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 2, connectionTimeoutMillis: 300 });
    try {
      const started = Date.now();
      const results = await Promise.allSettled([pool.query('SELECT 1'), pool.query('SELECT 1'), pool.query('SELECT 1')]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      // Two connection attempts of 300 ms, the third query on a retry after the first failed: well under 10 s.
      expect(Date.now() - started).toBeLessThan(5000);
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/timeout/i);
    } finally {
      await pool.end();
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
