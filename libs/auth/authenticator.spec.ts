import { loadConfig } from '@personae/config';
import { AuthenticationError, Authenticator } from './authenticator';
import { signJwt } from './domain/jwt';
import type { Principal } from './domain/principal';
import type { ApiKeyService } from './keys/api-key.service';

const secret = 'a-test-secret-that-is-at-least-32-characters';
const principal: Principal = {
  subject: 'apikey:1',
  tenantId: 'acme',
  role: 'trainer',
  via: 'api-key',
  keyId: '1',
};

/** Only `verify` is used; a key is valid when it is exactly `pk_good`. */
const keys = {
  verify: async (token: string) => (token === 'pk_good' ? principal : undefined),
} as unknown as ApiKeyService;

const refusal = async (
  authenticator: Authenticator,
  header: string | undefined,
): Promise<AuthenticationError> => {
  try {
    await authenticator.authenticate(header);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    return error as AuthenticationError;
  }
  throw new Error('authenticated');
};

describe('Authenticator', () => {
  const withJwt = new Authenticator(loadConfig({ AUTH_JWT_SECRET: secret }), keys);
  const withoutJwt = new Authenticator(loadConfig({}), keys);
  const jwt = signJwt({ sub: 'user-7', tenant: 'globex', role: 'auditor' }, { secret, issuer: 'personae' });

  it('reads API keys and JWTs from a Bearer header, any scheme case', async () => {
    expect(await withJwt.authenticate('Bearer pk_good')).toBe(principal);
    expect(await withJwt.authenticate('bearer  pk_good ')).toBe(principal);
    expect(await withJwt.authenticate(`Bearer ${jwt}`)).toEqual({
      subject: 'user-7',
      tenantId: 'globex',
      role: 'auditor',
      via: 'jwt',
    });
  });

  it('says what is missing or malformed', async () => {
    expect((await refusal(withJwt, undefined)).message).toMatch(/missing bearer token/);
    expect((await refusal(withJwt, 'Basic dXNlcjpwYXNz')).message).toMatch(/Bearer scheme/);
    expect((await refusal(withJwt, 'Bearer a b')).message).toMatch(/Bearer scheme/);
    expect((await refusal(withJwt, 'Bearer opaque-token')).message).toMatch(/malformed bearer token/);
    expect((await refusal(withJwt, `Bearer ${'x'.repeat(5000)}`)).message).toBe('bearer token is too long');
  });

  it('gives one reason for unknown, wrong and revoked API keys', async () => {
    expect((await refusal(withJwt, 'Bearer pk_bad')).message).toBe('invalid or revoked API key');
  });

  it('refuses JWTs with a clear reason when no JWT secret is configured', async () => {
    expect((await refusal(withoutJwt, `Bearer ${jwt}`)).message).toMatch(
      /JWT bearer tokens are not accepted.*AUTH_JWT_SECRET/,
    );
    expect(await withoutJwt.authenticate('Bearer pk_good')).toBe(principal);
  });

  it('passes the JWT verifier’s reason through', async () => {
    const expired = signJwt(
      { sub: 'u', tenant: 'acme', role: 'trainer' },
      { secret, issuer: 'personae', now: 1_000_000, expiresInSeconds: 60 },
    );
    expect((await refusal(withJwt, `Bearer ${expired}`)).message).toBe('token has expired');
  });
});
