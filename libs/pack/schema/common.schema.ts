import {
  Type,
  type NumberOptions,
  type ObjectOptions,
  type StringOptions,
  type TLiteral,
  type TProperties,
  type TSchema,
  type TUnion,
} from '@sinclair/typebox';

/**
 * Building blocks shared by the schema files. Every object is closed (`additionalProperties: false`)
 * so a misspelt field is an error rather than silently ignored.
 */
export function Closed<T extends TProperties>(
  properties: T,
  options: ObjectOptions & { description: string },
) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

/** A string union that shows up in JSON Schema as `enum` (see json-schema.ts). */
export function Enum<const T extends readonly string[]>(
  values: T,
  options: { description: string; default?: T[number] },
) {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<Array<TLiteral<T[number]>>>;
}

/** Non-empty text with an upper bound. */
export function Text(maxLength: number, description: string, options: StringOptions = {}) {
  return Type.String({ minLength: 1, maxLength, description, ...options });
}

/** A 0..1 dial (personality traits, style levels). */
export function Unit(description: string, defaultValue: number, options: NumberOptions = {}) {
  return Type.Number({ minimum: 0, maximum: 1, default: defaultValue, description, ...options });
}

/** A bounded list that defaults to empty, so hand-written packs may leave it out. */
export function List<T extends TSchema>(
  items: T,
  maxItems: number,
  description: string,
  uniqueItems = false,
) {
  return Type.Array(items, { maxItems, default: [], description, ...(uniqueItems ? { uniqueItems } : {}) });
}

// Patterns: JSON Schema (ECMA-262) and JS regexes at once. PATTERN_HINTS turns them into readable reasons.
export const SLUG = '^[a-z][a-z0-9_-]{1,62}$';
export const TAG = '^[a-z0-9][a-z0-9_-]{0,31}$';
export const CATEGORY = '^[a-z][a-z0-9-]{1,31}$';
export const TOOL_NAME = '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*$';
export const ACTION_PATTERN = '^(\\*|[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*(\\.\\*)?)$';
export const VERSIONED_REF = '^[a-z][a-z0-9_-]{1,62}\\.v[1-9][0-9]{0,5}$';
export const POLICY_REF = '^[a-z][a-z0-9_-]{1,62}(\\.v[1-9][0-9]{0,5}|@[a-z][a-z0-9-]{0,31})?$';
export const TENANT_ID = '^[a-z0-9][a-z0-9-]{0,62}$';
export const SHA256_DIGEST = '^sha256:[0-9a-f]{64}$';
export const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
export const JSON_POINTER = '^(/([^~/]|~[01])*)*$';
export const IDENTIFIER = '^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$';
export const HOST =
  '^(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$';
export const SCOPE = '^[a-z][a-z0-9_.-]*(:[a-z0-9_.*-]+)*$';
export const CHANNEL = '^[a-z][a-z0-9+.-]*:[^\\s]+$';
export const AVATAR = '^(https://[^\\s]+|[^\\s]{1,16})$';
export const LANGUAGE = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$';

export const PATTERN_HINTS: Readonly<Record<string, string>> = {
  [SLUG]: 'must be a slug: 2-63 characters, lowercase letters, digits, "_" or "-", starting with a letter',
  [TAG]: 'must be a lowercase tag: up to 32 letters, digits, "_" or "-"',
  [CATEGORY]: 'must be a lowercase category such as "research" or "software-engineering"',
  [TOOL_NAME]: 'must be a tool name: lowercase dot-separated segments such as "web.search"',
  [ACTION_PATTERN]: 'must be an action such as "web.search", or a wildcard such as "web.*" or "*"',
  [VERSIONED_REF]: 'must name a sealed version such as "code-reviewer.v3"',
  [POLICY_REF]: 'must be a policy reference such as "strict", "strict.v2" or "strict@prod"',
  [TENANT_ID]: 'must be a tenant id: lowercase letters, digits and "-"',
  [SHA256_DIGEST]: 'must be "sha256:" followed by 64 lowercase hex digits',
  [UUID]: 'must be a lowercase hyphenated UUID',
  [JSON_POINTER]: 'must be a JSON pointer such as "/spec/prompt/system"',
  [IDENTIFIER]: 'must be an identifier: letters, digits and ._:/@+- without spaces',
  [HOST]: 'must be a host name such as "api.example.com" or "*.example.com" (optionally with :port)',
  [SCOPE]: 'must be a credential scope such as "repo:read"',
  [CHANNEL]: 'must be a channel URI such as "mailto:legal@example.com" or "slack:#legal-review"',
  [AVATAR]: 'must be an https URL or a short emoji',
  [LANGUAGE]: 'must be a BCP 47 language tag such as "en" or "en-GB"',
};
