import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { applyDraftAction } from '../domain/lifecycle';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import type { DraftEntity } from '../store/draft.entity';
import { lockDraft } from '../store/locks';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import type { ReviewVerdict } from '../store/review.entity';
import { draftFacts } from './draft-facts';
import { allowed } from './refusals';

/**
 * A reviewer's verdict on a draft in review, with a comment. Approvals count once per reviewer and
 * never from the author or a trainer of the draft; the required number makes it `approved`.
 */
@Injectable()
export class ReviewDraft {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, id: string, verdict: ReviewVerdict, comment: string): Promise<DraftEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      const draft = await lockDraft(tables, id);
      const at = new Date();
      const reviewerId = principal.subject;
      const next = allowed(
        applyDraftAction(
          draftFacts(draft),
          verdict === 'approved'
            ? { kind: 'approve', reviewerId, comment, at: at.toISOString() }
            : { kind: 'reject', reviewerId, comment },
        ),
      );
      const patch = { state: next.state, approvals: [...next.approvals], updatedAt: at };
      await tables.drafts.update({ id }, patch);
      await tables.reviews.insert({ id: uuidv7(), draftId: id, reviewerId, verdict, comment, at });
      await this.lifecycle.publish(
        manager,
        principal,
        { name: draft.personaName, sessionId: draft.sessionId ?? undefined },
        {
          case: 'reviewSubmitted',
          value: { personaName: draft.personaName, draftId: id, verdict, comment, state: next.state },
        },
      );
      return { ...draft, ...patch };
    });
  }
}
