import { detectPii } from '../detect-pii';
import type { PiiType } from '../pii-finding';

/** The matched substrings of one type, for readable expectations. */
const found = (text: string, type: PiiType): string[] =>
  detectPii(text, { types: [type] }).map((f) => text.slice(f.start, f.end));

describe('credentials detector', () => {
  it('finds prefixed keys, JWTs, bearer tokens, PEM keys and assigned passwords', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\n-----END EC PRIVATE KEY-----';
    const text = `k=AKIAIOSFODNN7EXAMPLE ${jwt} Authorization: Bearer abcDEF1234567890xyz\n${pem}\npassword=hunter22 postgres://u:s3cr3t@db:5432/x`;
    expect(detectPii(text, { types: ['credentials'] }).map((f) => f.subtype)).toEqual([
      'aws_access_key_id',
      'jwt',
      'bearer_token',
      'pem_private_key',
      'password',
      'url_password',
    ]);
  });
  it('finds our own API keys (pk_<hex>_<secret>)', () => {
    const key = `pk_${'0123456789abcdef'.repeat(2)}_${'A'.repeat(43)}`;
    expect(detectPii(`x-api-key: ${key}`).map((f) => f.subtype)).toEqual(['personae_api_key']);
  });
  it('ignores placeholders and words that only look like keys', () => {
    expect(
      found(
        'password: ******** api_key=<your-key> token: ${TOKEN} the task-force met; password is incorrect',
        'credentials',
      ),
    ).toEqual([]);
  });
  it('does not take code for a secret', () => {
    const code =
      'password: auth[1], secret: BufferLike), apiKey: process.env.KEY, pass = decipher.finish(); Basic functionality; a validation pass: valid JS';
    expect(found(code, 'credentials')).toEqual([]);
  });
  it('finds an unterminated private key up to where the base64 stops', () => {
    const text = "const key = '-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA1c7+9z5Pad7Oe';";
    expect(found(text, 'credentials')).toEqual([
      '-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA1c7+9z5Pad7Oe',
    ]);
  });
});
