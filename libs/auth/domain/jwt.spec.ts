import { createHmac } from 'node:crypto';
import { JwtError, MAX_BEARER_TOKEN_LENGTH, signJwt, verifyJwt } from './jwt';

const secret = 'a-test-secret-that-is-at-least-32-characters';
const issuer = 'personae';
const now = 1_800_000_000;
const claims = { sub: 'user-1', tenant: 'acme', role: 'trainer' as const };

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Builds a token by hand, so tests can produce what signJwt never would. */
function forge(header: unknown, payload: unknown, key = secret): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}
const payload = (extra: Record<string, unknown> = {}) => ({
  iss: issuer,
  ...claims,
  iat: now,
  exp: now + 600,
  ...extra,
});
const verify = (token: string, at = now) => verifyJwt(token, { secret, issuer, now: at });
const reason = (token: string, at = now): string => {
  try {
    verify(token, at);
  } catch (error) {
    expect(error).toBeInstanceOf(JwtError);
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
};

describe('verifyJwt', () => {
  it('accepts a token signed with the secret and returns its claims', () => {
    const token = signJwt(claims, { secret, issuer, now, expiresInSeconds: 600 });
    expect(verify(token)).toEqual({
      iss: issuer,
      sub: 'user-1',
      tenant: 'acme',
      role: 'trainer',
      iat: now,
      exp: now + 600,
    });
  });

  it('refuses an expired token, tolerating a small clock skew', () => {
    const token = signJwt(claims, { secret, issuer, now, expiresInSeconds: 60 });
    expect(verify(token, now + 60 + 29).sub).toBe('user-1');
    expect(reason(token, now + 60 + 31)).toBe('token has expired');
  });

  it('refuses a token used before nbf', () => {
    const token = signJwt(claims, { secret, issuer, now, notBefore: now + 300 });
    expect(reason(token)).toMatch(/not valid yet/);
    expect(verify(token, now + 300).role).toBe('trainer');
  });

  it('refuses a token without exp', () => {
    expect(reason(forge({ alg: 'HS256', typ: 'JWT' }, payload({ exp: undefined })))).toMatch(/no expiry/);
  });

  it('refuses alg none, even without a signature', () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload())}.`;
    expect(reason(unsigned)).toBe('malformed token');
    expect(reason(forge({ alg: 'none' }, payload()))).toMatch(/unsupported token algorithm/);
  });

  it('refuses any algorithm but HS256', () => {
    for (const alg of ['HS384', 'HS512', 'RS256', 'ES256', 'hs256']) {
      expect(reason(forge({ alg, typ: 'JWT' }, payload()))).toMatch(/unsupported token algorithm/);
    }
  });

  it('refuses a bad signature: other secret, tampered payload, truncated signature', () => {
    expect(reason(forge({ alg: 'HS256' }, payload(), 'another-secret-that-is-at-least-32-chars'))).toBe(
      'invalid token signature',
    );
    const token = signJwt(claims, { secret, issuer, now });
    const [header, , signature] = token.split('.');
    const tampered = `${header}.${b64(payload({ role: 'admin' }))}.${signature}`;
    expect(reason(tampered)).toBe('invalid token signature');
    expect(reason(token.slice(0, -2))).toBe('invalid token signature');
  });

  it('refuses a token from another issuer', () => {
    expect(reason(signJwt(claims, { secret, issuer: 'someone-else', now }))).toBe(
      'token issuer is not accepted',
    );
  });

  it('refuses unknown roles and malformed tenants and subjects', () => {
    expect(reason(forge({ alg: 'HS256' }, payload({ role: 'root' })))).toMatch(/role/);
    expect(reason(forge({ alg: 'HS256' }, payload({ tenant: 'ACME; drop' })))).toMatch(/tenant/);
    expect(reason(forge({ alg: 'HS256' }, payload({ sub: '' })))).toMatch(/sub/);
    expect(reason(forge({ alg: 'HS256' }, payload({ sub: 'x'.repeat(257) })))).toMatch(/sub/);
  });

  it('refuses oversize and malformed tokens before parsing them', () => {
    const huge = forge({ alg: 'HS256' }, payload({ pad: 'x'.repeat(MAX_BEARER_TOKEN_LENGTH) }));
    expect(reason(huge)).toBe('token is too long');
    expect(reason('a.b')).toBe('malformed token');
    expect(reason('a.b.c.d')).toBe('malformed token');
    expect(reason('a+b.c.d')).toBe('malformed token');
    expect(reason(`${b64('just a string')}.${b64(payload())}.sig`)).toBe('malformed token');
    expect(reason(`bm90IGpzb24.${b64(payload())}.sig`)).toBe('malformed token');
  });

  it('refuses critical headers it does not understand', () => {
    expect(reason(forge({ alg: 'HS256', crit: ['exp'] }, payload()))).toMatch(/critical/);
  });
});

describe('signJwt', () => {
  it('refuses a secret shorter than 32 characters', () => {
    expect(() => signJwt(claims, { secret: 'short', issuer })).toThrow(/at least 32/);
  });
});
