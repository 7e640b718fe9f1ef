import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeKubeApiServer } from './fake-kube-apiserver';

/** Writes a kubeconfig in `dir` that points the real client at `server`, in `namespace`; returns its path. */
export function writeKubeconfig(server: FakeKubeApiServer, dir: string, namespace = 'prod'): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster: { server: "${server.url}", insecure-skip-tls-verify: true }\nusers:\n- name: test\n  user: {}\ncontexts:\n- name: test\n  context: { cluster: test, user: test, namespace: ${namespace} }\ncurrent-context: test\n`,
  );
  return file;
}
