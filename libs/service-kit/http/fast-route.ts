import {
  HttpException,
  Logger,
  NotFoundException,
  SetMetadata,
  type INestApplication,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HEADERS_METADATA,
  HTTP_CODE_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  REDIRECT_METADATA,
  RENDER_METADATA,
  SSE_METADATA,
} from '@nestjs/common/constants';
import { DiscoveryService, ModuleRef, Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { Authenticator, authorize, IS_PUBLIC, REQUIRED_ROLES, type Role } from '@personae/auth';
import { currentCorrelationId } from '../correlation';
import { timeHttpRequest } from '../metrics';
import { errorBodyOf } from './error-body';
import {
  assertUnambiguous,
  compile,
  controllerRoutes,
  describe,
  matchRoute,
  type CompiledRoute,
  type ControllerRoute,
} from './fast-route-table';
import { handlerArguments, type HandlerArguments } from './handler-arguments';
import { sendJson } from './send-json';

const FAST_ROUTE = 'personae:http:fast-route';
const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Marks a handler to be served ahead of Nest's router as well: for the hot paths other services
 * and clients call all day (resolve, training messages and annotations, runtime execute). The same
 * handler, arguments (decorators, validation and parameter pipes), auth and roles, status code,
 * error bodies, correlation id and metrics; skipped are the router's walk over every route of every
 * service, the per-request logger middleware and Nest's per-call context machinery. A handler with
 * guards, interceptors, pipes or filters of its own is refused at start: those would be skipped.
 */
export const FastRoute = (): MethodDecorator => SetMetadata(FAST_ROUTE, true);

interface Target {
  roles: readonly Role[] | undefined;
  public: boolean;
  arguments: HandlerArguments;
  status: number;
  call: (...values: unknown[]) => Promise<unknown>;
}

export interface FastRouteOptions {
  /** The app's global pipes (validation), applied as Nest applies them. */
  globalPipes: PipeTransform[];
  /** Log every request, as pino-http does on Nest's path. */
  accessLog: boolean;
}

/**
 * Serves the @FastRoute handlers of `app`'s controllers from an Express middleware; install it after
 * the correlation and body-parsing middleware and before anything else. Every other request goes on
 * to Nest untouched. Returns the routes served, for the log.
 */
export async function installFastRoutes(app: INestApplication, options: FastRouteOptions): Promise<string[]> {
  const reflector = app.get(Reflector, { strict: false });
  const moduleRef = app.get(ModuleRef, { strict: false });
  const create = (pipe: Type<PipeTransform>): Promise<PipeTransform> => moduleRef.create(pipe);
  const all = controllerRoutes(app.get(DiscoveryService, { strict: false }));
  const fast: CompiledRoute<Target>[] = [];
  for (const route of all)
    if (reflector.get<boolean>(FAST_ROUTE, route.handler))
      fast.push(compile(route, await targetOf(route, reflector, options.globalPipes, create)));
  if (fast.length === 0) return [];
  assertUnambiguous(fast, all);
  const authenticator = app.get(Authenticator, { strict: false });
  const logger = new Logger('http');
  app.use((request: Request, response: Response, next: NextFunction) => {
    const url = request.url;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const match = matchRoute(fast, request.method, path);
    if (!match) return next();
    void serve(match.route, match.params, request, response, authenticator, logger, options.accessLog);
  });
  return fast.map(({ route }) => `${route.method} ${route.pattern}`);
}

async function targetOf(
  route: ControllerRoute,
  reflector: Reflector,
  globalPipes: PipeTransform[],
  create: (pipe: Type<PipeTransform>) => Promise<PipeTransform>,
): Promise<Target> {
  for (const key of [GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, EXCEPTION_FILTERS_METADATA])
    if (reflector.getAllAndMerge<unknown[]>(key, [route.handler, route.controller]).length > 0)
      throw new Error(`@FastRoute ${describe(route)}: ${key} of its own would be skipped on the fast path`);
  for (const key of [HEADERS_METADATA, REDIRECT_METADATA, RENDER_METADATA, SSE_METADATA])
    if (reflector.get(key, route.handler) !== undefined)
      throw new Error(`@FastRoute ${describe(route)}: ${key} is not supported on the fast path`);
  const targets = [route.handler, route.controller];
  return {
    roles: reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets),
    public: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
    arguments: await handlerArguments(route, globalPipes, create),
    status: reflector.get<number>(HTTP_CODE_METADATA, route.handler) ?? (route.method === 'POST' ? 201 : 200),
    call: (route.handler as (...values: unknown[]) => Promise<unknown>).bind(route.instance),
  };
}

async function serve(
  compiled: CompiledRoute<Target>,
  rawParams: Record<string, string>,
  request: Request,
  response: Response,
  authenticator: Authenticator,
  logger: Logger,
  accessLog: boolean,
): Promise<void> {
  const { route, target } = compiled;
  const correlationId = currentCorrelationId() ?? '';
  response.setHeader(CORRELATION_HEADER, correlationId);
  const done = timeHttpRequest();
  const started = accessLog ? performance.now() : 0;
  try {
    const params = decodeParameters(rawParams);
    request.params = params;
    if (!target.public)
      (request as Request & { principal?: unknown }).principal = await authorize(
        authenticator,
        request.headers.authorization,
        target.roles,
        (challenge) => response.setHeader('www-authenticate', challenge),
      );
    const values = await target.arguments.resolve(request, response, params);
    const result = await target.call(...values);
    if (!target.arguments.answersItself) {
      // As Nest's express adapter replies, but objects without an ETag (see sendJson).
      if (typeof result === 'object' && result !== null) sendJson(response, target.status, result);
      else {
        response.status(target.status);
        if (result === undefined || result === null) response.send();
        else response.send(typeof result === 'string' ? result : JSON.stringify(result));
      }
    }
  } catch (error) {
    fail(error, request, response, correlationId, logger);
  }
  done({ method: route.method, route: route.pattern, status: String(response.statusCode) });
  if (accessLog)
    logger.log(
      {
        correlationId,
        req: { method: request.method, url: request.url },
        res: { statusCode: response.statusCode },
        responseTime: Math.round(performance.now() - started),
      },
      'request completed',
    );
}

function decodeParameters(raw: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw new NotFoundException(`malformed path parameter '${value}'`);
    }
  }
  return params;
}

function fail(
  error: unknown,
  request: Request,
  response: Response,
  correlationId: string,
  logger: Logger,
): void {
  const path = request.url.split('?')[0]!;
  const body = { ...errorBodyOf(error, request.method, path), correlationId };
  if (body.statusCode >= 500 || !(error instanceof HttpException))
    logger.error({ err: error, path }, 'request failed');
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, body.statusCode, body);
}
