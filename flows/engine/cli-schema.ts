// npm run flows:schema — regenerates flows/schema.json from the engine's zod types.
import fs from 'node:fs';
import path from 'node:path';
import { flowJsonSchema } from './schema';

export const SCHEMA_FILE = path.resolve(__dirname, '..', 'schema.json');
export const schemaText = () => `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;

if (require.main === module) {
  fs.writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
