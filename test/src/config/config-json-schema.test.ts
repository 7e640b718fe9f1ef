import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { CONFIG_SCHEMA_PATH, configJsonSchema, configJsonSchemaText } from '../../../src/config/config-json-schema';
import { REPO_ROOT } from '../../helpers/test-server';

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(configJsonSchema());
}

describe('the JSON Schema of prescale.yaml', () => {
  it('is committed as generated from the zod schema (run `npm run schema` after changing the config)', () => {
    expect(readFileSync(join(REPO_ROOT, CONFIG_SCHEMA_PATH), 'utf8')).toBe(configJsonSchemaText());
  });

  it.each(['deploy/examples/planner.yaml', 'deploy/examples/aggregated-api-insecure/config.yaml', 'deploy/examples/aggregated-api-production/config.yaml'])(
    'accepts the shipped example %s',
    (file) => {
      const validate = validator();
      const ok = validate(parseYaml(readFileSync(join(REPO_ROOT, file), 'utf8')));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it('rejects an unknown key, a wrong type and an unknown actuator mode, at their paths', () => {
    const validate = validator();
    expect(validate({ server: { port: 'eighty' }, serie: [], actuator: { mode: 'yolo' } })).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(where).toEqual(expect.arrayContaining(['/server/port type', ' additionalProperties', '/actuator/mode enum']));
  });

  it('describes the advisory mode and advisoryPools for editors', () => {
    const actuator = (configJsonSchema()['properties'] as Record<string, { properties: Record<string, { enum?: string[]; description?: string }> }>)['actuator']!;
    expect(actuator.properties['mode']!.enum).toEqual(['metrics-only', 'dry-run', 'advisory', 'actuate']);
    expect(actuator.properties['advisoryPools']!.description).toMatch(/advisory/);
  });
});
