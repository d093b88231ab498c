import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { PackValidationError, packDigest, type PersonaPack } from '@personae/pack';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { sha256Hex } from '../domain/digests';
import { applyDraftAction } from '../domain/lifecycle';
import { draftPack } from '../domain/registry-fields';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import type { DraftEntity } from '../store/draft.entity';
import { lockDraft } from '../store/locks';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import { draftFacts } from './draft-facts';
import { allowed } from './refusals';

/** Replaces a draft's pack. Any edit returns it to `draft` and voids its approvals. */
@Injectable()
export class UpdateDraft {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, id: string, pack: PersonaPack): Promise<DraftEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      const draft = await lockDraft(tables, id);
      const next = allowed(applyDraftAction(draftFacts(draft), { kind: 'edit' }));
      if (pack.metadata.name !== draft.personaName)
        throw PackValidationError.single(
          '/metadata/name',
          `this draft belongs to ${draft.personaName}; a draft cannot be renamed (clone a version instead)`,
        );
      const persona = await tables.personas.get({ name: draft.personaName }, 'persona');
      const stamped = draftPack(pack, { tenant: principal.tenantId, createdBy: persona.createdBy });
      const updated: DraftEntity = {
        ...draft,
        pack: stamped,
        packDigest: packDigest(stamped),
        state: next.state,
        approvals: [...next.approvals],
        requiredApprovals: stamped.spec.policy.requiredApprovals,
        updatedAt: new Date(),
      };
      await tables.drafts.update(
        { id },
        {
          pack: updated.pack,
          packDigest: updated.packDigest,
          state: updated.state,
          approvals: updated.approvals,
          requiredApprovals: updated.requiredApprovals,
          updatedAt: updated.updatedAt,
        },
      );
      await this.lifecycle.publish(
        manager,
        principal,
        { name: draft.personaName, sessionId: draft.sessionId ?? undefined },
        {
          case: 'draftSaved',
          value: {
            personaName: draft.personaName,
            draftId: id,
            packSha256: sha256Hex(updated.packDigest),
            sessionId: draft.sessionId ?? '',
          },
        },
      );
      return updated;
    });
  }
}
