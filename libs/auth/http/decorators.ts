import {
  createParamDecorator,
  SetMetadata,
  UnauthorizedException,
  type ExecutionContext,
} from '@nestjs/common';
import type { Principal } from '../domain/principal';
import type { Role } from '../domain/roles';

export const IS_PUBLIC = 'personae:auth:public';
export const REQUIRED_ROLES = 'personae:auth:roles';

/** Opens a route (or a whole controller) to unauthenticated callers: health, metrics, docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * Restricts a route (or controller) to principals holding one of `roles`. A method's roles
 * replace its controller's. Admin is not implied: list 'admin' where an admin may act.
 */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/** The request as the auth guard leaves it. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

/** Injects the authenticated Principal into a handler parameter. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    // Only reachable on a @Public() route, where nobody was authenticated.
    if (!principal) throw new UnauthorizedException('authentication required');
    return principal;
  },
);
