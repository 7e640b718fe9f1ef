import http from 'node:http';
import https from 'node:https';

/** Where requests go: plain HTTP, or HTTPS with optional client certificate. Always 127.0.0.1. */
export interface Endpoint {
  port: number;
  agent: http.Agent;
  tls?: boolean;
}

export interface Reply {
  status: number;
  body: string;
  ms: number;
}

/** A request that got no HTTP answer: `timeout` (no full answer in time), `socket` (reset, refused), `client` (Node refused to send it). */
export interface NoReply {
  status: 0;
  error: 'timeout' | 'socket' | 'client';
  code: string;
  ms: number;
}

export interface RequestOptions {
  method?: string;
  path: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  timeoutMs?: number;
}

/** True when the server answered (any status). */
export function answered(reply: Reply | NoReply): reply is Reply {
  return 'body' in reply;
}

/** Keep-alive agents for 127.0.0.1; `tls` adds a client certificate (the server's is not verified: it is the test's own). */
export function localAgent(tls?: { cert?: string; key?: string }): http.Agent {
  const options = { keepAlive: true, maxSockets: 64 };
  return tls ? new https.Agent({ ...options, ...tls, rejectUnauthorized: false }) : new http.Agent(options);
}

/** One request; resolves (never rejects) with the reply or why there was none. Bodies are read up to 4 MiB. */
export function send(endpoint: Endpoint, options: RequestOptions): Promise<Reply | NoReply> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: Reply | NoReply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const fail = (error: NoReply['error'], code: string): void => done({ status: 0, error, code, ms: elapsed() });
    let req: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      fail('timeout', 'TIMEOUT');
      req?.destroy();
    }, options.timeoutMs ?? 5000);
    try {
      const lib = endpoint.tls ? https : http;
      req = lib.request({ host: '127.0.0.1', port: endpoint.port, agent: endpoint.agent, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {} }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= 4 * 1024 * 1024) chunks.push(c);
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: elapsed() }));
        res.on('error', (err: NodeJS.ErrnoException) => fail('socket', err.code ?? err.message));
      });
      req.on('error', (err: NodeJS.ErrnoException) => fail('socket', err.code ?? err.message));
      req.end(options.body);
    } catch (err) {
      fail('client', (err as NodeJS.ErrnoException).code ?? String(err));
    }
  });
}

/** GET and parse JSON; undefined when there is no 2xx JSON answer. */
export async function getJson<T>(endpoint: Endpoint, path: string, timeoutMs = 5000): Promise<{ status: number; json: T | undefined }> {
  const reply = await send(endpoint, { path, timeoutMs });
  if (!answered(reply)) return { status: 0, json: undefined };
  try {
    return { status: reply.status, json: JSON.parse(reply.body) as T };
  } catch {
    return { status: reply.status, json: undefined };
  }
}

/** POST a JSON body. */
export function postJson(endpoint: Endpoint, path: string, body?: unknown, timeoutMs = 5000): Promise<Reply | NoReply> {
  return send(endpoint, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    timeoutMs,
  });
}
