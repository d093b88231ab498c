import { ConflictException, Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { validatePack } from '@personae/pack';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { versionRef } from '../domain/persona-ref';
import { forkedPack } from '../domain/registry-fields';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import type { DraftEntity } from '../store/draft.entity';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import { insertPersona, saveNewDraft } from './create-draft.use-case';

/**
 * Starts a new persona from a sealed version of another (the latest usable one unless a version is
 * given): a new draft whose metadata.forkedFrom names the source version.
 */
@Injectable()
export class ClonePersona {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, name: string, newName: string, version?: number): Promise<DraftEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      await tables.personas.get({ name }, 'persona');
      const source = version
        ? await tables.versions.get({ personaName: name, version }, `version ${versionRef(name, version)}`)
        : await tables.versions
            .queryBuilder('v')
            .andWhere('v.personaName = :name AND v.state <> :revoked', { name, revoked: 'revoked' })
            .orderBy('v.version', 'DESC')
            .getOne();
      if (!source) throw new ConflictException(`${name} has no sealed version to clone`);
      if (source.state === 'revoked')
        throw new ConflictException(`${versionRef(name, source.version)} is revoked and cannot be cloned`);
      const ref = versionRef(name, source.version);
      const owner = { tenant: principal.tenantId, createdBy: principal.subject };
      const pack = forkedPack(validatePack(JSON.parse(source.canonical)), newName, ref, owner);
      const persona = await insertPersona(tables, principal, newName, ref);
      return saveNewDraft(manager, this.lifecycle, principal, persona, { pack });
    });
  }
}
