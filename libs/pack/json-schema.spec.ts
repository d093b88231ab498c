import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { personaPackJsonSchema, PERSONA_PACK_SCHEMA_ID } from './json-schema';

interface Schema {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: unknown;
  description?: string;
  [keyword: string]: unknown;
}

/** The schema of the field at `keys` (through `properties`). */
const field = (node: Schema, ...keys: string[]): Schema => keys.reduce((n, key) => n.properties![key]!, node);

describe('personaPackJsonSchema', () => {
  const schema = personaPackJsonSchema() as Schema;

  it('matches the committed persona-pack.schema.json (regenerate: node -r @swc-node/register libs/pack/cli/write-json-schema.cli.ts)', () => {
    const committed = JSON.parse(
      readFileSync(join(__dirname, 'persona-pack.schema.json'), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(schema);
  });

  it('is a draft 2020-12 schema with our $id and no TypeBox internals', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(PERSONA_PACK_SCHEMA_ID);
    expect(JSON.stringify(schema)).not.toMatch(/TypeBox|\[Kind\]|"Kind"/);
  });

  it('marks only fields without defaults as required, so a minimal pack validates in editors', () => {
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(field(schema, 'metadata').required).toEqual(['name', 'displayName']);
    expect(field(schema, 'spec').required).toEqual(['prompt']);
    expect(field(schema, 'spec', 'prompt').required).toEqual(['system']);
    expect(field(schema, 'spec', 'personality').required).toBeUndefined();
  });

  it('closes every object except tool input schemas, and describes every field', () => {
    const open: string[] = [];
    const undocumented: string[] = [];
    const walk = (node: Schema, path: string): void => {
      if (node.type === 'object' && node.properties && node.additionalProperties !== false) open.push(path);
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) undocumented.push(`${path}/${key}`);
        walk(child, `${path}/${key}`);
      }
      if (node.items) walk(node.items, `${path}/items`);
    };
    walk(schema, '');
    expect(open).toEqual(['/spec/tools/items/inputSchema']);
    expect(undocumented).toEqual([]);
  });

  it('publishes string unions as enums, capabilities exactly as specified', () => {
    expect(field(schema, 'spec', 'capabilities').items).toMatchObject({
      type: 'string',
      enum: [
        'research',
        'analysis',
        'writing',
        'coding',
        'critique',
        'summarization',
        'translation',
        'data_processing',
        'creative',
        'legal',
        'financial',
        'medical',
        'technical',
        'qa',
        'conversation',
      ],
    });
  });
});
