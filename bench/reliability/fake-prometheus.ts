import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The ways a Prometheus (or what stands in its place) goes wrong; `healthy` answers correctly. */
export const FAULTS = ['slow', 'trickle', 'garbage', 'html', 'huge', 'future', 'http-400', 'http-503', 'unreachable'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FakePrometheusOptions {
  /** Delay before a `slow` answer. */
  slowMs: number;
  /** Size of a `huge` answer. */
  hugeBytes: number;
}

/** A fake Prometheus HTTP API on 127.0.0.1: `GET /<behaviour>/api/v1/query_range`, counting requests per behaviour. */
export interface FakePrometheus {
  port: number;
  requests: Map<string, number>;
  close(): Promise<void>;
}

const YEAR_5138_S = Date.UTC(5138, 0, 1) / 1000;

/** A valid matrix answer from `start` to `end` every `step` seconds, a daily sine around 100. */
function matrix(start: number, end: number, step: number, shiftS = 0): string {
  const values: Array<[number, string]> = [];
  for (let t = Math.ceil(start / step) * step; t <= end && values.length < 11_000; t += step) {
    values.push([t + shiftS, (100 + 50 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400)).toFixed(3)]);
  }
  return JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } });
}

export async function startFakePrometheus(options: FakePrometheusOptions): Promise<FakePrometheus> {
  const requests = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const behaviour = url.pathname.split('/')[1] ?? '';
    requests.set(behaviour, (requests.get(behaviour) ?? 0) + 1);
    const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(url.searchParams.get(k))) as [number, number, number];
    const json = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    };
    switch (behaviour) {
      case 'healthy':
        return json(200, matrix(start, end, step || 60));
      case 'slow':
        return later(options.slowMs, () => json(200, matrix(start, end, step || 60)));
      case 'future':
        return json(200, matrix(start, end, step || 60, YEAR_5138_S - end));
      case 'garbage':
        return json(200, '\u0000\u00ff{"status":"succ\u{1f600}ess","data":[[[[' + 'z'.repeat(5000));
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>');
        return;
      case 'http-400':
        return json(400, '{"status":"error","errorType":"bad_data","error":"1:6: parse error: unexpected identifier \\"rate\\""}');
      case 'http-503':
        res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
        return;
      case 'trickle':
        return trickle(res, later);
      case 'huge':
        return huge(res, options.hugeBytes, end);
      default:
        res.writeHead(404).end();
    }
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Headers at once, then one byte of a valid answer every 5 s, never finishing. */
function trickle(res: ServerResponse, later: (ms: number, fn: () => void) => void): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const body = matrix(0, 600, 60);
  let at = 0;
  const drip = (): void => {
    if (res.destroyed || at >= body.length - 1) return;
    res.write(body[at++]);
    later(5000, drip);
  };
  drip();
}

/** A well-formed but enormous matrix, streamed with back-pressure. */
function huge(res: ServerResponse, bytes: number, endS: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[');
  const chunk = Buffer.from(Array.from({ length: 4096 }, () => `[${endS},"1"],`).join(''));
  let sent = 0;
  const pump = (): void => {
    while (sent < bytes && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end(`[${endS},"1"]]}]}}`);
  };
  pump();
}
