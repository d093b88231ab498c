import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { versionRef } from '../domain/persona-ref';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import type { VersionEntity } from '../store/version.entity';

@Injectable()
export class VersionQueries {
  constructor(@InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  /** Every version of a persona, newest first (404 for an unknown persona). */
  async list(principal: Principal, name: string): Promise<VersionEntity[]> {
    const tables = registryTables(this.dataSource.manager, principal);
    await tables.personas.get({ name }, `persona ${name}`);
    return tables.versions.find({ where: { personaName: name }, order: { version: 'DESC' } });
  }

  get(principal: Principal, name: string, version: number): Promise<VersionEntity> {
    return registryTables(this.dataSource.manager, principal).versions.get(
      { personaName: name, version },
      `version ${versionRef(name, version)}`,
    );
  }
}
