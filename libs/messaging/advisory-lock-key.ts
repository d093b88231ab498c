import { createHash } from 'node:crypto';

/** A 64-bit advisory lock key from a name: collisions are negligible, unlike hashtext's 32 bits. */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
