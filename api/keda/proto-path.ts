import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Path of `externalscaler.proto`. tsc does not copy .proto files, so code running from
 * `dist/api/keda/` reads it from the source tree (`api/keda/`), which the image ships too.
 */
export function externalScalerProtoPath(): string {
  const candidates = [join(__dirname, 'externalscaler.proto'), join(__dirname, '..', '..', '..', 'api', 'keda', 'externalscaler.proto')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`externalscaler.proto not found (looked in ${candidates.join(', ')})`);
  return found;
}
