import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { applyVersionAction } from '../domain/lifecycle';
import { versionRef } from '../domain/persona-ref';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import { SignerGateway } from '../signer/signer.gateway';
import { lockVersion } from '../store/locks';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import type { VersionEntity } from '../store/version.entity';
import { allowed } from './refusals';

/**
 * → revoked: resolving it answers 410, and the signer publishes the revocation in its trust root so
 * offline verifiers refuse it too. The signer is told first, inside the transaction: if it refuses,
 * nothing is written.
 */
@Injectable()
export class RevokeVersion {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
    private readonly signer: SignerGateway,
  ) {}

  execute(
    principal: Principal,
    token: string,
    name: string,
    version: number,
    reason: string,
  ): Promise<VersionEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      const found = await lockVersion(tables, name, version);
      const state = allowed(applyVersionAction(found.state, { kind: 'revoke' }));
      await this.signer.revokeVersion(token, { packName: name, version, digest: found.digest, reason });
      const patch = {
        state,
        stateReason: reason,
        stateChangedBy: principal.subject,
        stateChangedAt: new Date(),
      };
      await tables.versions.update({ personaName: name, version }, patch);
      await this.lifecycle.publish(
        manager,
        principal,
        { name, personaRef: versionRef(name, version) },
        { case: 'revoked', value: { personaName: name, version, reason } },
      );
      return { ...found, ...patch };
    });
  }
}
