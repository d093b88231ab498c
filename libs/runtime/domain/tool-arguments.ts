/**
 * Checks a model's tool-call arguments against the tool's input schema from the sealed pack, before
 * the tool runs. The JSON Schema subset function-calling models are given: type, enum, const,
 * properties, required, additionalProperties, items, string length and pattern, number bounds, array
 * sizes. Other keywords (format, $ref, combinators) are not enforced. Problems name the argument's
 * JSON pointer; at most MAX_PROBLEMS are reported.
 */
type Schema = Record<string, unknown>;

const MAX_PROBLEMS = 5;
const MAX_DEPTH = 32;

export function toolArgumentProblems(schema: Schema, args: Record<string, unknown>): string[] {
  const problems: string[] = [];
  check(schema, args, '', problems, 0);
  return problems.slice(0, MAX_PROBLEMS);
}

function check(schema: Schema, value: unknown, at: string, problems: string[], depth: number): void {
  if (problems.length >= MAX_PROBLEMS) return;
  const where = at || '/';
  if (depth > MAX_DEPTH) return void problems.push(`${where}: nested deeper than ${MAX_DEPTH} levels`);
  const types = typesOf(schema.type);
  if (types && !types.some((type) => hasType(value, type)))
    return void problems.push(`${where}: must be ${types.join(' or ')}, not ${describe(value)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => sameJson(option, value)))
    problems.push(`${where}: must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(', ')}`);
  if ('const' in schema && !sameJson(schema.const, value))
    problems.push(`${where}: must be ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string') checkString(schema, value, where, problems);
  else if (typeof value === 'number') checkNumber(schema, value, where, problems);
  else if (Array.isArray(value)) checkArray(schema, value, at, problems, depth);
  else if (isObject(value)) checkObject(schema, value, at, problems, depth);
}

function checkString(schema: Schema, value: string, where: string, problems: string[]): void {
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength)
    problems.push(`${where}: must have at least ${schema.minLength} characters`);
  if (typeof schema.maxLength === 'number' && length > schema.maxLength)
    problems.push(`${where}: must have at most ${schema.maxLength} characters`);
  if (typeof schema.pattern === 'string' && !patternOf(schema.pattern).test(value))
    problems.push(`${where}: must match ${schema.pattern}`);
}

function checkNumber(schema: Schema, value: number, where: string, problems: string[]): void {
  const bound = (keyword: string, fails: (limit: number) => boolean, text: string): void => {
    const limit = schema[keyword];
    if (typeof limit === 'number' && fails(limit)) problems.push(`${where}: must be ${text} ${limit}`);
  };
  bound('minimum', (limit) => value < limit, '≥');
  bound('maximum', (limit) => value > limit, '≤');
  bound('exclusiveMinimum', (limit) => value <= limit, '>');
  bound('exclusiveMaximum', (limit) => value >= limit, '<');
}

function checkArray(schema: Schema, value: unknown[], at: string, problems: string[], depth: number): void {
  const where = at || '/';
  if (typeof schema.minItems === 'number' && value.length < schema.minItems)
    problems.push(`${where}: must have at least ${schema.minItems} items`);
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
    problems.push(`${where}: must have at most ${schema.maxItems} items`);
  if (isObject(schema.items))
    value.forEach((item, index) =>
      check(schema.items as Schema, item, `${at}/${index}`, problems, depth + 1),
    );
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  at: string,
  problems: string[],
  depth: number,
): void {
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  if (Array.isArray(schema.required))
    for (const name of schema.required)
      if (typeof name === 'string' && !(name in value)) problems.push(`${at}/${escape(name)}: is required`);
  for (const [name, item] of Object.entries(value)) {
    const path = `${at}/${escape(name)}`;
    const own = properties[name];
    if (own && isObject(own)) check(own, item, path, problems, depth + 1);
    else if (schema.additionalProperties === false) problems.push(`${path}: is not an argument of this tool`);
    else if (isObject(schema.additionalProperties))
      check(schema.additionalProperties, item, path, problems, depth + 1);
  }
}

function typesOf(type: unknown): string[] | undefined {
  if (typeof type === 'string') return [type];
  if (Array.isArray(type) && type.every((t) => typeof t === 'string')) return type;
  return undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return true; // an unknown type name is the author's: not enforced, like other keywords
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** RFC 6901: `~` and `/` in a property name. */
const escape = (name: string): string => name.replaceAll('~', '~0').replaceAll('/', '~1');

const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let pattern = patterns.get(source);
  if (!pattern) {
    try {
      pattern = new RegExp(source, 'u');
    } catch {
      pattern = /$^/; // a pattern that does not compile matches nothing: the call is refused, not run
    }
    if (patterns.size < 1000) patterns.set(source, pattern);
  }
  return pattern;
}
