import { stringify } from 'yaml';
import { applyDefaults } from './apply-defaults';
import { PersonaPackSchema, type PersonaPack } from './schema/persona-pack.schema';

export type SerializeFormat = 'yaml' | 'json';

/**
 * A readable `.persona.yaml` (or pretty JSON) with fields in schema order, whatever order the pack's
 * objects were built in; multi-line prompts come out as YAML block scalars. parsePack reads it back to
 * an equal pack.
 */
export function serializePack(pack: PersonaPack, format: SerializeFormat = 'yaml'): string {
  const ordered = applyDefaults(PersonaPackSchema, pack);
  if (format === 'json') return `${JSON.stringify(ordered, null, 2)}\n`;
  return stringify(ordered, {
    version: '1.2',
    schema: 'core',
    aliasDuplicateObjects: false, // a repeated object is written twice, never as an anchor
    lineWidth: 0, // do not fold long prompt lines: what you read is what the model gets
    blockQuote: 'literal',
  });
}
