import { z } from 'zod';

/** Serving certificate and key (PEM files). */
const tlsFilesSchema = z.strictObject({
  certFile: z.string().min(1).describe('PEM certificate (chain) file.'),
  keyFile: z.string().min(1).describe('PEM private key file.'),
});

/** Front-proxy (request-header) authentication, as kube-apiserver's aggregation layer uses it. */
const requestHeaderSchema = z
  .strictObject({
    clientCAFile: z
      .string()
      .min(1)
      .optional()
      .describe('PEM bundle of the front-proxy CA (`requestheader-client-ca-file` of the extension-apiserver-authentication ConfigMap).'),
    fromCluster: z
      .boolean()
      .default(false)
      .describe('Read the kube-system/extension-apiserver-authentication ConfigMap through the Kubernetes API (pod service account) at start; keys set here take precedence.'),
    allowedNames: z.array(z.string().min(1)).optional().describe('CNs the front-proxy certificate may carry; empty = any name the CA signed.'),
    usernameHeaders: z.array(z.string().min(1)).optional().describe('Headers naming the user; the first non-empty wins. Default [X-Remote-User].'),
    groupHeaders: z.array(z.string().min(1)).optional().describe('Headers naming groups (every value of every header). Default [X-Remote-Group].'),
    extraHeadersPrefix: z.array(z.string().min(1)).optional().describe('Prefixes of headers carrying user extras. Default [X-Remote-Extra-].'),
  })
  .prefault({});

/** A bearer token for direct calls (no kube-apiserver in between). */
const bearerTokenSchema = z.strictObject({
  user: z.string().min(1).describe('Identity the token authenticates as (logged, and named in 403s).'),
  tokenFile: z.string().min(1).describe('File holding the token (surrounding whitespace ignored).'),
  namespaces: z.array(z.string().min(1)).default([]).describe('Namespaces this identity may read; empty = every namespace served.'),
});

/** The `external.metrics.k8s.io/v1beta1` aggregated API server (HTTPS). Absent = not started. */
export const externalMetricsSchema = z.strictObject({
  host: z.string().min(1).default('0.0.0.0').describe('Listen address of the HTTPS aggregated API.'),
  port: z.number().int().min(0).max(65_535).default(6443).describe('HTTPS port of the aggregated API (0 = any free port).'),
  tls: tlsFilesSchema.optional().describe('Serving certificate; a self-signed pair is generated at start when absent.'),
  requestHeader: requestHeaderSchema,
  auth: z
    .strictObject({
      clientCAFile: z
        .string()
        .min(1)
        .optional()
        .describe('PEM bundle of a CA whose client certificates authenticate direct calls (user = CN, groups = O), like `--client-ca-file`.'),
      clientCertNamespaces: z
        .record(z.string().min(1), z.array(z.string().min(1)))
        .default({})
        .describe('Per client-certificate user (CN), the namespaces it may read; a user not listed may read every namespace served.'),
      bearerTokens: z.array(bearerTokenSchema).default([]).describe('Tokens accepted as `Authorization: Bearer` for direct calls.'),
    })
    .prefault({}),
  namespaces: z.array(z.string().min(1)).default([]).describe('Namespaces whose metric paths are served; empty = every namespace.'),
});

/** The KEDA external scaler (gRPC). Absent = not started. */
export const kedaSchema = z.strictObject({
  host: z.string().min(1).default('0.0.0.0').describe('Listen address of the gRPC external scaler.'),
  grpcPort: z.number().int().min(0).max(65_535).default(9090).describe('gRPC port (0 = any free port).'),
  tls: tlsFilesSchema
    .extend({ clientCAFile: z.string().min(1).optional().describe('When set, clients must present a certificate from this CA (mTLS).') })
    .optional()
    .describe('Plaintext (h2c) when absent, as KEDA dials without enableTLS.'),
});

export type ExternalMetricsConfig = z.output<typeof externalMetricsSchema>;
export type KedaConfig = z.output<typeof kedaSchema>;
