import { z } from 'zod';
import { configSchema } from './schema';

/** Where the committed schema lives (`npm run schema` writes it; a test checks it is current). */
export const CONFIG_SCHEMA_PATH = 'docs/prescale.schema.json';

/** The `$id` editors and `yaml-language-server` see; the file itself is the one in the repository. */
const SCHEMA_ID = 'https://prescale.dev/schemas/prescale.schema.json';

/**
 * The JSON Schema (2020-12) of `prescale.yaml`, generated from the zod config schema so the
 * two cannot drift. `io: 'input'` describes what a user writes (defaults optional, durations
 * as `"5m"` or seconds), not the parsed values. Cross-field rules (`superRefine`) and parsing
 * transforms cannot be expressed in JSON Schema: editors check the shape, `prescale check`
 * checks the rest.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: generated['$schema'],
    $id: SCHEMA_ID,
    title: 'Prescale configuration (prescale.yaml)',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  };
}

/** The committed file's text: two-space JSON with a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
