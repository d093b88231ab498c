/**
 * Regenerates libs/pack/persona-pack.schema.json from the TypeBox schema:
 *   node -r @swc-node/register libs/pack/cli/write-json-schema.cli.ts
 * json-schema.spec.ts fails when the committed file and the schema disagree.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { personaPackJsonSchema } from '../json-schema';

async function main(): Promise<void> {
  const path = join(__dirname, '..', 'persona-pack.schema.json');
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(personaPackJsonSchema()), { ...options, filepath: path }));
  process.stdout.write(`wrote ${path}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
