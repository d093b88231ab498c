import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { schemaProblems } from '@personae/pack/schema-problems';

export type BodyCheck<T> =
  { ok: true; value: T } | { ok: false; errors: { field: string; reason: string }[] };

const checkers = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** Validates a JSON body against a TypeBox schema; problems by JSON pointer, as the pack's are. */
export function checkBody<T extends TSchema>(schema: T, value: unknown): BodyCheck<Static<T>> {
  let check = checkers.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    checkers.set(schema, check);
  }
  if (check.Check(value)) return { ok: true, value: value as Static<T> };
  return {
    ok: false,
    errors: schemaProblems(check.Errors(value)).map((p) => ({ field: p.pointer || '/', reason: p.reason })),
  };
}
