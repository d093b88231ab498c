import type { Principal } from '../domain/principal';

/** What a verified key row tells us: enough to re-check a secret and answer without the database. */
export interface VerifiedKey {
  secretHash: Buffer;
  principal: Principal;
}

/**
 * Keys verified in the last `ttlMs`, by key id. Every request still checks the presented secret
 * against the cached hash (constant time); what is saved is the database round trip. A revocation
 * is seen at once by the process that revoked (it evicts), and by every other process within
 * `ttlMs` — the same bound the runtime gives persona revocations. Bounded in size, oldest first out.
 */
export class VerifiedKeyCache {
  private readonly entries = new Map<string, VerifiedKey & { cachedAt: number }>();

  constructor(
    private readonly ttlMs = 2_000,
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(keyId: string): VerifiedKey | undefined {
    const entry = this.entries.get(keyId);
    if (!entry) return undefined;
    if (this.now() - entry.cachedAt >= this.ttlMs) {
      this.entries.delete(keyId);
      return undefined;
    }
    return entry;
  }

  set(keyId: string, key: VerifiedKey): void {
    this.entries.delete(keyId);
    this.entries.set(keyId, { ...key, cachedAt: this.now() });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  evict(keyId: string): void {
    this.entries.delete(keyId);
  }
}
