import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package version of this code, recorded in every model manifest (works from sources and from dist/). */
export function codeVersion(): string {
  for (const up of ['..', join('..', '..')]) {
    const file = join(__dirname, up, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'prescale') return pkg.version ?? 'unknown';
    }
  }
  return 'unknown';
}
