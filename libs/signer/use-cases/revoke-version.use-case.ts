import { Injectable, NotFoundException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { RevokedVersionView } from '@personae/sdk';
import { REVOKING_ROLES } from '../domain/identities';
import { revokedVersionView } from '../domain/views';
import { LogRepository } from '../store/log.repository';
import { SIGNER_SCHEMA } from '../store/signer-schema';
import { VersionRevocationRepository } from '../store/version-revocation.repository';
import { TrustedSignerCheck } from './trusted-signer.check';

export interface RevokeVersionInput {
  packName: string;
  version: number;
  /** `sha256:<hex>` of the sealed pack: names exactly what is withdrawn. */
  digest: string;
  reason: string;
}

/**
 * Withdraws a sealed version of the caller's tenant: verifiers then refuse it by `name.vN` and by
 * digest. Only a version this tenant sealed with that digest can be revoked; revoking twice keeps
 * the first record. Telling the registry (persona.lifecycle `revoked`) is the registry's job.
 */
@Injectable()
export class RevokeVersionUseCase {
  constructor(
    @InjectDataSource(SIGNER_SCHEMA) private readonly dataSource: DataSource,
    private readonly trusted: TrustedSignerCheck,
    private readonly leaves: LogRepository,
    private readonly revocations: VersionRevocationRepository,
  ) {}

  async execute(
    principal: Principal,
    input: RevokeVersionInput,
  ): Promise<{ revocation: RevokedVersionView; created: boolean }> {
    await this.trusted.require(principal, REVOKING_ROLES, 'revoking a version');
    return this.dataSource.transaction(async (manager) => {
      const seals = await this.leaves.sealsOf(manager, principal.tenantId, input.packName, input.version);
      if (!seals.some((seal) => seal.packDigest === input.digest))
        throw new NotFoundException(
          `no sealed version ${input.packName}.v${input.version} with digest ${input.digest} in your tenant`,
        );
      const { row, created } = await this.revocations.insertOnce(manager, {
        id: uuidv7(),
        tenantId: principal.tenantId,
        packName: input.packName,
        version: input.version,
        digest: input.digest,
        reason: input.reason.trim(),
        revokedBy: principal.subject,
        revokedAt: new Date(),
      });
      return { revocation: revokedVersionView(row), created };
    });
  }
}
