/**
 * Roles of a trusted signer identity, inside its tenant. pack-signer may seal (and revoke what was
 * sealed); pack-revoker may only revoke sealed versions, e.g. a security team that must be able to
 * pull a version without being able to publish one.
 */
export const IDENTITY_ROLES = ['pack-signer', 'pack-revoker'] as const;
export type IdentityRole = (typeof IDENTITY_ROLES)[number];

/** Roles that allow revoking a sealed version. */
export const REVOKING_ROLES: readonly IdentityRole[] = ['pack-signer', 'pack-revoker'];

export const MAX_SUBJECT_LENGTH = 256;
export const MAX_DISPLAY_NAME_LENGTH = 200;

export function holdsAnyRole(roles: readonly string[], wanted: readonly IdentityRole[]): boolean {
  return wanted.some((role) => roles.includes(role));
}
