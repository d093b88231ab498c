export type ApprovalState = 'pending' | 'approved' | 'denied';
export type ApprovalVerdict = 'approved' | 'denied';

export type ApprovalTransition = { ok: true; state: ApprovalVerdict } | { ok: false; reason: string };

/** An approval is resolved once, by a reviewer; a second answer is a conflict, not an override. */
export function resolveApproval(state: ApprovalState, verdict: ApprovalVerdict): ApprovalTransition {
  if (state !== 'pending') return { ok: false, reason: `the approval was already ${state}` };
  return { ok: true, state: verdict };
}

export interface ApprovalFacts {
  state: ApprovalState;
  personaName: string;
  action: string;
  tool: string | null;
  usedByDecision: string | null;
}

export type Redemption =
  | { kind: 'allow' }
  | { kind: 'deny'; reason: string }
  | { kind: 'pending' }
  | { kind: 'invalid'; reason: string };

/**
 * What an approval means for a new decision that would again require approval: approved and unused
 * for this very persona and action → allow (once); denied → deny; pending → still waiting.
 */
export function redeemApproval(
  approval: ApprovalFacts,
  request: { persona: string; action: string; tool?: string },
): Redemption {
  if (
    approval.personaName !== request.persona ||
    approval.action !== request.action ||
    (approval.tool ?? undefined) !== request.tool
  )
    return { kind: 'invalid', reason: 'the approval was given for another persona or action' };
  if (approval.state === 'denied') return { kind: 'deny', reason: 'a reviewer denied this action' };
  if (approval.state === 'pending') return { kind: 'pending' };
  if (approval.usedByDecision !== null) return { kind: 'invalid', reason: 'the approval was already used' };
  return { kind: 'allow' };
}
