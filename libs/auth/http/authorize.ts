import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { AuthenticationError, type Authenticator } from '../authenticator';
import type { Principal } from '../domain/principal';
import type { Role } from '../domain/roles';

/**
 * Authenticates a request's Authorization header and checks the route's roles: what the global
 * guard does for every route, and fast routes do ahead of Nest's pipeline. A refusal is a 401 with
 * an RFC 6750 challenge (passed to `challenge`) or a 403; tokens never reach a message.
 */
export async function authorize(
  authenticator: Authenticator,
  header: string | string[] | undefined,
  roles: readonly Role[] | undefined,
  challenge: (value: string) => void,
): Promise<Principal> {
  let principal: Principal;
  try {
    principal = await authenticator.authenticate(Array.isArray(header) ? header[0] : header);
  } catch (error) {
    if (!(error instanceof AuthenticationError)) throw error;
    challenge(error.code ? `Bearer realm="personae", error="${error.code}"` : 'Bearer realm="personae"');
    throw new UnauthorizedException(error.message);
  }
  if (roles && !roles.includes(principal.role)) {
    throw new ForbiddenException(`this action requires the role ${roles.join(' or ')}`);
  }
  return principal;
}
