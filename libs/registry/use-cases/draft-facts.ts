import type { DraftFacts } from '../domain/lifecycle';
import type { DraftEntity } from '../store/draft.entity';

/** What the lifecycle needs to know about a stored draft. */
export function draftFacts(draft: DraftEntity): DraftFacts {
  return {
    state: draft.state,
    authorId: draft.authorId,
    trainerIds: draft.trainerIds,
    approvals: draft.approvals,
    requiredApprovals: draft.requiredApprovals,
  };
}
