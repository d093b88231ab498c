import type { TSchema } from '@sinclair/typebox';

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  default?: unknown;
}

/**
 * Returns a copy of `value` with schema defaults filled in and known fields in schema order, so
 * normalized packs read and serialize the same way whoever wrote them. Unknown fields are kept (after
 * the known ones) for validation to reject. Expects plain JSON (see json-value.ts); never mutates it.
 */
export function applyDefaults<T = unknown>(schema: TSchema, value: unknown): T {
  return visit(schema, value) as T;
}

function visit(schema: SchemaNode, value: unknown): unknown {
  if (schema.type === 'object' && schema.properties && isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
      if (Object.hasOwn(value, key) && value[key] !== undefined) result[key] = visit(property, value[key]);
      else if (property.default !== undefined)
        result[key] = visit(property, structuredClone(property.default));
    }
    for (const [key, extra] of Object.entries(value)) {
      if (!Object.hasOwn(schema.properties, key) && extra !== undefined) defineField(result, key, extra);
    }
    return result;
  }
  if (schema.type === 'array' && schema.items && Array.isArray(value)) {
    const items = schema.items;
    return value.map((item) => visit(items, item));
  }
  return value;
}

// `result[key] = …` with key "__proto__" would set the prototype instead of a field.
function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
