import { request } from 'node:https';

export interface HttpsReply {
  status: number;
  contentType: string;
  body: string;
  json: () => Record<string, unknown>;
}

/** One HTTPS request over a fresh connection (so each call presents its own client certificate). */
export function httpsRequest(
  port: number,
  path: string,
  options: { ca: string; cert?: string; key?: string; headers?: Record<string, string | string[]>; method?: string; insecure?: boolean },
): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        ...(options.insecure ? { rejectUnauthorized: false } : { ca: options.ca }),
        servername: 'localhost',
        agent: false,
        headers: options.headers ?? {},
        ...(options.cert ? { cert: options.cert, key: options.key } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body, json: () => JSON.parse(body) as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
