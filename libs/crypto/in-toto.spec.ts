import {
  buildStatement,
  IN_TOTO_STATEMENT_TYPE,
  parseStatement,
  serializeStatement,
  StatementError,
} from './in-toto';

describe('in-toto Statement v1', () => {
  const digest = 'a'.repeat(64);
  const statement = buildStatement(
    [{ name: 'biology_researcher', digest: { sha256: digest } }],
    'https://x.dev/p/v1',
    {
      version: 3,
    },
  );

  it('round-trips through its canonical bytes', () => {
    const bytes = serializeStatement(statement);
    expect(bytes.toString()).toBe(
      `{"_type":"${IN_TOTO_STATEMENT_TYPE}","predicate":{"version":3},"predicateType":"https://x.dev/p/v1","subject":[{"digest":{"sha256":"${digest}"},"name":"biology_researcher"}]}`,
    );
    expect(parseStatement(bytes, { requireCanonical: true })).toEqual(statement);
  });

  it('refuses non-canonical payloads when asked, closing parser differentials', () => {
    const pretty = Buffer.from(JSON.stringify(statement, null, 2));
    expect(parseStatement(pretty)).toEqual(statement);
    expect(() => parseStatement(pretty, { requireCanonical: true })).toThrow(/canonical/);
    const duplicate = Buffer.from(
      serializeStatement(statement).toString().replace('{"_type"', '{"predicateType":"x","_type"'),
    );
    expect(() => parseStatement(duplicate, { requireCanonical: true })).toThrow(StatementError);
  });

  it('validates type, subjects and digests', () => {
    const bad = (patch: object): Buffer => Buffer.from(JSON.stringify({ ...statement, ...patch }));
    expect(() => parseStatement(bad({ _type: 'https://in-toto.io/Statement/v0.1' }))).toThrow(/_type/);
    expect(() => parseStatement(bad({ subject: [] }))).toThrow(/subject/);
    expect(() => parseStatement(bad({ subject: [{ name: 'x', digest: {} }] }))).toThrow(/DigestSet/);
    expect(() => parseStatement(bad({ subject: [{ name: 'x', digest: { sha256: 'ABC' } }] }))).toThrow(/hex/);
    expect(() => parseStatement(bad({ subject: [{ name: 'x', digest: { sha256: 'ab' } }] }))).toThrow(/64/);
    expect(() => parseStatement(bad({ predicateType: '' }))).toThrow(/predicateType/);
    expect(() => parseStatement(bad({ predicate: [1] }))).toThrow(/predicate/);
    expect(() => parseStatement(Buffer.from('{'))).toThrow(/not JSON/);
  });
});
