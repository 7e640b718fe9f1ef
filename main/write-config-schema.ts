import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_SCHEMA_PATH, configJsonSchemaText } from '../src/config/config-json-schema';

/** `npm run schema`: regenerates docs/prescale.schema.json from the zod config schema. */
const file = join(resolve(__dirname, '..', '..'), CONFIG_SCHEMA_PATH);
writeFileSync(file, configJsonSchemaText());
process.stdout.write(`wrote ${file}\n`);
