import { createCipheriv, createDecipheriv } from 'node:crypto';
import { freshRandom } from './random-pool';

/**
 * AES-256-GCM of one entry's PII under a data key: 12-byte random nonce ‖ ciphertext ‖ 16-byte tag,
 * the additional data naming tenant and event so a sealed value cannot be moved to another entry.
 * A data key seals at most MAX_SEALS_PER_KEY values (random nonces: collision odds stay below 2^-50).
 */
export const MAX_SEALS_PER_KEY = 1_000_000;
const NONCE = 12;
const TAG = 16;

export function sealWith(key: Buffer, aad: string, plaintext: Buffer): Buffer {
  const nonce = freshRandom(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

export function openWith(key: Buffer, aad: string, sealed: Buffer): Buffer {
  if (sealed.length < NONCE + TAG) throw new Error('sealed PII is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]);
}
