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

/** A transport failure (no HTTP status): refused, reset, DNS, TLS or the deadline passed. Another attempt may succeed. */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

/** The answer grew past `maxResponseBytes`; the request was aborted. Another attempt would fetch the same answer. */
export class HttpResponseTooLargeError extends Error {
  constructor(
    message: string,
    readonly maxResponseBytes: number,
  ) {
    super(message);
    this.name = 'HttpResponseTooLargeError';
  }
}

export interface HttpGetOptions {
  headers: Record<string, string>;
  /** Total deadline of the request in ms: connect, headers and the whole body. */
  deadlineMs: number;
  /** Largest body accepted, in bytes; a longer one aborts the request while it streams. */
  maxResponseBytes: number;
  agent?: https.Agent | http.Agent;
}

/**
 * One GET over node:http(s). Used instead of global `fetch` because a custom CA and client
 * certificates need an https Agent, which Node's built-in fetch does not accept.
 *
 * Both limits hold while the body streams: a socket idle timeout alone never fires for a
 * server that trickles one byte every few seconds, and buffering first and measuring later
 * let a 600 MB answer crash the process (`ERR_STRING_TOO_LONG`). So at most
 * `maxResponseBytes` (plus one chunk) is ever held, and the request ends by `deadlineMs`.
 * @throws {HttpTransportError} on a network failure or when the deadline passes.
 * @throws {HttpResponseTooLargeError} when the body (or its Content-Length) exceeds the cap.
 */
export function httpGet(url: URL, options: HttpGetOptions): Promise<HttpResponse> {
  const lib = url.protocol === 'https:' ? https : http;
  const { deadlineMs, maxResponseBytes } = options;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null, value?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (err) {
        reject(err);
        req.destroy();
      } else resolve(value as HttpResponse);
    };
    const tooLarge = (bytes: string): HttpResponseTooLargeError =>
      new HttpResponseTooLargeError(`the answer from ${url.origin} is larger than ${maxResponseBytes} bytes (${bytes}); the request was aborted`, maxResponseBytes);

    const req = lib.request(url, { method: 'GET', headers: options.headers, ...(options.agent ? { agent: options.agent } : {}) }, (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxResponseBytes) return finish(tooLarge(`Content-Length ${declared}`));
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (c: Buffer) => {
        received += c.length;
        if (received > maxResponseBytes) return finish(tooLarge(`at least ${received} received`));
        chunks.push(c);
      });
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => finish(new HttpTransportError(`response from ${url.origin} broke off: ${err.message}`, err)));
      // A connection closed before the body ended emits 'close' without 'end'.
      res.on('close', () => finish(new HttpTransportError(`response from ${url.origin} broke off before its end`)));
    });
    const deadline = setTimeout(() => finish(new HttpTransportError(`no complete answer from ${url.origin} within ${deadlineMs} ms`)), deadlineMs);
    // The request's own socket keeps the process alive while it runs; the deadline need not.
    deadline.unref();
    req.on('error', (err) => finish(new HttpTransportError(`${url.origin}: ${err.message}`, err)));
    req.end();
  });
}

/** A keep-alive agent for one source, carrying its TLS settings. */
export function createAgent(url: URL, tls: ClientTls | undefined): http.Agent | https.Agent {
  if (url.protocol !== 'https:') return new http.Agent({ keepAlive: true, maxSockets: 4 });
  return new https.Agent({ keepAlive: true, maxSockets: 4, ...(tls ?? { rejectUnauthorized: true }) });
}
