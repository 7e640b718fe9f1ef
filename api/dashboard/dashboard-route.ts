import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import { packageRoot } from '../../src/runtime/package-root';

/** The page's script, in the order it is concatenated: helpers first, the refresh loop last. */
export const DASHBOARD_SCRIPTS = ['svg-chart.js', 'series-panel.js', 'pool-panel.js', 'decisions-panel.js', 'main.js'];

/** The page with its script files inlined in place of `<!--SCRIPT-->`, and the script's CSP hash. */
export function dashboardPage(): { html: string; scriptHash: string } {
  const dir = join(packageRoot(), 'api', 'dashboard');
  const script = DASHBOARD_SCRIPTS.map((f) => readFileSync(join(dir, 'client', f), 'utf8')).join('\n');
  const html = readFileSync(join(dir, 'dashboard.html'), 'utf8').replace('<!--SCRIPT-->', () => script);
  return { html, scriptHash: createHash('sha256').update(script).digest('base64') };
}

/**
 * `GET /`: the dashboard, one self-contained page that reads the public JSON API. It loads
 * nothing from elsewhere; the Content-Security-Policy allows only its own inline script
 * (by hash) and requests to this origin. The script is split into files for reading and
 * joined here, so the hash covers exactly what is sent.
 */
export function dashboardRoute(): Router {
  const { html, scriptHash } = dashboardPage();
  const csp = `default-src 'none'; connect-src 'self'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; base-uri 'none'; frame-ancestors 'none'`;
  const router = Router();
  router.get(['/', '/dashboard'], (_req, res) => {
    res.set('content-security-policy', csp).type('html').send(html);
  });
  return router;
}
