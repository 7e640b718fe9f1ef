import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestPki } from '../../helpers/pki';
import { type ServingFixture, startServingFixture } from '../../helpers/serving-fixture';

const run = promisify(execFile);
const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

/** kubectl as the real client: it verifies the serving certificate and presents a client certificate made here. */
describe('kubectl get --raw against the aggregated API server', () => {
  let fx: ServingFixture;
  let withCert: string;
  let withoutCert: string;
  let untrustedCert: string;
  beforeAll(async () => {
    fx = await startServingFixture();
    const server = `https://127.0.0.1:${fx.running.externalMetrics!.port}`;
    const user = fx.clientPki.leaf({ commonName: 'ops-user', usage: 'client', organization: 'ops' });
    withCert = kubeconfig(fx.dir, 'with-cert', server, fx.servingCa, { 'client-certificate-data': b64(user.cert), 'client-key-data': b64(user.key) });
    // kubectl prompts for a password when a user has no credentials at all, so "without a
    // certificate" is a user with only an unknown token, and one with a certificate no trusted CA signed.
    withoutCert = kubeconfig(fx.dir, 'without-cert', server, fx.servingCa, { token: 'not-a-configured-token' });
    const stranger = new TestPki('stranger-ca').leaf({ commonName: 'front-proxy-client', usage: 'client' });
    untrustedCert = kubeconfig(fx.dir, 'untrusted-cert', server, fx.servingCa, { 'client-certificate-data': b64(stranger.cert), 'client-key-data': b64(stranger.key) });
  });
  afterAll(() => fx.close());

  // stdin closed: kubectl would otherwise prompt for a password after a 401 with no credentials.
  const kubectl = (config: string, path: string) => {
    const child = run('kubectl', ['--kubeconfig', config, 'get', '--raw', path], { timeout: 20_000 });
    child.child.stdin?.end();
    return child;
  };

  it('reads discovery and a metric with a client certificate', async () => {
    const resources = JSON.parse((await kubectl(withCert, '/apis/external.metrics.k8s.io/v1beta1')).stdout);
    expect(resources).toMatchObject({ kind: 'APIResourceList', groupVersion: 'external.metrics.k8s.io/v1beta1' });
    const list = JSON.parse((await kubectl(withCert, '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/queue-depth?labelSelector=horizon%3D15m%2Cquantile%3D0.5')).stdout);
    expect(list.kind).toBe('ExternalMetricValueList');
    expect(list.items).toHaveLength(1);
    expect(list.items[0].metricLabels).toEqual({ horizon: '15m', quantile: '0.5' });
    expect(list.items[0].value).toMatch(/^[0-9]+[numkMGTPE]?$/);
  });

  it('shows the Status message of a 404 for an unknown metric', async () => {
    await expect(kubectl(withCert, '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/nope')).rejects.toMatchObject({
      stderr: expect.stringContaining('the server could not find the metric nope for namespaces'),
    });
  });

  it('is refused with 401 Unauthorized without a client certificate', async () => {
    await expect(kubectl(withoutCert, '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/queue-depth')).rejects.toMatchObject({
      stderr: expect.stringMatching(/Unauthorized/),
    });
  });

  it('is refused with 401 Unauthorized with a certificate from an untrusted CA', async () => {
    await expect(kubectl(untrustedCert, '/apis/external.metrics.k8s.io/v1beta1')).rejects.toMatchObject({ stderr: expect.stringMatching(/Unauthorized/) });
  });
});

function kubeconfig(dir: string, name: string, server: string, ca: string, user: Record<string, string>): string {
  const file = join(dir, `${name}.kubeconfig`);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prescale', cluster: { server, 'certificate-authority-data': b64(ca) } }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: 'prescale', user: name } }],
    'current-context': name,
  };
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
