import { type TLSSocket, connect } from 'node:tls';

/**
 * A small HTTP/1.1-over-TLS load generator for bench:serve, in the manner of autocannon or
 * wrk2: keep-alive connections, one request in flight per connection, a request pre-encoded
 * once.
 *
 * Why not autocannon: its fixed-rate mode gives each connection a budget per second and
 * sends that budget back to back at the start of every second, so "2,000 requests per
 * second" is really bursts at full speed, and p99 measures the queue of the burst. Here an
 * open-loop schedule spaces requests evenly (wrk2's constant throughput), and latency is
 * counted from when a request was due, not from when a free connection sent it, so a slow
 * server cannot hide its backlog (coordinated omission).
 */
export interface LoadOptions {
  host: string;
  port: number;
  servername: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  /** Client certificate and key. */
  cert: string;
  key: string;
  connections: number;
  durationMs: number;
  /** Requests per second, evenly spaced; absent = as fast as the server answers (closed loop). */
  rate?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  /** Responses other than 2xx, plus connection errors. */
  errors: number;
  /** Latency percentiles in milliseconds. */
  latency: { p50: number; p90: number; p99: number; p999: number; max: number };
}

/** Runs one load phase and resolves with its throughput and latency. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const request = encodeRequest(options);
  const sockets = await Promise.all(Array.from({ length: options.connections }, () => open(options)));
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const endsAt = started + options.durationMs;
  // Due times of requests not yet sent (open loop only).
  const due: number[] = [];
  const idle: Connection[] = [];
  let scheduled = 0;

  return new Promise((resolve) => {
    let finished = false;
    const connections = sockets.map(
      (socket) =>
        new Connection(socket, request, (c, status, dueAt) => {
          latencies.push(performance.now() - dueAt);
          if (status < 200 || status > 299) errors++;
          next(c);
        }),
    );
    for (const c of connections) c.socket.on('error', () => errors++);

    const next = (c: Connection): void => {
      if (finished) return;
      if (options.rate === undefined) {
        if (performance.now() < endsAt) c.send(performance.now());
        else maybeFinish();
        return;
      }
      const dueAt = due.shift();
      if (dueAt === undefined) idle.push(c);
      else c.send(dueAt);
    };

    const maybeFinish = (): void => {
      if (finished || performance.now() < endsAt || connections.some((c) => c.busy)) return;
      finished = true;
      for (const c of connections) c.socket.destroy();
      const seconds = (performance.now() - started) / 1000;
      resolve({ requests: latencies.length, seconds, rps: latencies.length / seconds, errors, latency: percentiles(latencies) });
    };

    // Open loop: the event loop spins (setImmediate lets socket callbacks run between turns),
    // queueing requests as they come due and handing them to idle connections, so a request
    // leaves within microseconds of its due time, as in wrk2; a 1 ms timer would add up to a
    // millisecond of the client's own lateness to every latency. Requests due while every
    // connection is busy wait, and that wait counts. This costs the client a whole core, which
    // is why bench:serve pins the client and the server to different CPUs.
    // (Closed loop needs no timer: every answer sends the next request or finishes.)
    const rate = options.rate;
    const turn = (): void => {
      if (finished || rate === undefined) return;
      const now = performance.now();
      while (now < endsAt && started + (scheduled * 1000) / rate <= now) due.push(started + (scheduled++ * 1000) / rate);
      while (due.length > 0 && idle.length > 0) (idle.pop() as Connection).send(due.shift() as number);
      if (now >= endsAt) maybeFinish();
      setImmediate(turn);
    };

    if (rate === undefined) for (const c of connections) c.send(performance.now());
    else {
      idle.push(...connections);
      setImmediate(turn);
    }
  });
}

/** One keep-alive connection with at most one request in flight; parses Content-Length framed answers. */
class Connection {
  busy = false;
  private dueAt = 0;
  private buffered: Buffer = Buffer.alloc(0);

  constructor(
    readonly socket: TLSSocket,
    private readonly request: Buffer,
    private readonly onResponse: (connection: Connection, status: number, dueAt: number) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  send(dueAt: number): void {
    this.busy = true;
    this.dueAt = dueAt;
    this.socket.write(this.request);
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headerEnd = this.buffered.indexOf('\r\n\r\n');
    if (headerEnd === -1) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const total = headerEnd + 4 + length;
    if (this.buffered.length < total) return;
    this.buffered = this.buffered.subarray(total);
    this.busy = false;
    this.onResponse(this, Number(head.slice(9, 12)), this.dueAt);
  }
}

function open(options: LoadOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host, port: options.port, servername: options.servername, cert: options.cert, key: options.key, rejectUnauthorized: false }, () => {
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function encodeRequest(options: LoadOptions): Buffer {
  const lines = [`GET ${options.path} HTTP/1.1`, `Host: ${options.servername}:${options.port}`, ...Object.entries(options.headers).map(([k, v]) => `${k}: ${v}`), 'Connection: keep-alive'];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** Nearest-rank percentiles of latencies in milliseconds. */
export function percentiles(latencies: readonly number[]): LoadResult['latency'] {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number): number => (sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number));
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number) };
}
