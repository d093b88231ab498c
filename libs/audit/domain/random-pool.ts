import { randomFillSync } from 'node:crypto';

/**
 * Fresh random bytes for salts and nonces, drawn from the CSPRNG 64 KiB at a time: a
 * `randomBytes(16)` call costs microseconds of overhead, and ingest needs one or two per event.
 * Each byte is handed out once (copied out, then the pool moves past it), so no two salts or
 * nonces share bytes any more than two separate calls would.
 */
const POOL_SIZE = 64 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

export function freshRandom(size: number): Buffer {
  if (size > POOL_SIZE) return randomFillSync(Buffer.allocUnsafe(size));
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
