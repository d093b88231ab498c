import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { applyDefaults } from './apply-defaults';
import { jsonValueProblems } from './json-value';
import { PackValidationError, type PackProblem } from './pack-validation-error';
import { schemaProblems } from './schema-problems';
import { PersonaPackSchema, type PersonaPack } from './schema/persona-pack.schema';
import { semanticProblems } from './semantic-checks';

export type PackCheck = { ok: true; pack: PersonaPack } | { ok: false; problems: PackProblem[] };

/**
 * Validates an already-parsed value (an HTTP body, a parsed file) and returns the normalized pack:
 * a fresh copy with defaults filled in and fields in schema order. Throws PackValidationError.
 */
export function validatePack(value: unknown): PersonaPack {
  const result = checkPack(value);
  if (!result.ok) throw new PackValidationError(result.problems);
  return result.pack;
}

/** validatePack without the throw, for callers that report problems rather than fail. */
export function checkPack(value: unknown): PackCheck {
  const normalized = normalize(PersonaPackSchema, value, '');
  if (!normalized.ok) return normalized;
  const pack = normalized.value;
  const problems = semanticProblems(pack);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, pack };
}

/**
 * Validates one part of a pack against its schema (e.g. a tool against ToolSpecSchema) and returns it
 * normalized; problems carry `pointer` as prefix, so they read like whole-pack problems.
 */
export function validateFragment<T extends TSchema>(schema: T, value: unknown, pointer: string): Static<T> {
  const normalized = normalize(schema, value, pointer);
  if (!normalized.ok) throw new PackValidationError(normalized.problems);
  return normalized.value;
}

type Normalized<T> = { ok: true; value: T } | { ok: false; problems: PackProblem[] };

function normalize<T extends TSchema>(schema: T, value: unknown, pointer: string): Normalized<Static<T>> {
  const shapeProblems = jsonValueProblems(value);
  if (shapeProblems.length > 0)
    return { ok: false, problems: shapeProblems.map((p) => ({ ...p, pointer: pointer + p.pointer })) };
  // A JSON round trip detaches the copy from the caller's objects (and drops undefined fields).
  const detached: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  const defaulted = applyDefaults(schema, detached);
  const check = compiled(schema);
  if (check.Check(defaulted)) return { ok: true, value: defaulted };
  return { ok: false, problems: schemaProblems(check.Errors(defaulted), pointer) };
}

// Compiled once per schema: the compiled checker is far faster than interpreting the schema each call.
const checkers = new WeakMap<TSchema, TypeCheck<TSchema>>();
function compiled<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = checkers.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    checkers.set(schema, check);
  }
  return check as TypeCheck<T>;
}
