import { Router } from 'express';

/** `GET /v1/config/schema`: the JSON Schema of `prescale.yaml` (docs/prescale.schema.json), for editors and tools. */
export function configSchemaRoute(schema: () => Record<string, unknown>): Router {
  const router = Router();
  let text: string | null = null;
  router.get('/v1/config/schema', (_req, res) => {
    // Generated once: the schema is a pure function of the code.
    text ??= JSON.stringify(schema());
    res.type('application/schema+json').send(text);
  });
  return router;
}
