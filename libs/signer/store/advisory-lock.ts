import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** The transparency log has one writer at a time, across every process on the database. */
export const LOG_WRITE_LOCK = 'personae:signer:log';

/** Key creation, rotation and revocation of one owner (a tenant, or the platform) are serialised. */
export function keysLock(owner: string | null): string {
  return `personae:signer:keys:${owner ?? '(platform)'}`;
}

/** Waits for a transaction-scoped advisory lock; it is released at commit or rollback. */
export async function lockForTransaction(manager: EntityManager, name: string): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) throw new Error(`advisory lock ${name} needs a transaction`);
  await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(name)]);
}

/** 64 bits of SHA-256: unlike hashtext's 32, collisions between lock names are negligible. */
function lockKey(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}
