import { z } from 'zod';
import { durationSeconds } from './schema-helpers';

/**
 * REST roles, each including the ones before it: `read` reads, `write` also pushes samples,
 * `admin` also trains, promotes and rolls back models.
 */
export const REST_ROLES = ['read', 'write', 'admin'] as const;
export type RestRole = (typeof REST_ROLES)[number];

const roleSchema = z.enum(REST_ROLES);

/** A static bearer token, read from a file at start (`Authorization: Bearer <contents>`). */
const staticTokenSchema = z.strictObject({
  name: z.string().min(1).describe('Who holds the token (logged, and named in 403s); unique.'),
  tokenFile: z.string().min(1).describe('File holding the token (surrounding whitespace ignored; at least 16 characters).'),
  role: roleSchema.describe('read | write | admin.'),
});

/** Kubernetes ServiceAccount (or any cluster) tokens, checked with the TokenReview API. */
const kubernetesAuthSchema = z.strictObject({
  tokenReview: z.boolean().default(false).describe('Check bearer tokens that match no static token with authentication.k8s.io/v1 TokenReview (needs system:auth-delegator).'),
  roles: z
    .record(z.string().min(1), roleSchema)
    .default({})
    .describe('Role per username (`system:serviceaccount:<ns>:<name>`) or group (`system:serviceaccounts:<ns>`); the largest match wins; an identity matching none gets 403.'),
  audiences: z.array(z.string().min(1)).optional().describe('Audiences the token must carry (TokenReview spec.audiences); default: the API server\'s.'),
  cacheTTL: durationSeconds.default(10).describe('How long a TokenReview answer (either way) is reused, as the generic apiserver caches for 10 s.'),
});

/** `server.auth`: bearer-token authentication and roles on the REST API. Absent = no authentication (loopback-only writes). */
export const serverAuthSchema = z
  .strictObject({
    tokens: z.array(staticTokenSchema).default([]).describe('Static bearer tokens and their roles.'),
    kubernetes: kubernetesAuthSchema.optional().describe('ServiceAccount tokens through the TokenReview API.'),
  })
  .superRefine((auth, ctx) => {
    const seen = new Set<string>();
    auth.tokens.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['tokens', i, 'name'], message: `duplicate token name "${t.name}"` });
      seen.add(t.name);
    });
    if (auth.tokens.length === 0 && !auth.kubernetes?.tokenReview) {
      ctx.addIssue({ code: 'custom', path: ['tokens'], message: 'server.auth needs at least one token or kubernetes.tokenReview: true (otherwise no request could authenticate)' });
    }
  });

export type ServerAuthConfig = z.output<typeof serverAuthSchema>;
