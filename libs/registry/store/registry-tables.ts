import { TenantScopedRepository, type TenantContext, type TenantView } from '@personae/auth';
import type { EntityManager } from 'typeorm';
import { ChannelEntity, ChannelMoveEntity } from './channel.entity';
import { DraftEntity } from './draft.entity';
import { PersonaEntity } from './persona.entity';
import { ReviewEntity } from './review.entity';
import { VersionEntity } from './version.entity';

export const REGISTRY_SCHEMA = 'registry';
export const REGISTRY_ENTITIES = [
  PersonaEntity,
  DraftEntity,
  ReviewEntity,
  VersionEntity,
  ChannelEntity,
  ChannelMoveEntity,
];

/** The registry's tables as one tenant sees them, bound to a manager (a transaction's, usually). */
export interface RegistryTables {
  personas: TenantView<PersonaEntity>;
  drafts: TenantView<DraftEntity>;
  reviews: TenantView<ReviewEntity>;
  versions: TenantView<VersionEntity>;
  channels: TenantView<ChannelEntity>;
  channelMoves: TenantView<ChannelMoveEntity>;
}

/** Every query goes through these views, so none can forget the tenant filter. */
export function registryTables(manager: EntityManager, tenant: TenantContext): RegistryTables {
  const view = <T extends { tenantId: string }>(entity: new () => T): TenantView<T> =>
    new TenantScopedRepository<T>(manager.getRepository(entity)).for(tenant);
  return {
    personas: view(PersonaEntity),
    drafts: view(DraftEntity),
    reviews: view(ReviewEntity),
    versions: view(VersionEntity),
    channels: view(ChannelEntity),
    channelMoves: view(ChannelMoveEntity),
  };
}
