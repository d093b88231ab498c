import { createHash } from 'node:crypto';

/** DSSE payload type of a runtime receipt: separates it from pack seals and checkpoints. */
export const RECEIPT_PAYLOAD_TYPE = 'application/vnd.personae.runtime-receipt+json';

export type ExecutionOutcome = 'completed' | 'denied' | 'failed';

/** One governance step's verdict, as the receipt records it. */
export interface ReceiptDecision {
  /** input-redaction, action, budget, tool:<name>, output-redaction, output. */
  step: string;
  effect: 'allow' | 'deny' | 'require_approval' | 'redacted';
  ruleIds: string[];
  reasons: string[];
}

/** What was done, by which sealed persona, and what governance said: signed, so it can be shown later. */
export interface ComplianceReceipt {
  receiptId: string;
  /** Receipt format version. */
  v: 1;
  tenant: string;
  principal: string;
  persona: { ref: string; digest: string };
  instance: string | null;
  session: string | null;
  action: string;
  outcome: ExecutionOutcome;
  /** sha256:<hex> of the input as received and of the output as delivered (empty string when none). */
  inputSha256: string;
  outputSha256: string;
  decisions: ReceiptDecision[];
  model: string | null;
  tokens: { input: number; output: number };
  /** USD. */
  cost: number;
  startedAt: string;
  completedAt: string;
}

export interface SignedReceipt {
  receipt: ComplianceReceipt;
  signature: { payloadType: string; keyid: string; sig: string };
}

export function sha256Of(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}
