import http from 'node:http';
import https from 'node:https';

/** TLS settings of one client, with file contents already read. */
export interface ClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  servername?: string;
  rejectUnauthorized: boolean;
}

export interface HttpResponse {
  status: number;
  body: string;
}

/** A transport failure (no HTTP status): refused, reset, DNS, TLS or timeout. */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

/**
 * One GET over node:http(s). Used instead of global `fetch` because a custom CA and client
 * certificates need an https Agent, which Node's built-in fetch does not accept.
 */
export function httpGet(url: URL, options: { headers: Record<string, string>; timeoutMs: number; agent?: https.Agent | http.Agent }): Promise<HttpResponse> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: 'GET', headers: options.headers, ...(options.agent ? { agent: options.agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => reject(new HttpTransportError(`response from ${url.origin} broke off: ${err.message}`, err)));
    });
    req.setTimeout(options.timeoutMs, () => req.destroy(new HttpTransportError(`no answer from ${url.origin} within ${options.timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof HttpTransportError ? err : new HttpTransportError(`${url.origin}: ${err.message}`, err)));
    req.end();
  });
}

/** A keep-alive agent for one source, carrying its TLS settings. */
export function createAgent(url: URL, tls: ClientTls | undefined): http.Agent | https.Agent {
  if (url.protocol !== 'https:') return new http.Agent({ keepAlive: true, maxSockets: 4 });
  return new https.Agent({ keepAlive: true, maxSockets: 4, ...(tls ?? { rejectUnauthorized: true }) });
}
