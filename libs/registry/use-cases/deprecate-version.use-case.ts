import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { applyVersionAction } from '../domain/lifecycle';
import { versionRef } from '../domain/persona-ref';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import { lockVersion } from '../store/locks';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import type { VersionEntity } from '../store/version.entity';
import { allowed } from './refusals';

/** sealed → deprecated: still resolvable and verifiable, no longer promotable. */
@Injectable()
export class DeprecateVersion {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, name: string, version: number, reason: string): Promise<VersionEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      const found = await lockVersion(tables, name, version);
      const state = allowed(applyVersionAction(found.state, { kind: 'deprecate' }));
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
        { case: 'deprecated', value: { personaName: name, version, reason } },
      );
      return { ...found, ...patch };
    });
  }
}
