import type { KubernetesApiFiles } from '../api/auth/token-review-authenticator';

/** In a pod: the Kubernetes API through the mounted service account (token and CA). */
export const IN_CLUSTER_API: Required<KubernetesApiFiles> = {
  url: 'https://kubernetes.default.svc',
  tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
  caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
};
