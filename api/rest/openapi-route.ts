import { Router } from 'express';
import openApiDocument from './openapi.json';

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of the REST API. `api/rest/openapi.json` is the
 * one copy (served as-is); a test checks that every registered route is in it and that real
 * replies validate against it.
 */
export function openApiRoute(): Router {
  const router = Router();
  const text = JSON.stringify(openApiDocument);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(text);
  });
  return router;
}

export { openApiDocument };
