import { NotFoundException } from '@nestjs/common';
import type { RegistryTables } from './registry-tables';
import type { DraftEntity } from './draft.entity';
import type { PersonaEntity } from './persona.entity';
import type { VersionEntity } from './version.entity';

/**
 * Row locks taken at the start of a transition, so two concurrent requests cannot both pass the same
 * check (two approvals counted once, two seals numbering the same version, two channel moves).
 * FOR NO KEY UPDATE: it excludes the other transitions but not inserts whose foreign keys point at the
 * row (a new draft of a persona does not wait for a seal's signer call).
 */
export async function lockDraft(tables: RegistryTables, id: string): Promise<DraftEntity> {
  const draft = await tables.drafts
    .queryBuilder('d')
    .andWhere('d.id = :id', { id })
    .setLock('for_no_key_update')
    .getOne();
  if (!draft) throw new NotFoundException(`draft ${id} not found`);
  return draft;
}

/** Serialises every seal and channel move of one persona. */
export async function lockPersona(tables: RegistryTables, name: string): Promise<PersonaEntity> {
  const persona = await tables.personas
    .queryBuilder('p')
    .andWhere('p.name = :name', { name })
    .setLock('for_no_key_update')
    .getOne();
  if (!persona) throw new NotFoundException(`persona ${name} not found`);
  return persona;
}

export async function lockVersion(
  tables: RegistryTables,
  name: string,
  version: number,
): Promise<VersionEntity> {
  const found = await tables.versions
    .queryBuilder('v')
    .andWhere('v.personaName = :name AND v.version = :version', { name, version })
    .setLock('for_no_key_update')
    .getOne();
  if (!found) throw new NotFoundException(`version ${name}.v${version} not found`);
  return found;
}
