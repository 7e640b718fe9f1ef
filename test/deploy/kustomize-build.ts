import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const DEPLOY = join(__dirname, '..', '..', 'deploy');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** Every folder under `dir` with a kustomization.yaml of kind Kustomization (Components build only inside one). */
export function kustomizations(dir: string): string[] {
  const file = join(dir, 'kustomization.yaml');
  const found = existsSync(file) && !/^kind:\s*Component\s*$/m.test(readFileSync(file, 'utf8')) ? [dir] : [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...kustomizations(path));
  }
  return found;
}

export function build(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 30_000 });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);
}

/** Builds an overlay written in a temp folder (kustomize wants relative paths): `resources` and `components` relative to deploy/. */
export function buildOverlay(resources: string[], components: string[]): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-overlay-'));
  try {
    const rel = (p: string): string => relative(dir, join(DEPLOY, p));
    writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n${resources.map((r) => `  - ${rel(r)}\n`).join('')}components:\n${components.map((c) => `  - ${rel(c)}\n`).join('')}`);
    return build(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const key = (o: K8sObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export function duplicates(objects: readonly K8sObject[]): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const o of objects) {
    if (seen.has(key(o))) dup.push(key(o));
    seen.add(key(o));
  }
  return dup;
}
