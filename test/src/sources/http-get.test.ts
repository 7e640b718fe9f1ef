/**
 * httpGet's two bounds against in-test HTTP servers over real sockets: a size cap enforced
 * while the body streams, and a total deadline that a trickling body cannot stretch.
 */
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpResponseTooLargeError, HttpTransportError, httpGet } from '../../../src/sources/http-get';

const MiB = 1024 * 1024;

/** A server whose handler is set per test; it records how many body bytes it managed to write. */
class TestServer {
  readonly server: Server;
  handler: (res: ServerResponse) => void = (res) => res.end('{}');
  constructor() {
    this.server = createServer((_req, res) => this.handler(res));
  }
  async start(): Promise<URL> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return new URL(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`);
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Writes `totalBytes` in 64 KiB chunks as fast as the socket takes them; resolves with the bytes written when the stream ends or breaks. */
function stream(res: ServerResponse, totalBytes: number, headers: Record<string, string> = {}): Promise<number> {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  return new Promise((resolve) => {
    res.on('close', () => resolve(written));
    const pump = (): void => {
      while (written < totalBytes && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
}

describe('httpGet', () => {
  const ts = new TestServer();
  let url: URL;
  beforeAll(async () => {
    url = await ts.start();
  });
  afterAll(() => ts.close());

  it('aborts a streamed body once it exceeds maxResponseBytes, with an error naming the cap, and keeps working after', async () => {
    let serverWrote: Promise<number> = Promise.resolve(0);
    ts.handler = (res) => {
      serverWrote = stream(res, 5 * MiB); // chunked: no Content-Length to refuse up front
    };
    const heapBefore = process.memoryUsage().heapUsed;

    const err = await httpGet(url, { headers: {}, deadlineMs: 10_000, maxResponseBytes: MiB }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HttpResponseTooLargeError);
    expect((err as Error).message).toContain(`larger than ${MiB} bytes`);
    // The connection was cut: the server could not finish its 5 MiB.
    expect(await serverWrote).toBeLessThan(5 * MiB);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * MiB);

    ts.handler = (res) => res.end('{"status":"success"}');
    await expect(httpGet(url, { headers: {}, deadlineMs: 5_000, maxResponseBytes: MiB })).resolves.toEqual({ status: 200, body: '{"status":"success"}' });
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    ts.handler = (res) => void stream(res, 2 * MiB, { 'content-length': String(2 * MiB) });
    await expect(httpGet(url, { headers: {}, deadlineMs: 10_000, maxResponseBytes: MiB })).rejects.toThrow(/Content-Length 2097152/);
  });

  it('accepts a body of exactly maxResponseBytes', async () => {
    ts.handler = (res) => res.end('x'.repeat(4096));
    await expect(httpGet(url, { headers: {}, deadlineMs: 5_000, maxResponseBytes: 4096 })).resolves.toMatchObject({ status: 200 });
  });

  it('ends a request whose body trickles one byte at a time at the total deadline', async () => {
    ts.handler = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Each byte arrives well inside any idle timeout, so only a total deadline ends it.
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
    };
    const started = Date.now();
    const err = await httpGet(url, { headers: {}, deadlineMs: 800, maxResponseBytes: MiB }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    expect(err).toBeInstanceOf(HttpTransportError);
    expect((err as Error).message).toContain('within 800 ms');
    expect(elapsed).toBeGreaterThanOrEqual(790);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('ends a request whose server never answers at the deadline', async () => {
    ts.handler = () => undefined; // headers never come
    await expect(httpGet(url, { headers: {}, deadlineMs: 300, maxResponseBytes: MiB })).rejects.toBeInstanceOf(HttpTransportError);
  });
});
