import { createHash } from 'node:crypto';
import { freshRandom } from './random-pool';

/**
 * Payload fields that carry personal data (free text written by people or models, tool arguments
 * and results, file names, dead-lettered originals), by event type and proto3 JSON path. The
 * ledger never stores them in clear: each is replaced in the hashed entry by a salted commitment
 * `pii:sha256:<hex>` (SHA-256(salt ‖ UTF-8 value)); value and salt go, envelope-encrypted, to the
 * PII vault. The chain therefore commits to the commitment, so it verifies without decryption and
 * after retention erased the vault row; a revealed value is proven genuine by recomputing it.
 */
export const PII_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'training.conversation.turn': ['content'],
  'training.tools.run': ['inputJson', 'outputJson', 'error'],
  'training.annotations.added': ['correctedAnswer', 'rationale'],
  'training.attachments.uploaded': ['fileName'],
  'training.session.closed': ['reason'],
  'synthesis.drafts.synthesized': ['summary'],
  'synthesis.drafts.failed': ['reason'],
  'persona.lifecycle.reviewSubmitted': ['comment'],
  'governance.decisions.approvalResolved': ['comment'],
  'deadletter.deadLettered': ['original', 'error'],
};

export const PII_PREFIX = 'pii:sha256:';

export interface SealedField {
  /** Standard base64 of the 16-byte salt. */
  salt: string;
  value: string;
}

export interface PiiSeal {
  /** The payload with every PII field replaced by its commitment. */
  payload: Record<string, unknown>;
  /** `<oneof case>.<field>` → salt and clear value; empty when the event carries none. */
  fields: Record<string, SealedField>;
}

export function commitment(salt: Buffer, value: string): string {
  return PII_PREFIX + createHash('sha256').update(salt).update(value, 'utf8').digest('hex');
}

/**
 * `payload` is the proto3 JSON of a topic's payload message: `{ <case>: { ...fields } }`.
 * Returns a new object; the input is left as it was.
 */
export function sealPii(type: string, payload: Record<string, unknown>): PiiSeal {
  const [eventCase, body] = Object.entries(payload)[0] ?? [];
  const fields = PII_FIELDS[type];
  if (!fields || eventCase === undefined || !isRecord(body)) return { payload, fields: {} };
  const sealedBody: Record<string, unknown> = { ...body };
  const sealed: Record<string, SealedField> = {};
  for (const field of fields) {
    const value = body[field];
    if (typeof value !== 'string' || value.length === 0) continue;
    const salt = freshRandom(16);
    sealedBody[field] = commitment(salt, value);
    sealed[`${eventCase}.${field}`] = { salt: salt.toString('base64'), value };
  }
  return { payload: { ...payload, [eventCase]: sealedBody }, fields: sealed };
}

export type RevealedField = { path: string; value: string; matches: boolean };

/** Checks revealed values against the commitments in the (hashed) entry payload. */
export function checkRevealed(
  payload: Record<string, unknown>,
  fields: Record<string, SealedField>,
): RevealedField[] {
  return Object.entries(fields).map(([path, field]) => {
    const [eventCase, name] = path.split('.') as [string, string];
    const body = payload[eventCase];
    const committed = isRecord(body) ? body[name] : undefined;
    return {
      path,
      value: field.value,
      matches: committed === commitment(Buffer.from(field.salt, 'base64'), field.value),
    };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
