import { uuidv7 } from '@personae/contracts';
import {
  apiKeyPrefix,
  apiKeySecretMatches,
  generateApiKeyToken,
  hashApiKeySecret,
  parseApiKeyToken,
} from './api-key-token';

describe('API key tokens', () => {
  const id = uuidv7();

  it('are pk_<id>_<43-character secret> and parse back to the key id', () => {
    const { token } = generateApiKeyToken(id);
    expect(token).toMatch(/^pk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(apiKeyPrefix(id))).toBe(true);
    const parsed = parseApiKeyToken(token);
    expect(parsed?.keyId).toBe(id);
    expect(parsed?.secret).toHaveLength(43);
  });

  it('carry 32 random bytes: two tokens of one key differ', () => {
    expect(generateApiKeyToken(id).token).not.toBe(generateApiKeyToken(id).token);
  });

  it('store a 32-byte hash that matches only the secret and the key it was made for', () => {
    const { token, secretHash } = generateApiKeyToken(id);
    const { secret } = parseApiKeyToken(token)!;
    expect(secretHash).toHaveLength(32);
    expect(secretHash.toString('base64url')).not.toContain(secret);
    expect(apiKeySecretMatches(id, secret, secretHash)).toBe(true);
    expect(
      apiKeySecretMatches(id, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, secretHash),
    ).toBe(false);
    expect(apiKeySecretMatches(uuidv7(), secret, secretHash)).toBe(false);
    expect(apiKeySecretMatches(id, secret, secretHash.subarray(0, 16))).toBe(false);
    expect(hashApiKeySecret(id, secret).equals(secretHash)).toBe(true);
  });

  it('refuse anything that is not exactly the token format', () => {
    const { token } = generateApiKeyToken(id);
    for (const bad of [
      '',
      token.slice(0, -1),
      `${token}A`,
      token.toUpperCase(),
      token.replace('pk_', 'sk_'),
      `pk_${id}_${'A'.repeat(43)}`, // hyphenated id
      ` ${token}`,
    ]) {
      expect(parseApiKeyToken(bad)).toBeUndefined();
    }
  });
});
