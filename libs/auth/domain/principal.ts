import type { Role } from './roles';

/** Who is calling: set on `request.principal` by the auth guard for every non-public route. */
export interface Principal {
  /** `apikey:<id>` for API keys, the `sub` claim for JWTs. Recorded as the actor of what it does. */
  subject: string;
  tenantId: string;
  role: Role;
  via: 'api-key' | 'jwt';
  /** Present when `via` is `api-key`. */
  keyId?: string;
}
