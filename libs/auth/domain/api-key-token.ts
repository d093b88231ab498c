import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key tokens look like `pk_<key id as 32 hex>_<secret>`: the key id is public and lets us
 * find the row by primary key; the secret is 32 random bytes (base64url, 43 characters).
 *
 * We store SHA-256 of the secret, not bcrypt/scrypt/argon2: slow hashes exist to make guessing
 * low-entropy human passwords expensive, but a 256-bit random secret cannot be guessed at any
 * hash speed. A slow hash would only add ~100 ms of CPU to every authenticated request (and
 * bcrypt truncates input at 72 bytes). The key id is mixed into the hash so a stored hash is
 * only valid for its own row.
 */
export const API_KEY_PREFIX = 'pk_';
export const API_KEY_SECRET_BYTES = 32;

const TOKEN = /^pk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const HASH_CONTEXT = 'personae:api-key:v1';

export interface ParsedApiKeyToken {
  keyId: string;
  secret: string;
}

/** A fresh secret and its token for the key `keyId` (a UUID). */
export function generateApiKeyToken(keyId: string): { token: string; secretHash: Buffer } {
  const secret = randomBytes(API_KEY_SECRET_BYTES).toString('base64url');
  return { token: `${apiKeyPrefix(keyId)}_${secret}`, secretHash: hashApiKeySecret(keyId, secret) };
}

/** The public part of a key's token, safe to show in listings and logs. */
export function apiKeyPrefix(keyId: string): string {
  return `${API_KEY_PREFIX}${keyId.replaceAll('-', '')}`;
}

/** Splits a token into key id and secret; undefined when it is not an API key token. */
export function parseApiKeyToken(token: string): ParsedApiKeyToken | undefined {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const hex = match[1]!;
  const keyId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { keyId, secret: match[2]! };
}

export function hashApiKeySecret(keyId: string, secret: string): Buffer {
  return createHash('sha256').update(`${HASH_CONTEXT}:${keyId}:${secret}`).digest();
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function apiKeySecretMatches(keyId: string, secret: string, storedHash: Buffer): boolean {
  const presented = hashApiKeySecret(keyId, secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}
