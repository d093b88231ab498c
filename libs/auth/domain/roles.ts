/**
 * Every role a principal can hold. A principal holds exactly one role: keys and tokens are
 * minted per role so each credential carries the least power its holder needs.
 */
export const ROLES = ['admin', 'trainer', 'reviewer', 'signer', 'auditor', 'orchestrator'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
