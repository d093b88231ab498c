import { PersonaPackSchema } from './schema/persona-pack.schema';

export const PERSONA_PACK_SCHEMA_ID = 'https://personae.dev/schemas/persona-pack/v1.json';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

type JsonSchema = { [key: string]: unknown };

/**
 * The published JSON Schema of `.persona.yaml`, derived from PersonaPackSchema (TypeBox schemas are
 * JSON Schema already). It describes what authors write: a field with a default is optional here,
 * although validated packs always have it. String unions become `enum`, which editors show better.
 */
export function personaPackJsonSchema(): JsonSchema {
  // The JSON round trip drops TypeBox's symbol-keyed bookkeeping.
  const plain = JSON.parse(JSON.stringify(PersonaPackSchema)) as JsonSchema;
  return { $schema: JSON_SCHEMA_DIALECT, $id: PERSONA_PACK_SCHEMA_ID, ...(publish(plain) as JsonSchema) };
}

function publish(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(publish);
  if (typeof node !== 'object' || node === null) return node;
  const schema: JsonSchema = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, publish(value)]),
  );
  const enumValues = stringEnum(schema);
  if (enumValues) {
    const { anyOf: _anyOf, ...rest } = schema;
    return { ...rest, type: 'string', enum: enumValues };
  }
  if (isSchemaObject(schema.properties) && Array.isArray(schema.required)) {
    const properties = schema.properties;
    const required = (schema.required as string[]).filter(
      (key) => !('default' in (properties[key] as object)),
    );
    const { required: _required, ...rest } = schema;
    return required.length > 0 ? { ...rest, required } : rest;
  }
  return schema;
}

function stringEnum(schema: JsonSchema): string[] | undefined {
  const options = schema.anyOf;
  if (!Array.isArray(options) || options.length === 0) return undefined;
  const values = options.map((option) => (isSchemaObject(option) ? option.const : undefined));
  return values.every((value) => typeof value === 'string') ? values : undefined;
}

function isSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
