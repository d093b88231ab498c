import { Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { InjectDataSource } from '@personae/persistence';
import { VersionRevocationEntity } from './version-revocation.entity';
import { SIGNER_SCHEMA } from './signer-schema';

/** Listing bound: verifiers load the whole list, so it has to stay a reasonable size. */
export const MAX_LISTED_REVOCATIONS = 10_000;

@Injectable()
export class VersionRevocationRepository {
  constructor(@InjectDataSource(SIGNER_SCHEMA) private readonly dataSource: DataSource) {}

  find(
    tenantId: string,
    packName: string,
    version: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<VersionRevocationEntity | null> {
    return manager.getRepository(VersionRevocationEntity).findOne({ where: { tenantId, packName, version } });
  }

  list(tenantId: string): Promise<VersionRevocationEntity[]> {
    return this.dataSource.getRepository(VersionRevocationEntity).find({
      where: { tenantId },
      order: { revokedAt: 'ASC', id: 'ASC' },
      take: MAX_LISTED_REVOCATIONS,
    });
  }

  /** Inserts unless the version is already revoked; returns the row that stands. */
  async insertOnce(
    manager: EntityManager,
    row: VersionRevocationEntity,
  ): Promise<{ row: VersionRevocationEntity; created: boolean }> {
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO signer.version_revocations
         (id, tenant_id, pack_name, version, digest, reason, revoked_by, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, pack_name, version) DO NOTHING
       RETURNING id`,
      [row.id, row.tenantId, row.packName, row.version, row.digest, row.reason, row.revokedBy, row.revokedAt],
    );
    if (inserted.length === 1) return { row, created: true };
    const existing = await this.find(row.tenantId, row.packName, row.version, manager);
    if (!existing) throw new Error('a revocation conflicted on insert but cannot be read back');
    return { row: existing, created: false };
  }
}
