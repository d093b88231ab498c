import { sealsRemainValid, type KeyStatus } from './signing-keys';

/** An earlier seal of the same tenant, name and version, with the state of the key that made it. */
export interface PriorSeal {
  logIndex: number;
  /** `sha256:<hex>` */
  digest: string;
  keyStatus: KeyStatus;
}

export type SealDecision =
  | { kind: 'append' }
  /** The same pack was sealed before with a key still trusted: hand back that seal (idempotent retry). */
  | { kind: 'reuse'; logIndex: number }
  | { kind: 'conflict'; reason: string };

/**
 * A sealed version is immutable: `name.vN` names one digest forever. Sealing it again with the same
 * digest returns the earlier seal, unless its key was revoked since — then it is re-sealed with a
 * live key (how a tenant recovers from a compromised key). A revoked version is never sealed again.
 */
export function decideSeal(input: {
  ref: string;
  digest: string;
  prior: readonly PriorSeal[];
  revokedVersion?: { reason: string };
}): SealDecision {
  const { ref, digest, prior } = input;
  if (input.revokedVersion)
    return {
      kind: 'conflict',
      reason: `${ref} is revoked (${input.revokedVersion.reason}); seal a new version instead`,
    };
  const other = prior.find((seal) => seal.digest !== digest);
  if (other)
    return {
      kind: 'conflict',
      reason: `${ref} is already sealed with digest ${other.digest}; a sealed version is immutable, seal a new version`,
    };
  const live = prior.filter((seal) => sealsRemainValid(seal.keyStatus));
  if (live.length === 0) return { kind: 'append' };
  return { kind: 'reuse', logIndex: Math.max(...live.map((seal) => seal.logIndex)) };
}
