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
 * notification is lost while the listening connection is down (database restart, network),
 * so every `pollIntervalMs` each series' pointer `generation` is read and compared with the
 * one last seen (all rows, not "above the highest": sequence values are drawn before commit,
 * so a lower one can commit later). One row per series keeps that read small (10,000 rows
 * are well under 100 ms). Each notification carries the generation it committed, so a change
 * heard through NOTIFY is not reported again by the next poll. The LISTEN connection is
 * re-opened after it drops, on the next poll.
 */
export class PostgresRegistryWatcher {
  private readonly listeners = new Set<(series: string) => void>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  /** Generation last seen per series; null until the first poll set the baseline. */
  private seen: Map<string, string> | null = null;
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
      const rows = await this.o.pool.query<{ series: string; generation: string }>({
        name: 'registry-generations',
        text: 'SELECT series, generation::text AS generation FROM prescale_model_serving',
      });
      // The first poll only sets the baseline: the catalog loads every series itself at start.
      const first = this.seen === null;
      const seen = (this.seen ??= new Map());
      for (const row of rows.rows) {
        if (seen.get(row.series) === row.generation) continue;
        seen.set(row.series, row.generation);
        if (!first) this.emit(row.series);
      }
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
    if (typeof parsed.series !== 'string' || typeof parsed.generation !== 'string') return;
    if (this.seen?.get(parsed.series) === parsed.generation) return;
    this.seen?.set(parsed.series, parsed.generation);
    this.emit(parsed.series);
  }

  private emit(series: string): void {
    for (const listener of this.listeners) listener(series);
  }
}
