import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, type ServiceError, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS } from '../../../api/keda/external-scaler-server';
import { externalScalerProtoPath } from '../../../api/keda/proto-path';
import { TestPki } from '../../helpers/pki';
import { type ServingFixture, startServingFixture } from '../../helpers/serving-fixture';

interface ScalerClient extends Client {
  IsActive(ref: object, cb: (err: ServiceError | null, v: { result: boolean }) => void): void;
}

/** `keda.tls` with a client CA: KEDA's `enableTLS` with caCert + tlsClientCert/tlsClientKey from a TriggerAuthentication. */
describe('KEDA external scaler over mTLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-keda-tls-'));
  const pki = new TestPki('keda-ca');
  const server = pki.leaf({ commonName: 'prescale.prescale.svc', usage: 'server', altNames: ['localhost', '127.0.0.1'] });
  const kedaClient = pki.leaf({ commonName: 'keda-operator', usage: 'client' });
  let fx: ServingFixture;
  let Ctor: new (address: string, creds: ReturnType<typeof credentials.createSsl>) => ScalerClient;
  beforeAll(async () => {
    writeFileSync(join(dir, 'tls.crt'), server.cert);
    writeFileSync(join(dir, 'tls.key'), server.key);
    writeFileSync(join(dir, 'ca.crt'), pki.ca.cert);
    fx = await startServingFixture({ keda: { tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key'), clientCAFile: join(dir, 'ca.crt') } } });
    Ctor = (loadPackageDefinition(loadSync(externalScalerProtoPath(), PROTO_LOADER_OPTIONS)) as unknown as { externalscaler: { ExternalScaler: typeof Ctor } }).externalscaler.ExternalScaler;
  });
  afterAll(async () => {
    await fx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const isActive = (creds: ReturnType<typeof credentials.createSsl>) =>
    new Promise<{ result: boolean }>((resolve, reject) => {
      const client = new Ctor(`localhost:${fx.running.keda!.port}`, creds);
      client.IsActive({ name: 'worker', namespace: 'shop', scalerMetadata: { series: 'queue-depth' } }, (err, v) => {
        client.close();
        if (err) reject(err);
        else resolve(v);
      });
    });

  it('answers a client with a certificate from the configured CA', async () => {
    await expect(isActive(credentials.createSsl(Buffer.from(pki.ca.cert), Buffer.from(kedaClient.key), Buffer.from(kedaClient.cert)))).resolves.toEqual({ result: true });
  });

  it('refuses a client without a certificate', async () => {
    await expect(isActive(credentials.createSsl(Buffer.from(pki.ca.cert)))).rejects.toMatchObject({ code: expect.any(Number) });
  });

  it('refuses a client whose certificate another CA signed', async () => {
    const stranger = new TestPki('other-ca').leaf({ commonName: 'keda-operator', usage: 'client' });
    await expect(isActive(credentials.createSsl(Buffer.from(pki.ca.cert), Buffer.from(stranger.key), Buffer.from(stranger.cert)))).rejects.toMatchObject({ code: expect.any(Number) });
  });
});
