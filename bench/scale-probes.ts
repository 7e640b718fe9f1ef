/**
 * The service under test of `bench/scale.ts`, seen from the bench: its process and progress,
 * the pushes, RSS from /proc, p99, and plain and TLS requests on keep-alive agents (the
 * certificates of its external-metrics listener: support/serving-pki.ts).
 */
import { readFileSync } from 'node:fs';
import { type Agent, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { type ChildProcess, fork } from 'node:child_process';
import type { ScaleTargetArgs } from './scale-target';

/**
 * Samples VmRSS and VmHWM of `pid` every 250 ms, and the last reading's split into anonymous
 * memory (heaps, buffers) and file pages (code, mapped files).
 */
export function rssSampler(pid: number): { stop(): { peakMb: number; lastMb: number; anonMb: number; fileMb: number } } {
  let peak = 0;
  let last = 0;
  let anon = 0;
  let file = 0;
  const read = (): void => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      last = kb('VmRSS');
      anon = kb('RssAnon');
      file = kb('RssFile') + kb('RssShmem');
      peak = Math.max(peak, kb('VmHWM'), last);
    } catch {
      // The process is gone; keep what was read.
    }
  };
  const timer = setInterval(read, 250);
  read();
  return {
    stop() {
      read();
      clearInterval(timer);
      return { peakMb: peak / 1024, lastMb: last / 1024, anonMb: anon / 1024, fileMb: file / 1024 };
    },
  };
}

export function p99(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] as number;
}

export function get(agent: Agent, port: number, path: string): Promise<void> {
  return send(httpRequest({ agent, host: '127.0.0.1', port, path }));
}

export function post(agent: Agent, port: number, path: string, body: string): Promise<void> {
  const req = httpRequest({ agent, host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json' } });
  req.write(body);
  return send(req);
}

export function getTls(agent: HttpsAgent, port: number, path: string): Promise<void> {
  return send(
    httpsRequest({
      agent,
      host: '127.0.0.1',
      port,
      path,
      servername: 'localhost',
      headers: { 'X-Remote-User': 'system:serviceaccount:kube-system:horizontal-pod-autoscaler', 'X-Remote-Group': 'system:serviceaccounts' },
    }),
  );
}

function send(req: ReturnType<typeof httpRequest>): Promise<void> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => (res.statusCode !== undefined && res.statusCode < 400 ? resolve() : reject(new Error(`${req.path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What the target answers: series with a forecast, refreshed since the round started, still on the warm-up stand-in, and when in the round they were refreshed. */
export interface Progress {
  withForecast: number;
  fresh: number;
  warming: number;
  freshAfterS?: Record<string, number | null>;
  /** The serving thread's event-loop delay since the round started (ms), and its collector pauses by kind. */
  eventLoopDelayMs?: { p99: number; max: number };
  mainThreadMb?: Record<string, number>;
}

export interface Target {
  child: ChildProcess;
  port: number;
  metricsPort: number;
  progress(sinceMs: number): Promise<Progress>;
}

export function startTarget(args: ScaleTargetArgs): Promise<Target> {
  // BENCH_SCALE_TARGET_ARGS passes node flags to the service only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const execArgv = process.env.BENCH_SCALE_TARGET_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = fork(join(__dirname, 'scale-target.js'), [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`scale target exited with ${code}`)));
    child.once('message', (msg: { port: number; metricsPort: number }) => {
      const progress = (sinceMs: number) =>
        new Promise<Progress>((res) => {
          child.once('message', res as (m: unknown) => void);
          child.send({ progress: sinceMs });
        });
      resolve({ child, port: msg.port, metricsPort: msg.metricsPort, progress });
    });
  });
}

/**
 * One new sample per series over HTTP: `batch` series per `POST /v1/samples` with 4 requests
 * in flight, or with `batch` 1 one `POST /v1/series/{name}/samples` each, 16 in flight.
 */
export async function pushAll(agent: Agent, port: number, series: string[], t: string, batch: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < series.length) {
      if (batch === 1) {
        const name = series[next++] as string;
        await post(agent, port, `/v1/series/${name}/samples`, JSON.stringify([{ t, v: 100 }]));
        continue;
      }
      const names = series.slice(next, (next += batch));
      await post(agent, port, '/v1/samples', JSON.stringify({ series: names.map((name) => ({ name, samples: [{ t, v: 100 }] })) }));
    }
  };
  await Promise.all(Array.from({ length: batch === 1 ? 16 : 4 }, lane));
}
