/**
 * The persona lifecycle as an explicit state machine.
 *
 * A draft is mutable and moves draft → in_review → approved | rejected; sealing an approved
 * draft creates an immutable version (sealed → deprecated | revoked). Every refusal says why.
 */
export type DraftState = 'draft' | 'in_review' | 'approved' | 'rejected' | 'sealed';
export type VersionState = 'sealed' | 'deprecated' | 'revoked';

export interface Approval {
  reviewerId: string;
  comment: string;
  at: string;
}

export interface DraftFacts {
  state: DraftState;
  authorId: string;
  /** Trainers of the sessions the draft was synthesized from. */
  trainerIds: readonly string[];
  approvals: readonly Approval[];
  requiredApprovals: number;
}

export type DraftAction =
  | { kind: 'edit' }
  | { kind: 'submit' }
  | { kind: 'withdraw' }
  | { kind: 'approve'; reviewerId: string; comment: string; at: string }
  | { kind: 'reject'; reviewerId: string; comment: string }
  | { kind: 'seal' }
  | { kind: 'delete' };

/**
 * Why an action was refused: `state` — not allowed from the current state (HTTP 409); `four-eyes` —
 * this person may not review this draft (403); `input` — the request itself is incomplete (400).
 */
export type Refusal = 'state' | 'four-eyes' | 'input';

export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string; refusal: Refusal };

export const refuse = <T>(reason: string, refusal: Refusal = 'state'): Outcome<T> => ({
  ok: false,
  reason,
  refusal,
});

/** Applies an action to a draft: the next state and approvals, or why the action is not allowed. */
export function applyDraftAction(
  draft: DraftFacts,
  action: DraftAction,
): Outcome<{ state: DraftState; approvals: readonly Approval[] }> {
  const { state } = draft;
  switch (action.kind) {
    case 'edit':
      if (state === 'in_review') return refuse('a draft in review cannot be edited: withdraw it first');
      if (state === 'sealed')
        return refuse('a sealed draft is immutable: create a new draft from its version');
      // Any edit voids earlier approvals: reviewers approved other content.
      return { ok: true, value: { state: 'draft', approvals: [] } };
    case 'submit':
      if (state !== 'draft' && state !== 'rejected')
        return refuse(`only a draft can be submitted for review (state is ${state})`);
      return { ok: true, value: { state: 'in_review', approvals: [] } };
    case 'withdraw':
      if (state !== 'in_review') return refuse(`only a draft in review can be withdrawn (state is ${state})`);
      return { ok: true, value: { state: 'draft', approvals: [] } };
    case 'approve': {
      if (state !== 'in_review') return refuse(`only a draft in review can be approved (state is ${state})`);
      const conflict = fourEyesConflict(draft, action.reviewerId);
      if (conflict) return conflict;
      const approvals = [
        ...draft.approvals,
        { reviewerId: action.reviewerId, comment: action.comment, at: action.at },
      ];
      const next = approvals.length >= draft.requiredApprovals ? 'approved' : 'in_review';
      return { ok: true, value: { state: next, approvals } };
    }
    case 'reject': {
      if (state !== 'in_review') return refuse(`only a draft in review can be rejected (state is ${state})`);
      const conflict = fourEyesConflict(draft, action.reviewerId);
      if (conflict) return conflict;
      if (!action.comment.trim()) return refuse('a rejection needs a comment saying what to change', 'input');
      return { ok: true, value: { state: 'rejected', approvals: [] } };
    }
    case 'seal':
      if (state !== 'approved') return refuse(`only an approved draft can be sealed (state is ${state})`);
      if (draft.approvals.length < draft.requiredApprovals) {
        return refuse(
          `sealing needs ${draft.requiredApprovals} approvals, the draft has ${draft.approvals.length}`,
        );
      }
      return { ok: true, value: { state: 'sealed', approvals: draft.approvals } };
    case 'delete':
      if (state === 'sealed')
        return refuse('a sealed draft is the source of a version and cannot be deleted');
      return { ok: true, value: { state, approvals: draft.approvals } };
    default:
      return assertNever(action);
  }
}

/** Four eyes: nobody reviews their own work, and each reviewer counts once. */
function fourEyesConflict(draft: DraftFacts, reviewerId: string): Outcome<never> | undefined {
  if (reviewerId === draft.authorId) return refuse('the author of a draft cannot review it', 'four-eyes');
  if (draft.trainerIds.includes(reviewerId))
    return refuse('a trainer of the draft cannot review it', 'four-eyes');
  if (draft.approvals.some((a) => a.reviewerId === reviewerId))
    return refuse('this reviewer has already approved the draft');
  return undefined;
}

export type VersionAction =
  { kind: 'deprecate' } | { kind: 'revoke' } | { kind: 'promote' } | { kind: 'rollback' };

/** What may happen to a sealed version. */
export function applyVersionAction(state: VersionState, action: VersionAction): Outcome<VersionState> {
  switch (action.kind) {
    case 'deprecate':
      if (state !== 'sealed') return refuse(`only a sealed version can be deprecated (state is ${state})`);
      return { ok: true, value: 'deprecated' };
    case 'revoke':
      if (state === 'revoked') return refuse('the version is already revoked');
      return { ok: true, value: 'revoked' };
    case 'promote':
      if (state === 'revoked') return refuse('a revoked version cannot be promoted to a channel');
      // Deprecated means retired: new deployments must not pick it up (a rollback still may).
      if (state === 'deprecated') return refuse('a deprecated version cannot be promoted to a channel');
      return { ok: true, value: state };
    case 'rollback':
      if (state === 'revoked') return refuse('a channel cannot be rolled back to a revoked version');
      return { ok: true, value: state };
    default:
      return assertNever(action);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled action ${JSON.stringify(value)}`);
}
