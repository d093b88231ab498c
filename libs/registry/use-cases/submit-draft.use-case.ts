import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { applyDraftAction } from '../domain/lifecycle';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import type { DraftEntity } from '../store/draft.entity';
import { lockDraft } from '../store/locks';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import { draftFacts } from './draft-facts';
import { allowed } from './refusals';

/** draft | rejected → in_review: asks reviewers to look at it. */
@Injectable()
export class SubmitDraft {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, id: string): Promise<DraftEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      const draft = await lockDraft(tables, id);
      const next = allowed(applyDraftAction(draftFacts(draft), { kind: 'submit' }));
      const patch = { state: next.state, approvals: [...next.approvals], updatedAt: new Date() };
      await tables.drafts.update({ id }, patch);
      await this.lifecycle.publish(
        manager,
        principal,
        { name: draft.personaName, sessionId: draft.sessionId ?? undefined },
        { case: 'reviewRequested', value: { personaName: draft.personaName, draftId: id } },
      );
      return { ...draft, ...patch };
    });
  }
}
