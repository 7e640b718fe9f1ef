/**
 * Auth and TLS against a REAL Prometheus serving HTTPS with basic auth (its exporter-toolkit
 * web config), certificates made in the test by openssl. Prometheus itself has no bearer
 * auth, so bearer tokens are checked by an in-test gateway in front of it (the role
 * kube-rbac-proxy or a Mimir/Thanos gateway plays in a cluster), which forwards real requests.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { prometheusSourceSchema } from '../../../src/config/source-schema';
import type { PrescaleError } from '../../../src/errors/prescale-error';
import { PrometheusSource } from '../../../src/sources/prometheus-source';
import { RealPrometheus } from '../../helpers/real-prometheus';
import { readTrace } from '../../helpers/trace-file';

const run = promisify(execFile);
const TRACE = readTrace('mscm_purchase_count_04.csv'); // 1 h step, 2018
const RANGE = { fromMs: TRACE[100]!.t, toMs: TRACE[147]!.t, stepSeconds: 3600 };
const EXPECTED = TRACE.slice(100, 148);
// bcrypt (cost 4, fast to verify) of the test-only password "prescale-test".
const PASSWORD_HASH = '$2b$04$v.fr4ffGJttZ9Q/mdEeC5uFQn8weE/EEVA0e2FuK7C95BIdry3.rW';

async function makeCerts(dir: string): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-subj', '/CN=prescale-test-ca', '-days', '1']);
  await run('openssl', ['req', ...ec, '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.csr'), '-subj', '/CN=prometheus.test']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:prometheus.test,IP:127.0.0.1\n');
  await run('openssl', ['x509', '-req', '-in', join(dir, 'server.csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-out', join(dir, 'server.crt'), '-days', '1', '-extfile', join(dir, 'san.ext')]);
}

describe('PrometheusSource auth and TLS', () => {
  const prom = new RealPrometheus(true);
  const dir = prom.dir;
  const passwordFile = join(dir, 'password');
  const tokenFile = join(dir, 'token');
  let gateway: http.Server;
  let gatewayUrl = '';

  const pull = (extra: Record<string, unknown>, url = prom.url): Promise<unknown> => {
    const src = new PrometheusSource(prometheusSourceSchema.parse({ url, query: 'sum(purchases)', retries: 0, ...extra }));
    return src.pull(RANGE).finally(() => src.close());
  };

  beforeAll(async () => {
    await makeCerts(dir);
    writeFileSync(passwordFile, 'prescale-test\n');
    await prom.backfill([{ metric: 'purchases', labels: { market: '04' }, samples: TRACE }]);
    prom.useWebConfig(
      `tls_server_config:\n  cert_file: ${join(dir, 'server.crt')}\n  key_file: ${join(dir, 'server.key')}\nbasic_auth_users:\n  prescale: ${PASSWORD_HASH}\n`,
      `Basic ${Buffer.from('prescale:prescale-test').toString('base64')}`,
    );
    await prom.start();
    const upstreamAgent = new https.Agent({ ca: readFileSync(join(dir, 'ca.crt')) });
    gateway = http.createServer((req, res) => {
      if (req.headers.authorization !== `Bearer ${readFileSync(tokenFile, 'utf8').trim()}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"status":"error","errorType":"unauthorized","error":"bad token"}');
        return;
      }
      const auth = `Basic ${Buffer.from('prescale:prescale-test').toString('base64')}`;
      https
        .get(`${prom.url}${req.url}`, { agent: upstreamAgent, headers: { authorization: auth } }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        })
        .on('error', () => res.writeHead(502).end());
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const address = gateway.address();
    gatewayUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((r) => gateway.close(r));
    await prom.destroy();
  });

  it('pulls over HTTPS with a custom CA and basic auth from a password file', async () => {
    const samples = await pull({ tls: { caFile: join(dir, 'ca.crt') }, basicAuth: { username: 'prescale', passwordFile } });
    expect(samples).toEqual(EXPECTED);
  });

  it('verifies the server certificate against serverName when the URL host differs', async () => {
    const ok = await pull({ tls: { caFile: join(dir, 'ca.crt'), serverName: 'prometheus.test' }, basicAuth: { username: 'prescale', passwordFile } });
    expect(ok).toEqual(EXPECTED);
    const err = (await pull({ tls: { caFile: join(dir, 'ca.crt'), serverName: 'other.test' }, basicAuth: { username: 'prescale', passwordFile } }).catch((e: unknown) => e)) as PrescaleError;
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('refuses a server certificate from an unknown CA', async () => {
    const err = (await pull({ basicAuth: { username: 'prescale', passwordFile } }).catch((e: unknown) => e)) as PrescaleError;
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.message).toMatch(/certificate/i);
  });

  it('reports wrong credentials with the HTTP status', async () => {
    const err = (await pull({ tls: { caFile: join(dir, 'ca.crt') }, basicAuth: { username: 'prescale', password: 'wrong' } }).catch((e: unknown) => e)) as PrescaleError;
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.message).toContain('HTTP 401');
  });

  it('sends the bearer token from its file, re-read on every request so rotation works', async () => {
    writeFileSync(tokenFile, 'token-one\n');
    const src = new PrometheusSource(prometheusSourceSchema.parse({ url: gatewayUrl, query: 'sum(purchases)', retries: 0, bearerTokenFile: tokenFile }));
    expect(await src.pull(RANGE)).toEqual(EXPECTED);
    writeFileSync(tokenFile, 'token-two\n');
    expect(await src.pull(RANGE)).toEqual(EXPECTED);
    src.close();
    const wrong = await pull({ bearerTokenFile: passwordFile }, gatewayUrl).catch((e: unknown) => e);
    expect((wrong as PrescaleError).message).toContain('HTTP 401');
  });
});
