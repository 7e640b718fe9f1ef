import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import { packageRoot } from '../../src/runtime/package-root';

/**
 * `GET /`: the dashboard, one self-contained page that reads the public JSON API. It loads
 * nothing from elsewhere; the Content-Security-Policy allows only its own inline script
 * (by hash) and requests to this origin.
 */
export function dashboardRoute(): Router {
  const html = readFileSync(join(packageRoot(), 'api', 'dashboard', 'dashboard.html'), 'utf8');
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(script).digest('base64');
  const csp = `default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; base-uri 'none'; frame-ancestors 'none'`;
  const router = Router();
  router.get(['/', '/dashboard'], (_req, res) => {
    res.set('content-security-policy', csp).type('html').send(html);
  });
  return router;
}
