import { Server, ServerCredentials, loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { ExternalScalerDeps } from './external-scaler-service';
import { externalScalerService } from './external-scaler-service';
import { externalScalerProtoPath } from './proto-path';

/** proto-loader options from the contract notes: int64 as numbers, unset fields as defaults. */
export const PROTO_LOADER_OPTIONS = { longs: Number, defaults: true, keepCase: true, enums: String, oneofs: true } as const;

/** The `externalscaler.ExternalScaler` service definition, loaded from the .proto at run time. */
export function externalScalerDefinition(): ServiceDefinition {
  const pkg = loadPackageDefinition(loadSync(externalScalerProtoPath(), PROTO_LOADER_OPTIONS)) as unknown as {
    externalscaler: { ExternalScaler: { service: ServiceDefinition } };
  };
  return pkg.externalscaler.ExternalScaler.service;
}

export interface ExternalScalerServerOptions extends ExternalScalerDeps {
  host: string;
  port: number;
  /**
   * PEM material; plaintext h2c when absent (KEDA's default dial). With `clientCA`, a client
   * certificate signed by it is required (KEDA's TriggerAuthentication `caCert`,
   * `tlsClientCert`, `tlsClientKey`): connections without one, or with one from another CA,
   * fail the handshake.
   */
  tls?: { cert: string; key: string; clientCA?: string };
}

/** Starts the gRPC server; resolves with it and the bound port (port 0 → ephemeral). */
export async function startExternalScalerServer(options: ExternalScalerServerOptions): Promise<{ server: Server; port: number }> {
  // KEDA reconnects on its own; closing idle connections keeps round-robin fresh (as KEDA's test scaler does).
  const server = new Server({ 'grpc.max_connection_idle_ms': 30_000, 'grpc.max_connection_age_ms': 30 * 60_000 });
  server.addService(externalScalerDefinition(), externalScalerService(options));
  const credentials = options.tls
    ? ServerCredentials.createSsl(
        options.tls.clientCA ? Buffer.from(options.tls.clientCA) : null,
        [{ cert_chain: Buffer.from(options.tls.cert), private_key: Buffer.from(options.tls.key) }],
        // checkClientCertificate: require and verify the client certificate, not merely request it.
        options.tls.clientCA !== undefined,
      )
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`, credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return { server, port };
}
