import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The caller's bearer token, forwarded to the registry and the knowledge service so they scope and
 * authorise the caller, not the runtime. The auth guard has already verified it.
 */
export const BearerToken = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthorizedException('missing bearer token');
  return match[1]!;
});
