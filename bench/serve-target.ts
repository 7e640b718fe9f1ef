/**
 * One server under load for `bench/serve.ts`, in its own process so it does not share the
 * event loop with the load generator. `prescale`: the real service (HTTPS aggregated API);
 * `bare`: a bare Node https server with the same TLS settings returning fixed bytes.
 * Reports `{ port }` over IPC once listening, answers `'cpu'` with `{ cpuMicros }`; exits on SIGTERM.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load-config';
import { InProcessForecastRunner } from '../src/forecast/forecast-runner';
import { serve } from '../main/serve';
import { createLogger } from '../src/telemetry/logger';

interface TargetArgs {
  kind: 'prescale' | 'bare';
  certFile: string;
  keyFile: string;
  caFile: string;
  body?: string;
}

const DAY_MS = 86_400_000;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as TargetArgs;
  const send = (msg: object): void => void process.send?.(msg);
  // The bench asks for this process's CPU time (all threads) before and after each phase.
  process.on('message', (msg: unknown) => {
    if (msg === 'cpu') send({ cpuMicros: cpuMicros() });
  });
  if (args.kind === 'bare') {
    const body = Buffer.from(args.body ?? '');
    const server = createServer(
      { cert: readFileSync(args.certFile), key: readFileSync(args.keyFile), ca: readFileSync(args.caFile), requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 65_000 },
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        res.end(body);
      },
    );
    server.listen(0, '127.0.0.1', () => send({ port: (server.address() as { port: number }).port }));
    process.once('SIGTERM', () => server.close(() => process.exit(0)));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'prescale-bench-'));
  const config = parseConfig({
    server: { host: '127.0.0.1', port: 0 },
    storage: { dataDir: dir },
    forecast: { model: 'seasonal-naive' },
    series: [{ name: 'queue-depth', step: '1m', horizon: '1h', seasonalities: ['daily'], history: '3d', staleAfter: 1_000_000 }],
    externalMetrics: {
      host: '127.0.0.1',
      port: 0,
      tls: { certFile: args.certFile, keyFile: args.keyFile },
      requestHeader: { clientCAFile: args.caFile, allowedNames: ['front-proxy-client'] },
    },
  });
  const now = Date.now();
  const running = await serve({ config, logger: createLogger({ level: 'warn' }), runner: new InProcessForecastRunner(), clock: { now: () => now } });
  const samples = [];
  for (let t = now - 3 * DAY_MS; t <= now; t += 60_000) samples.push({ t, v: 100 + 60 * Math.sin((2 * Math.PI * (t % DAY_MS)) / DAY_MS) });
  await running.app.forecasts.ingest('queue-depth', samples);
  await running.app.forecasts.refreshAll();
  send({ port: running.externalMetrics!.port });
  process.once('SIGTERM', () => {
    void running.stop().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

void main();
