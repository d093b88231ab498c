import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { decryptSecret, encryptSecret, type KeyRing } from '@personae/crypto';
import { InjectDataSource } from '@personae/persistence';
import { KEY_RING } from '@personae/service-kit';
import { MAX_SEALS_PER_KEY } from '../domain/pii-seal';
import { AUDIT_SCHEMA } from '../store/audit-schema';

export interface DataKey {
  keyId: string;
  key: Buffer;
}

/** A data key seals PII of one tenant for at most this long; retention can then drop it whole. */
export const DATA_KEY_LIFETIME_MS = 3_600_000;

const context = (tenantId: string, keyId: string): string => `audit-pii-key:${tenantId}:${keyId}`;

/**
 * Data keys of the PII vault. Wrapping a fresh key per event cost more than the rest of ingest,
 * so each tenant's key is reused for an hour (or MAX_SEALS_PER_KEY values) and stored, wrapped
 * under the KEK ring, before anything sealed with it is written.
 */
@Injectable()
export class PiiDataKeys {
  private readonly current = new Map<string, DataKey & { createdAt: number; uses: number }>();
  private readonly opened = new Map<string, Buffer>();
  private readonly creating = new Map<string, Promise<DataKey>>();

  constructor(
    @InjectDataSource(AUDIT_SCHEMA) private readonly dataSource: DataSource,
    @Inject(KEY_RING) private readonly ring: KeyRing,
  ) {}

  /** The tenant's key for sealing now; a call's seal count is taken at once. */
  async forSealing(tenantId: string): Promise<DataKey> {
    const cached = this.current.get(tenantId);
    if (cached && cached.uses < MAX_SEALS_PER_KEY && Date.now() - cached.createdAt < DATA_KEY_LIFETIME_MS) {
      cached.uses++;
      return cached;
    }
    // Concurrent callers of one tenant share one new key.
    let pending = this.creating.get(tenantId);
    if (!pending) {
      pending = this.create(tenantId).finally(() => this.creating.delete(tenantId));
      this.creating.set(tenantId, pending);
    }
    return pending;
  }

  /** A key for opening what it sealed; undefined once retention dropped it. */
  async forOpening(tenantId: string, keyId: string): Promise<Buffer | undefined> {
    const cached = this.opened.get(keyId);
    if (cached) return cached;
    const rows: { wrapped: Buffer }[] = await this.dataSource.query(
      `SELECT wrapped FROM audit.pii_data_keys WHERE key_id = $1 AND tenant_id = $2`,
      [keyId, tenantId],
    );
    if (!rows[0]) return undefined;
    const key = decryptSecret(this.ring, rows[0].wrapped, { context: context(tenantId, keyId) });
    this.opened.set(keyId, key);
    return key;
  }

  /** Retention: keys that can only have sealed values recorded before `before`. */
  async dropCreatedBefore(before: Date): Promise<number> {
    const cutoff = new Date(before.getTime() - 2 * DATA_KEY_LIFETIME_MS);
    const result: [unknown, number] = await this.dataSource.query(
      `DELETE FROM audit.pii_data_keys WHERE created_at < $1`,
      [cutoff],
    );
    for (const [tenantId, key] of this.current)
      if (key.createdAt < cutoff.getTime()) this.current.delete(tenantId);
    this.opened.clear();
    return result[1];
  }

  private async create(tenantId: string): Promise<DataKey> {
    const keyId = randomUUID();
    const key = randomBytes(32);
    await this.dataSource.query(
      `INSERT INTO audit.pii_data_keys (key_id, tenant_id, wrapped, kek_id) VALUES ($1, $2, $3, $4)`,
      [
        keyId,
        tenantId,
        encryptSecret(this.ring, key, { context: context(tenantId, keyId) }),
        this.ring.currentId,
      ],
    );
    const entry = { keyId, key, createdAt: Date.now(), uses: 1 };
    this.current.set(tenantId, entry);
    this.opened.set(keyId, key);
    return entry;
  }
}
