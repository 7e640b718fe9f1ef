import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A free loopback port: listen on 0, read it, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. Nothing to do for a child that is gone. */
export async function stopChild(child: ChildProcess | null, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** One OpenMetrics series: name, labels and samples (epoch ms, value). */
export interface OpenMetricsSeries {
  metric: string;
  labels: Record<string, string>;
  samples: readonly { t: number; v: number }[];
}

/**
 * A real Prometheus (the Debian `prometheus` package) on a loopback port, with its TSDB
 * filled from OpenMetrics text by `promtool tsdb create-blocks-from openmetrics`.
 * Retention is 100 years, so blocks of old traces (2014–2018) are queryable.
 */
export class RealPrometheus {
  readonly dir = mkdtempSync(join(tmpdir(), 'prescale-prom-'));
  readonly tsdbDir = join(this.dir, 'tsdb');
  private child: ChildProcess | null = null;
  private port = 0;
  private webConfigFile: string | null = null;
  private readyAuthorization: string | null = null;

  /** Base URL of the API, with the route prefix if one is set. */
  get url(): string {
    return `${this.webConfigFile && this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}${this.routePrefix}`;
  }

  /**
   * @param tls serve HTTPS (give the certificates in `useWebConfig`).
   * @param routePrefix serve the API under a path, as Mimir (`/prometheus`) and gateways do.
   */
  constructor(
    private readonly tls = false,
    private readonly routePrefix = '',
  ) {}

  /** Writes the series as OpenMetrics and backfills them into the TSDB (before `start`). */
  async backfill(series: readonly OpenMetricsSeries[]): Promise<void> {
    const file = join(this.dir, 'backfill.om');
    // Written in pieces: a benchmark backfills millions of samples.
    const fd = openSync(file, 'w');
    for (const metric of new Set(series.map((s) => s.metric))) {
      writeSync(fd, `# TYPE ${metric} gauge\n`);
      for (const s of series.filter((x) => x.metric === metric)) {
        const labels = Object.entries(s.labels)
          .map(([k, v]) => `${k}="${v}"`)
          .join(',');
        let chunk = '';
        for (const { t, v } of s.samples) {
          chunk += `${metric}{${labels}} ${v} ${t / 1000}\n`;
          if (chunk.length > 1 << 20) {
            writeSync(fd, chunk);
            chunk = '';
          }
        }
        writeSync(fd, chunk);
      }
    }
    writeSync(fd, '# EOF\n');
    closeSync(fd);
    // The (hidden) --max-block-duration makes a few large blocks instead of one per 2 hours:
    // 0.5 s instead of 20 s for a 14-day trace.
    await run('promtool', ['tsdb', 'create-blocks-from', '--max-block-duration=720h', 'openmetrics', '--quiet', file, this.tsdbDir], { maxBuffer: 16 * 1024 * 1024 });
    rmSync(file);
  }

  /** Serves the API behind this exporter-toolkit web config (basic auth, TLS); `readyAuthorization` lets the readiness probe in. */
  useWebConfig(yaml: string, readyAuthorization?: string): void {
    this.readyAuthorization = readyAuthorization ?? null;
    this.webConfigFile = join(this.dir, 'web.yml');
    writeFileSync(this.webConfigFile, yaml);
  }

  /** Starts (or restarts, on the same port) and waits until /-/ready answers. */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const configFile = join(this.dir, 'prometheus.yml');
    writeFileSync(configFile, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
    const args = [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${this.tsdbDir}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${this.port}`,
      '--log.level=warn',
      ...(this.webConfigFile ? [`--web.config.file=${this.webConfigFile}`] : []),
      ...(this.routePrefix ? [`--web.route-prefix=${this.routePrefix}`, `--web.external-url=http://127.0.0.1:${this.port}${this.routePrefix}`] : []),
    ];
    const child = spawn('prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    this.child = child;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
      if (await this.ready()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`prometheus did not become ready: ${stderr}`);
  }

  /** Stops the process (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    await stopChild(child, 'SIGTERM', 10_000);
  }

  /** Stops and deletes the TSDB. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ready(): Promise<boolean> {
    // /-/ready answers 503 while the TSDB is still loading: a listening port is not enough.
    const { request } = await import(this.tls ? 'node:https' : 'node:http');
    return new Promise((resolve) => {
      const req = request(
        `${this.url}/-/ready`,
        { rejectUnauthorized: false, headers: this.readyAuthorization ? { authorization: this.readyAuthorization } : {} },
        (res: import('node:http').IncomingMessage) => {
          res.resume();
          resolve(res.statusCode === 200);
        },
      );
      req.on('error', () => resolve(false));
      req.end();
    });
  }

}
