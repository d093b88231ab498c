/**
 * What each signing key is for. Pack-signer keys belong to one tenant (its admin rotates and revokes
 * them, and a tenant's verifiers trust only its own); the log and receipt keys belong to the platform.
 */
export const KEY_PURPOSES = ['pack-signer', 'log', 'receipt'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** Created at first start, one active each, shared by every tenant. */
export const PLATFORM_KEY_PURPOSES = ['log', 'receipt'] as const satisfies readonly KeyPurpose[];

/**
 * active: signs new seals. retired: rotated out, signs nothing new, its seals still verify.
 * revoked: its seals are refused, whenever made; its private half is erased.
 */
export type KeyStatus = 'active' | 'retired' | 'revoked';

export const MAX_REASON_LENGTH = 1000;

/** Who owns a key: a tenant, or the platform (null). */
export type KeyOwner = string | null;

export function keyOwnerLabel(owner: KeyOwner): string {
  return owner === null ? 'platform' : `tenant ${owner}`;
}

/**
 * Bound into every private-key ciphertext (AAD, not stored): a blob copied onto another key's row
 * fails to decrypt instead of silently signing as the wrong key.
 */
export function privateKeyContext(keyId: string): string {
  return `personae:signer:private-key:${keyId}`;
}

export type RevocationPlan =
  | { kind: 'already-revoked' }
  | {
      kind: 'revoke';
      /** The active key goes: a fresh one takes over so sealing continues. */ replaceActive: boolean;
    };

/** Revoking is final and idempotent; revoking the active key also rotates. */
export function planRevocation(status: KeyStatus): RevocationPlan {
  switch (status) {
    case 'revoked':
      return { kind: 'already-revoked' };
    case 'active':
      return { kind: 'revoke', replaceActive: true };
    case 'retired':
      return { kind: 'revoke', replaceActive: false };
    default:
      return assertNever(status);
  }
}

/** Whether bundles signed by a key in this state still verify. */
export function sealsRemainValid(status: KeyStatus): boolean {
  return status !== 'revoked';
}

function assertNever(value: never): never {
  throw new Error(`unhandled key status ${String(value)}`);
}
