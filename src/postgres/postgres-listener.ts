import type { Pool, PoolClient } from 'pg';

export interface PostgresListenerOptions {
  /** The LISTEN channel (a plain identifier). */
  channel: string;
  /** Called with each notification's payload. */
  onPayload: (payload: string) => void;
  /** Called after the connection was lost and LISTEN is back: notifications in between are gone. */
  onResync: () => void;
  /** Wait between reconnect attempts (default 1 s). */
  retryMs?: number;
}

/**
 * Holds one pooled connection in LISTEN on a channel for the process's lifetime. PostgreSQL
 * delivers a NOTIFY only to sessions listening when the sending transaction commits, so when
 * the connection drops (database restart, failover) notifications are lost: the listener
 * reconnects on a timer and says so through `onResync`, and the caller re-reads what it caches.
 */
export class PostgresListener {
  private client: PoolClient | null = null;
  private started: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresListenerOptions,
  ) {}

  /** Resolves once LISTEN is in place (idempotent). @throws the connection error; a later call tries again. */
  start(): Promise<void> {
    this.started ??= this.connect().catch((err: unknown) => {
      this.started = null;
      throw err;
    });
    return this.started;
  }

  private async connect(): Promise<void> {
    const client = await this.pool.connect();
    const lost = (err?: Error): void => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      client.release(err ?? new Error('LISTEN connection ended'));
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => {
      if (msg.channel === this.options.channel && msg.payload !== undefined) this.options.onPayload(msg.payload);
    });
    try {
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (err) {
      client.removeAllListeners();
      client.release(err as Error);
      throw err;
    }
    if (this.closed) {
      client.release();
      return;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().then(
        () => this.options.onResync(),
        () => this.scheduleReconnect(),
      );
    }, this.options.retryMs ?? 1000);
    this.retry.unref();
  }

  /** Stops listening and returns the connection to the pool. */
  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('notification');
      // UNLISTEN travels with the connection's reset: a released client keeps no LISTEN only if destroyed.
      client.release(true);
    }
  }
}
