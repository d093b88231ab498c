import type { ArgumentMetadata, PipeTransform, Type } from '@nestjs/common';
import { CUSTOM_ROUTE_ARGS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Request, Response } from 'express';
import { describe, type ControllerRoute } from './fast-route-table';

/** What a handler's parameter is taken from on the fast path. */
interface Argument {
  index: number;
  extract: (request: Request, response: Response, params: Record<string, string>) => unknown;
  /** Global pipes then the parameter's own, as Nest applies them; empty for request/response/headers. */
  pipes: PipeTransform[];
  metadata: ArgumentMetadata;
}

interface ArgumentDeclaration {
  index: number;
  data?: string;
  pipes?: (PipeTransform | Type<PipeTransform>)[];
  factory?: (data: unknown, context: ExecutionContextHost) => unknown;
}

export interface HandlerArguments {
  /** The handler writes the answer itself (@Res()); otherwise its result is sent as JSON. */
  answersItself: boolean;
  resolve: (request: Request, response: Response, params: Record<string, string>) => Promise<unknown[]>;
}

/**
 * Builds a handler's arguments from its Nest parameter decorators exactly as Nest's router does:
 * @Req, @Res, @Body, @Param, @Query, @Headers and custom decorators (@CurrentPrincipal), with the
 * global pipes (validation) and each parameter's pipes, in Nest's order. Anything else (files,
 * sessions, @Next) is refused when the app starts, not discovered at the first request.
 */
export async function handlerArguments(
  route: ControllerRoute,
  globalPipes: PipeTransform[],
  /** Instantiates a pipe class with its dependencies, as Nest's injector would. */
  create: (pipe: Type<PipeTransform>) => Promise<PipeTransform>,
): Promise<HandlerArguments> {
  const declared = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.methodName) ??
    {}) as Record<string, ArgumentDeclaration>;
  const types = (Reflect.getMetadata('design:paramtypes', route.instance, route.methodName) ?? []) as (
    Type | undefined
  )[];
  const ownPipes = new Map<string, PipeTransform[]>();
  for (const [key, declaration] of Object.entries(declared))
    ownPipes.set(
      key,
      await Promise.all(
        (declaration.pipes ?? []).map((pipe) =>
          typeof pipe === 'function' ? create(pipe) : Promise.resolve(pipe),
        ),
      ),
    );
  let answersItself = false;
  const parameters: Argument[] = Object.entries(declared).map(([key, declaration]) => {
    const { index, data } = declaration;
    const own = ownPipes.get(key)!;
    const metatype = types[index];
    if (key.includes(CUSTOM_ROUTE_ARGS_METADATA)) {
      const factory = declaration.factory!;
      return {
        index,
        extract: (request, response) =>
          factory(data, new ExecutionContextHost([request, response], route.controller, route.handler)),
        pipes: [...globalPipes, ...own],
        metadata: { type: 'custom', metatype, data },
      };
    }
    const type = Number(key.split(':')[0]) as RouteParamtypes;
    const pipes = [...globalPipes, ...own];
    switch (type) {
      case RouteParamtypes.REQUEST:
        return { index, extract: (request) => request, pipes: [], metadata: { type: 'custom' } };
      case RouteParamtypes.RESPONSE:
        answersItself = true;
        return { index, extract: (_, response) => response, pipes: [], metadata: { type: 'custom' } };
      case RouteParamtypes.HEADERS:
        return {
          index,
          extract: (request) => (data ? request.headers[data.toLowerCase()] : request.headers),
          pipes: [],
          metadata: { type: 'custom' },
        };
      case RouteParamtypes.BODY:
        return {
          index,
          extract: (request) => {
            const body = request.body as Record<string, unknown> | undefined;
            return data ? body?.[data] : body;
          },
          pipes,
          metadata: { type: 'body', metatype, data },
        };
      case RouteParamtypes.QUERY:
        return {
          index,
          extract: (request) => (data ? request.query[data] : request.query),
          pipes,
          metadata: { type: 'query', metatype, data },
        };
      case RouteParamtypes.PARAM:
        return {
          index,
          extract: (_, __, params) => (data ? params[data] : params),
          pipes,
          metadata: { type: 'param', metatype, data },
        };
      default:
        throw new Error(
          `@FastRoute ${describe(route)}: parameter ${index} (${RouteParamtypes[type]}) is not supported`,
        );
    }
  });
  const count = Math.max(0, ...parameters.map((parameter) => parameter.index + 1));
  return {
    answersItself,
    // As Nest's router does: all parameters at once, each through its pipes in turn, so that the
    // first failure in time is the one reported (a bad body before a bad id, as on Nest's path).
    resolve: async (request, response, params) => {
      const values = new Array<unknown>(count);
      await Promise.all(
        parameters.map(async (parameter) => {
          const value = parameter.extract(request, response, params);
          values[parameter.index] = await parameter.pipes.reduce<Promise<unknown>>(
            async (previous, pipe) => pipe.transform(await previous, parameter.metadata) as unknown,
            Promise.resolve(value),
          );
        }),
      );
      return values;
    },
  };
}
