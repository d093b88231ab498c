import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Authenticator } from '../authenticator';
import type { Role } from '../domain/roles';
import { authorize } from './authorize';
import { IS_PUBLIC, REQUIRED_ROLES, type AuthenticatedRequest } from './decorators';

interface HttpRequest extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
}

interface HttpResponse {
  setHeader?(name: string, value: string): unknown;
}

/**
 * Installed globally (APP_GUARD): every HTTP route needs a valid bearer token unless marked
 * @Public(); then @Roles() is enforced. Tokens never reach a log: failures carry only a reason.
 * Event handlers (non-HTTP contexts) are not behind bearer auth; their transport is trusted.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    request.principal = await authorize(
      this.authenticator,
      request.headers.authorization,
      this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets),
      (challenge) => http.getResponse<HttpResponse>().setHeader?.('WWW-Authenticate', challenge),
    );
    return true;
  }
}
