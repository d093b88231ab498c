import { HttpException, Logger, NotFoundException, SetMetadata, type INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Authenticator,
  authorize,
  IS_PUBLIC,
  REQUIRED_ROLES,
  type Principal,
  type Role,
} from '@personae/auth';
import { acceptCorrelationId, runWithCorrelation } from '../correlation';
import { timeHttpRequest } from '../metrics';
import { errorBodyOf } from './error-body';

const FAST_ROUTE = 'personae:http:fast-route';
const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Marks a `@Get(':param')` handler of signature `(principal, param, response)` to be served ahead
 * of Nest's pipeline as well: for the few read paths on which other services wait (resolve). The
 * same handler, auth and roles (its @Roles), error bodies, correlation id and metrics; skipped are
 * the router's walk over every route, pipes, interceptors and the per-request logger. The handler
 * writes the answer with node's response API, which both paths hand it.
 */
export const FastRoute = (): MethodDecorator => SetMetadata(FAST_ROUTE, true);

/** A fast-route handler: it answers through `response` itself. */
type FastHandler = (
  principal: Principal | undefined,
  parameter: string,
  response: ServerResponse,
) => Promise<void>;

interface Route {
  /** `/v1/resolve/`: the rest of the path is the parameter. */
  prefix: string;
  /** The route as metrics label it, like Nest's: `/v1/resolve/:ref`. */
  pattern: string;
  roles: readonly Role[] | undefined;
  public: boolean;
  handle: FastHandler;
}

/**
 * Serves the @FastRoute handlers of `app`'s controllers from an Express middleware installed first;
 * every other request continues to Nest untouched. Returns the patterns served, for the log.
 */
export function installFastRoutes(app: INestApplication, accessLog: boolean): string[] {
  const routes = discover(app);
  if (routes.length === 0) return [];
  const authenticator = app.get(Authenticator, { strict: false });
  const logger = new Logger('http');
  app.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (request.method !== 'GET') return next();
    const match = matchRoute(routes, request.url ?? '/');
    if (!match) return next();
    const correlationId = acceptCorrelationId(request.headers[CORRELATION_HEADER]);
    request.headers[CORRELATION_HEADER] = correlationId;
    response.setHeader(CORRELATION_HEADER, correlationId);
    const done = timeHttpRequest();
    const started = accessLog ? performance.now() : 0;
    const serve = async (): Promise<void> => {
      try {
        const principal = match.route.public
          ? undefined
          : await authorize(authenticator, request.headers.authorization, match.route.roles, (challenge) =>
              response.setHeader('www-authenticate', challenge),
            );
        await match.route.handle(principal, decodeParameter(match.raw), response);
      } catch (error) {
        fail(error, request, response, correlationId, logger);
      }
      done({ method: 'GET', route: match.route.pattern, status: String(response.statusCode) });
      if (accessLog)
        logger.log(
          {
            correlationId,
            req: { method: 'GET', url: request.url },
            res: { statusCode: response.statusCode },
            responseTime: Math.round(performance.now() - started),
          },
          'request completed',
        );
    };
    void runWithCorrelation(correlationId, serve);
  });
  return routes.map((route) => route.pattern);
}

function discover(app: INestApplication): Route[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || !wrapper.metatype) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (typeof handler !== 'function' || !reflector.get<boolean>(FAST_ROUTE, handler)) continue;
      const base = trimSlashes(reflector.get<string>(PATH_METADATA, wrapper.metatype) ?? '');
      const path = trimSlashes(reflector.get<string>(PATH_METADATA, handler) ?? '');
      // One trailing parameter only: the prefix match below is all the routing a fast route gets.
      if (!/^:\w+$/.test(path))
        throw new Error(
          `@FastRoute ${wrapper.name}.${name}: the path must be a single ':param', not '${path}'`,
        );
      const targets = [handler, wrapper.metatype];
      routes.push({
        prefix: `/${base}/`,
        pattern: `/${base}/${path}`,
        roles: reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets),
        public: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        handle: (handler as FastHandler).bind(instance),
      });
    }
  }
  return routes;
}

function matchRoute(routes: Route[], url: string): { route: Route; raw: string } | undefined {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  for (const route of routes) {
    if (!path.startsWith(route.prefix)) continue;
    const raw = path.slice(route.prefix.length);
    // `/v1/resolve/` or `/v1/resolve/a/b` is not this route: Nest answers it (404) as before.
    if (raw === '' || raw.includes('/')) return undefined;
    return { route, raw };
  }
  return undefined;
}

function decodeParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new NotFoundException(`malformed path parameter '${raw}'`);
  }
}

function fail(
  error: unknown,
  request: IncomingMessage,
  response: ServerResponse,
  correlationId: string,
  logger: Logger,
): void {
  const path = (request.url ?? '/').split('?')[0]!;
  const body = { ...errorBodyOf(error, 'GET', path), correlationId };
  if (body.statusCode >= 500 || !(error instanceof HttpException))
    logger.error({ err: error, path }, 'request failed');
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(body);
  response.statusCode = body.statusCode;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(text));
  response.end(text);
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
