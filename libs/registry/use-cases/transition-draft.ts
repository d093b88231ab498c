import type { Principal } from '@personae/auth';
import type { DataSource } from 'typeorm';
import { applyDraftAction, type DraftAction } from '../domain/lifecycle';
import type { LifecycleChange, LifecyclePublisher } from '../events/lifecycle.publisher';
import type { DraftEntity } from '../store/draft.entity';
import { lockDraft } from '../store/locks';
import { registryTables } from '../store/registry-tables';
import { draftFacts } from './draft-facts';
import { allowed } from './refusals';

/**
 * A state-only move of a draft (submit, withdraw): lock it, let the state machine decide, save the
 * new state and approvals and announce the change — one transaction.
 */
export function transitionDraft(
  dataSource: DataSource,
  lifecycle: LifecyclePublisher,
  principal: Principal,
  id: string,
  action: DraftAction,
  announce: (draft: DraftEntity) => LifecycleChange,
): Promise<DraftEntity> {
  return dataSource.transaction(async (manager) => {
    const tables = registryTables(manager, principal);
    const draft = await lockDraft(tables, id);
    const next = allowed(applyDraftAction(draftFacts(draft), action));
    const patch = { state: next.state, approvals: [...next.approvals], updatedAt: new Date() };
    await tables.drafts.update({ id }, patch);
    await lifecycle.publish(
      manager,
      principal,
      { name: draft.personaName, sessionId: draft.sessionId ?? undefined },
      announce(draft),
    );
    return { ...draft, ...patch };
  });
}
