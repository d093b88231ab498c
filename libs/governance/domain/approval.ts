export type ApprovalState = 'pending' | 'approved' | 'denied';
export type ApprovalVerdict = 'approved' | 'denied';

export type ApprovalTransition = { ok: true; state: ApprovalVerdict } | { ok: false; reason: string };

/** An approval is resolved once, by a reviewer; a second answer is a conflict, not an override. */
export function resolveApproval(state: ApprovalState, verdict: ApprovalVerdict): ApprovalTransition {
  if (state !== 'pending') return { ok: false, reason: `the approval was already ${state}` };
  return { ok: true, state: verdict };
}
