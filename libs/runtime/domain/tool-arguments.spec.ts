import { toolArgumentProblems } from './tool-arguments';

const search = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 2, maxLength: 20 },
    limit: { type: 'integer', minimum: 1, maximum: 50 },
    sort: { enum: ['relevance', 'date'] },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, maxItems: 3 },
    filter: {
      type: 'object',
      properties: { since: { type: ['string', 'null'] } },
      additionalProperties: false,
    },
  },
  required: ['query'],
  additionalProperties: false,
};

describe('toolArgumentProblems', () => {
  it('accepts arguments that fit the schema', () => {
    expect(
      toolArgumentProblems(search, {
        query: 'kinases',
        limit: 10,
        sort: 'date',
        tags: ['bio', 'cell'],
        filter: { since: null },
      }),
    ).toEqual([]);
  });

  it('names each problem by its JSON pointer', () => {
    expect(toolArgumentProblems(search, { limit: 2.5, sort: 'random', shell: 'rm -rf /' })).toEqual([
      '/query: is required',
      '/limit: must be integer, not a number',
      '/sort: must be one of "relevance", "date"',
      '/shell: is not an argument of this tool',
    ]);
    expect(
      toolArgumentProblems(search, {
        query: 'x',
        tags: ['ok', 'Not OK', 'a', 'b'],
        filter: { since: 3, x: 1 },
      }),
    ).toEqual([
      '/query: must have at least 2 characters',
      '/tags: must have at most 3 items',
      '/tags/1: must match ^[a-z]+$',
      '/filter/since: must be string or null, not a number',
      '/filter/x: is not an argument of this tool',
    ]);
  });

  it('checks number bounds, const and additionalProperties schemas, and escapes pointer names', () => {
    const schema = {
      type: 'object',
      properties: { rate: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, v: { const: 2 } },
      additionalProperties: { type: 'boolean' },
    };
    expect(toolArgumentProblems(schema, { rate: 0, v: 3, 'a/b~c': 'yes' })).toEqual([
      '/rate: must be > 0',
      '/v: must be 2',
      '/a~1b~0c: must be boolean, not a string',
    ]);
    expect(toolArgumentProblems(schema, { rate: 1, v: 2, flag: true })).toEqual([]);
  });

  it('reports at most five problems and refuses arguments nested beyond the depth limit', () => {
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`x${i}`, 1]));
    expect(toolArgumentProblems({ type: 'object', additionalProperties: false }, many)).toHaveLength(5);
    const deep: Record<string, unknown> = {};
    let node = deep;
    for (let i = 0; i < 40; i++) node = node.a = {};
    const nested: Record<string, unknown> = { type: 'object' };
    let schema = nested;
    for (let i = 0; i < 40; i++) schema = schema.additionalProperties = { type: 'object' };
    expect(toolArgumentProblems(nested, deep)[0]).toMatch(/nested deeper than 32 levels/);
  });

  it('refuses everything against a pattern that does not compile', () => {
    const schema = { type: 'object', properties: { q: { type: 'string', pattern: '(' } } };
    expect(toolArgumentProblems(schema, { q: 'anything' })).toEqual(['/q: must match (']);
  });
});
