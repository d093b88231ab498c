import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import type { PersonaEntity } from '../store/persona.entity';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import type { Page } from './drafts.query';

export interface PersonaSummary {
  persona: PersonaEntity;
  /** Highest sealed version, if any. */
  latestVersion: number | undefined;
  drafts: number;
}

@Injectable()
export class PersonaQueries {
  constructor(@InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  async list(principal: Principal, limit: number, offset: number): Promise<Page<PersonaSummary>> {
    const tables = registryTables(this.dataSource.manager, principal);
    const query = tables.personas.queryBuilder('p').orderBy('p.name', 'ASC');
    const total = await query.getCount();
    const personas = await query.offset(offset).limit(limit).getMany();
    const items = await Promise.all(personas.map((persona) => this.summarize(principal, persona)));
    return { items, total, limit, offset };
  }

  async get(principal: Principal, name: string): Promise<PersonaSummary> {
    const persona = await registryTables(this.dataSource.manager, principal).personas.get(
      { name },
      `persona ${name}`,
    );
    return this.summarize(principal, persona);
  }

  private async summarize(principal: Principal, persona: PersonaEntity): Promise<PersonaSummary> {
    const tables = registryTables(this.dataSource.manager, principal);
    const highest = await tables.versions
      .queryBuilder('v')
      .select('MAX(v.version)', 'highest')
      .andWhere('v.personaName = :name', { name: persona.name })
      .getRawOne<{ highest: number | null }>();
    return {
      persona,
      latestVersion: highest?.highest ?? undefined,
      drafts: await tables.drafts.count({ personaName: persona.name }),
    };
  }
}
