import { ConflictException, Injectable } from '@nestjs/common';
import { tenantScope, type Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { packDigest, type PersonaPack } from '@personae/pack';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { draftPack } from '../domain/registry-fields';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import type { DraftEntity } from '../store/draft.entity';
import { PersonaEntity } from '../store/persona.entity';
import { REGISTRY_SCHEMA, registryTables, type RegistryTables } from '../store/registry-tables';
import { isUniqueViolation } from './refusals';
import { sha256Hex } from '../domain/digests';

export interface NewDraft {
  /** A validated pack (validatePack / parsePack output). */
  pack: PersonaPack;
  /** Training session the draft was synthesized from. */
  sessionId?: string;
  /** Trainers of that session: like the author, they may not review the draft. */
  trainerIds?: string[];
}

/**
 * Saves a new draft (POST drafts, import). The first draft of a name creates the persona, owned by its
 * author; later drafts of the name become its next versions.
 */
@Injectable()
export class CreateDraft {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, input: NewDraft): Promise<DraftEntity> {
    return this.dataSource.transaction(async (manager) => {
      const persona = await ensurePersona(manager, principal, input.pack.metadata.name);
      return saveNewDraft(manager, this.lifecycle, principal, persona, input);
    });
  }
}

/** The persona of that name, created (owned by the caller) if it does not exist yet. */
async function ensurePersona(
  manager: EntityManager,
  principal: Principal,
  name: string,
): Promise<PersonaEntity> {
  // ON CONFLICT DO NOTHING: two first drafts of one name at once both succeed, on one persona.
  await manager
    .createQueryBuilder()
    .insert()
    .into(PersonaEntity)
    .values({
      ...tenantScope(principal),
      name,
      createdBy: principal.subject,
      forkedFrom: null,
      createdAt: new Date(),
    })
    .orIgnore()
    .execute();
  return registryTables(manager, principal).personas.get({ name }, 'persona');
}

/** Inserts a brand-new persona (clone): 409 when the name is taken in the tenant. */
export async function insertPersona(
  tables: RegistryTables,
  principal: Principal,
  name: string,
  forkedFrom: string,
): Promise<PersonaEntity> {
  const persona = {
    ...tenantScope(principal),
    name,
    createdBy: principal.subject,
    forkedFrom,
    createdAt: new Date(),
  };
  if (await tables.personas.findOne({ name }))
    throw new ConflictException(`a persona named ${name} already exists`);
  try {
    await tables.personas.insert(persona);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictException(`a persona named ${name} already exists`);
    throw error;
  }
  return persona;
}

/** Stamps, inserts and announces a draft of `persona`, in the caller's transaction. */
export async function saveNewDraft(
  manager: EntityManager,
  lifecycle: LifecyclePublisher,
  principal: Principal,
  persona: PersonaEntity,
  input: NewDraft,
): Promise<DraftEntity> {
  const pack = draftPack(input.pack, { tenant: principal.tenantId, createdBy: persona.createdBy });
  const now = new Date();
  const draft: DraftEntity = {
    id: uuidv7(),
    ...tenantScope(principal),
    personaName: persona.name,
    pack,
    packDigest: packDigest(pack),
    state: 'draft',
    authorId: principal.subject,
    trainerIds: [...new Set(input.trainerIds ?? [])],
    sessionId: input.sessionId ?? null,
    approvals: [],
    requiredApprovals: pack.spec.policy.requiredApprovals,
    version: null,
    createdAt: now,
    updatedAt: now,
  };
  await registryTables(manager, principal).drafts.insert(draft);
  await lifecycle.publish(
    manager,
    principal,
    { name: persona.name, sessionId: draft.sessionId ?? undefined },
    {
      case: 'draftSaved',
      value: {
        personaName: persona.name,
        draftId: draft.id,
        packSha256: sha256Hex(draft.packDigest),
        sessionId: draft.sessionId ?? '',
      },
    },
  );
  return draft;
}
