import type { PublicKeyView, RevokedVersionView, TrustedIdentityView } from '@personae/sdk';
import type { KeyPurpose, KeyStatus } from './signing-keys';

/**
 * Records as the store holds them, mapped to the wire views of the SDK contract (one definition of
 * the HTTP shapes, shared by server and client). Key views carry public halves only.
 */
export interface KeyRecord {
  keyId: string;
  publicKeyPem: string;
  purpose: KeyPurpose;
  status: KeyStatus;
  createdAt: Date;
  revokedAt: Date | null;
}

export function publicKeyView(key: KeyRecord): PublicKeyView {
  return {
    keyId: key.keyId,
    publicKeyPem: key.publicKeyPem,
    purpose: key.purpose,
    status: key.status,
    createdAt: key.createdAt.toISOString(),
    ...(key.revokedAt ? { revokedAt: key.revokedAt.toISOString() } : {}),
  };
}

export interface RevocationRecord {
  packName: string;
  version: number;
  digest: string;
  reason: string;
  revokedAt: Date;
}

export function revokedVersionView(record: RevocationRecord): RevokedVersionView {
  return {
    packName: record.packName,
    version: record.version,
    digest: record.digest,
    reason: record.reason,
    revokedAt: record.revokedAt.toISOString(),
  };
}

export interface IdentityRecord {
  id: string;
  subject: string;
  displayName: string;
  roles: string[];
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

export function trustedIdentityView(record: IdentityRecord): TrustedIdentityView {
  return {
    id: record.id,
    subject: record.subject,
    displayName: record.displayName,
    roles: [...record.roles],
    createdAt: record.createdAt.toISOString(),
    createdBy: record.createdBy,
    ...(record.revokedAt ? { revokedAt: record.revokedAt.toISOString() } : {}),
  };
}
