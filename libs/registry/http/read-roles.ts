import type { Role } from '@personae/auth';

/**
 * Who may read drafts, versions, channels and resolve refs: every data-plane role of the tenant. Not
 * admin: per the auth rules, admin manages keys and nothing else unless a route lists it.
 */
export const READ_ROLES: [Role, ...Role[]] = ['trainer', 'reviewer', 'signer', 'auditor', 'orchestrator'];
