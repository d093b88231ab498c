import { Injectable } from '@nestjs/common';
import { IsNull, type DataSource } from 'typeorm';
import { InjectDataSource } from '@personae/persistence';
import { TrustedIdentityEntity } from './trusted-identity.entity';
import { SIGNER_SCHEMA } from './signer-schema';

/** Listings stop here: a tenant registers signers by the handful, not by the thousand. */
export const MAX_LISTED_IDENTITIES = 1000;

/** Every query takes the tenant: an identity is only ever looked up inside its own tenant. */
@Injectable()
export class TrustedIdentityRepository {
  constructor(@InjectDataSource(SIGNER_SCHEMA) private readonly dataSource: DataSource) {}

  private get repository() {
    return this.dataSource.getRepository(TrustedIdentityEntity);
  }

  findActive(tenantId: string, subject: string): Promise<TrustedIdentityEntity | null> {
    return this.repository.findOne({ where: { tenantId, subject, revokedAt: IsNull() } });
  }

  find(tenantId: string, id: string): Promise<TrustedIdentityEntity | null> {
    return this.repository.findOne({ where: { tenantId, id } });
  }

  list(tenantId: string): Promise<TrustedIdentityEntity[]> {
    return this.repository.find({
      where: { tenantId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: MAX_LISTED_IDENTITIES,
    });
  }

  async insert(identity: TrustedIdentityEntity): Promise<void> {
    await this.repository.insert(identity);
  }

  async revoke(tenantId: string, id: string, revokedBy: string): Promise<void> {
    await this.repository.update({ tenantId, id, revokedAt: IsNull() }, { revokedAt: new Date(), revokedBy });
  }
}
