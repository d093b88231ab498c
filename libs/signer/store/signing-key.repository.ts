import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { InjectDataSource } from '@personae/persistence';
import type { KeyOwner, KeyPurpose, KeyStatus } from '../domain/signing-keys';
import { SigningKeyEntity } from './signing-key.entity';
import { SIGNER_SCHEMA } from './signer-schema';

/** A key row with its encrypted private half loaded: only the key vault asks for these. */
export type SealedKeyRow = SigningKeyEntity & { encryptedPrivateKey: Buffer; kekId: string };

@Injectable()
export class SigningKeyRepository {
  constructor(@InjectDataSource(SIGNER_SCHEMA) private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** The one active key of a purpose and owner, with its encrypted private half. */
  async findActive(
    manager: EntityManager,
    purpose: KeyPurpose,
    owner: KeyOwner,
  ): Promise<SealedKeyRow | null> {
    return (await this.withSecret(manager)
      .where('k.purpose = :purpose', { purpose })
      .andWhere(owner === null ? 'k.tenant_id IS NULL' : 'k.tenant_id = :owner', { owner })
      .andWhere(`k.status = 'active'`)
      .getOne()) as SealedKeyRow | null;
  }

  /** Live keys wrapped under a KEK other than `currentKekId`: what a KEK rotation re-wraps. */
  async findWrappedUnder(manager: EntityManager, notKekId: string): Promise<SealedKeyRow[]> {
    return (await this.withSecret(manager)
      .where('k.kek_id <> :kek', { kek: notKekId })
      .andWhere(`k.status <> 'revoked'`)
      .getMany()) as SealedKeyRow[];
  }

  /** A tenant's pack-signer key by id; null when it does not exist in that tenant. */
  findTenantKey(manager: EntityManager, tenantId: string, keyId: string): Promise<SigningKeyEntity | null> {
    return manager
      .getRepository(SigningKeyEntity)
      .findOne({ where: { keyId, tenantId, purpose: 'pack-signer' } });
  }

  /** What a tenant's verifiers need: its pack-signer keys, then the platform keys, oldest first. */
  listPublished(tenantId: string): Promise<SigningKeyEntity[]> {
    return this.dataSource.getRepository(SigningKeyEntity).find({
      where: [{ tenantId, purpose: 'pack-signer' }, { tenantId: IsNull() }],
      order: { createdAt: 'ASC', keyId: 'ASC' },
    });
  }

  /** The platform's active key of a purpose, public half only. */
  findPlatformKey(purpose: KeyPurpose): Promise<SigningKeyEntity | null> {
    return this.dataSource
      .getRepository(SigningKeyEntity)
      .findOne({ where: { purpose, tenantId: IsNull(), status: 'active' } });
  }

  async statuses(manager: EntityManager, keyIds: readonly string[]): Promise<Map<string, KeyStatus>> {
    if (keyIds.length === 0) return new Map();
    const rows = await manager
      .getRepository(SigningKeyEntity)
      .find({ where: { keyId: In([...new Set(keyIds)]) }, select: { keyId: true, status: true } });
    return new Map(rows.map((row) => [row.keyId, row.status]));
  }

  async insert(manager: EntityManager, row: SigningKeyEntity): Promise<void> {
    await manager.getRepository(SigningKeyEntity).insert(row);
  }

  async retire(manager: EntityManager, keyId: string, reason: string | null): Promise<void> {
    await manager
      .getRepository(SigningKeyEntity)
      .update({ keyId, status: 'active' }, { status: 'retired', retiredAt: new Date(), reason });
  }

  /** Revoked for good: the encrypted private half is erased too, nothing can sign with it again. */
  async revoke(manager: EntityManager, keyId: string, revokedBy: string, reason: string): Promise<void> {
    await manager.getRepository(SigningKeyEntity).update(
      { keyId, status: Not('revoked') },
      {
        status: 'revoked',
        revokedAt: new Date(),
        revokedBy,
        reason,
        encryptedPrivateKey: null,
        kekId: null,
      },
    );
  }

  async rewrap(manager: EntityManager, keyId: string, encrypted: Buffer, kekId: string): Promise<void> {
    await manager
      .getRepository(SigningKeyEntity)
      .update({ keyId, status: Not('revoked') }, { encryptedPrivateKey: encrypted, kekId });
  }

  private withSecret(manager: EntityManager) {
    return manager.getRepository(SigningKeyEntity).createQueryBuilder('k').addSelect('k.encryptedPrivateKey');
  }
}
