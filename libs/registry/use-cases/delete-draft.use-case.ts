import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { applyDraftAction } from '../domain/lifecycle';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import { lockDraft } from '../store/locks';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import { draftFacts } from './draft-facts';
import { allowed } from './refusals';

/**
 * Deletes a draft that never became a version (with its reviews). A persona left with no draft and no
 * version is deleted too, freeing its name. Announced as `draftDeleted` in the same transaction.
 */
@Injectable()
export class DeleteDraft {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, id: string): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      const draft = await lockDraft(tables, id);
      allowed(applyDraftAction(draftFacts(draft), { kind: 'delete' }));
      await tables.reviews.delete({ draftId: id });
      await tables.drafts.delete({ id });
      const name = draft.personaName;
      const left =
        (await tables.drafts.count({ personaName: name })) +
        (await tables.versions.count({ personaName: name }));
      if (left === 0) await tables.personas.delete({ name });
      await this.lifecycle.publish(
        manager,
        principal,
        { name, sessionId: draft.sessionId ?? undefined },
        { case: 'draftDeleted', value: { personaName: name, draftId: id, personaDeleted: left === 0 } },
      );
    });
  }
}
