import { Client, type Pool } from 'pg';
import { REGISTRY_CHANNEL } from '../../src/postgres/registry-migrations';

export interface PostgresRegistryWatcherOptions {
  pool: Pool;
  url: string;
  /** Poll period in ms: how late a change is seen at worst when notifications are lost. */
  pollIntervalMs: number;
}

/**
 * Tells subscribers which series' promotion pointer changed, through LISTEN/NOTIFY on
 * `prescale_registry` (within milliseconds of the commit) with polling as the fallback: a
 * notification is lost while the listening connection is down (database restart, network).
 * Every `pollIntervalMs` the poll reads the one-row change counter (migration 0101) and,
 * only when it moved, the pointer rows with a generation above the highest seen. Counter
 * values commit in the order they are drawn (the writer holds the counter row's lock until
 * commit), so "above the highest seen" misses nothing, and an unchanged registry costs one
 * row whatever the number of series. Each notification carries the generation it committed,
 * so a change heard through NOTIFY is not reported again by the next poll, nor one the poll
 * already covered. The LISTEN connection is re-opened after it drops, on the next poll.
 */
export class PostgresRegistryWatcher {
  private readonly listeners = new Set<(series: string) => void>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  /** The highest generation the polls covered; null until the first poll set the baseline. */
  private covered: bigint | null = null;
  /** Generations heard through NOTIFY above `covered`, so the poll does not report them again. */
  private readonly heard = new Map<string, bigint>();
  private polling: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly o: PostgresRegistryWatcherOptions) {
    this.timer = setInterval(() => void this.tick(), o.pollIntervalMs);
    this.timer.unref();
    void this.tick();
  }

  subscribe(listener: (series: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.polling;
    await this.connecting;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (!this.client && !this.connecting) this.connecting = this.listen().finally(() => (this.connecting = null));
    this.polling ??= this.poll().finally(() => (this.polling = null));
    await this.polling;
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.o.url });
    const drop = (): void => {
      if (this.client === client) this.client = null;
    };
    // A dropped connection must not crash the process: polling covers until the next tick reconnects.
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', (msg) => {
      if (msg.channel === REGISTRY_CHANNEL && msg.payload) this.notified(msg.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REGISTRY_CHANNEL}`);
      if (this.closed) await client.end();
      else this.client = client;
    } catch {
      await client.end().catch(() => undefined);
    }
  }

  private async poll(): Promise<void> {
    try {
      const counter = await this.o.pool.query<{ counter: string }>({ name: 'registry-change-counter', text: 'SELECT counter::text AS counter FROM prescale_model_serving_changes' });
      const now = BigInt(counter.rows[0]?.counter ?? '0');
      // The first poll only sets the baseline: the catalog loads every series itself at start.
      if (this.covered === null) {
        this.covered = now;
      } else if (now > this.covered) {
        const rows = await this.o.pool.query<{ series: string; generation: string }>({
          name: 'registry-changed-since',
          text: 'SELECT series, generation::text AS generation FROM prescale_model_serving WHERE generation > $1 ORDER BY generation',
          values: [this.covered.toString()],
        });
        let highest = now;
        for (const row of rows.rows) {
          const generation = BigInt(row.generation);
          if (generation > highest) highest = generation;
          if (this.heard.get(row.series) !== generation) this.emit(row.series);
        }
        this.covered = highest;
      }
      for (const [series, generation] of this.heard) if (generation <= this.covered) this.heard.delete(series);
    } catch {
      // The database is unreachable: the next tick tries again; serving keeps the models it has.
    }
  }

  private notified(payload: string): void {
    let parsed: { series?: unknown; generation?: unknown };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.series !== 'string' || typeof parsed.generation !== 'string' || !/^\d+$/.test(parsed.generation)) return;
    const generation = BigInt(parsed.generation);
    // At or below what a poll covered: that poll reported this change (or a newer one of the series).
    if ((this.covered !== null && generation <= this.covered) || this.heard.get(parsed.series) === generation) return;
    this.heard.set(parsed.series, generation);
    this.emit(parsed.series);
  }

  private emit(series: string): void {
    for (const listener of this.listeners) listener(series);
  }
}
