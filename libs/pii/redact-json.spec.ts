import { PseudonymTable } from './pseudonym-table';
import { redactJson } from './redact-json';

describe('redactJson', () => {
  const payload = {
    user: {
      email: 'ann@example.com',
      password: 'plain words are still secret',
      'a/b': 'call +44 20 7946 0958',
    },
    messages: ['my card is 4111 1111 1111 1111', 'nothing here', 42, null, true],
    headers: { authorization: 'Bearer abc' },
  };

  it('redacts string leaves, keeps the shape and reports JSON pointers', () => {
    const before = JSON.stringify(payload);
    const { value, findings } = redactJson(payload);
    expect(value).toEqual({
      user: { email: '[EMAIL]', password: '[CREDENTIALS]', 'a/b': 'call [PHONE]' },
      messages: ['my card is [CREDIT_CARD]', 'nothing here', 42, null, true],
      headers: { authorization: '[CREDENTIALS]' },
    });
    expect(findings.map((f) => [f.pointer, f.type, f.subtype])).toEqual([
      ['/user/email', 'email', 'email'],
      ['/user/password', 'credentials', 'secret_field'],
      ['/user/a~1b', 'phone', 'international'],
      ['/messages/0', 'credit_card', 'visa'],
      ['/headers/authorization', 'credentials', 'secret_field'],
    ]);
    expect(JSON.stringify(payload)).toBe(before);
  });

  it('pseudonymizes with one table across the whole value', () => {
    const pseudonyms = new PseudonymTable();
    const { value } = redactJson(
      { a: 'ann@example.com', b: ['ann@example.com', 'bob@example.org'] },
      { mode: 'pseudonymize', pseudonyms },
    );
    expect(value).toEqual({ a: '[EMAIL_1]', b: ['[EMAIL_1]', '[EMAIL_2]'] });
  });

  it('survives cycles and deep nesting', () => {
    const cyclic: Record<string, unknown> = { email: 'ann@example.com' };
    cyclic.self = cyclic;
    expect(redactJson(cyclic).value).toEqual({ email: '[EMAIL]', self: '[CIRCULAR]' });
    let deep: unknown = 'ann@example.com';
    for (let i = 0; i < 10; i++) deep = { next: deep };
    expect(JSON.stringify(redactJson(deep, { maxDepth: 5 }).value)).toContain('[TRUNCATED]');
  });
});
