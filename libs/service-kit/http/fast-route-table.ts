import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, type DiscoveryService } from '@nestjs/core';

/** One route of a controller, as Nest would register it. */
export interface ControllerRoute {
  controller: Type;
  instance: object;
  methodName: string;
  handler: (...args: unknown[]) => unknown;
  method: string;
  /** `/v1/persona/train/sessions/:id/messages`: as Nest (and the metrics' route label) writes it. */
  pattern: string;
}

/** A pattern split into segments: literal text, or a parameter's name after ':'. */
type Segment = { literal: string } | { parameter: string };

export interface CompiledRoute<T> {
  route: ControllerRoute;
  segments: Segment[];
  target: T;
}

/**
 * Every handler of every controller with its method and full path (a path list gives several),
 * inherited handlers included, as Nest's router finds them.
 */
export function controllerRoutes(discovery: DiscoveryService): ControllerRoute[] {
  const scanner = new MetadataScanner();
  const routes: ControllerRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    const controller = wrapper.metatype as Type | null;
    if (!instance || !controller) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    const bases = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName];
      if (typeof handler !== 'function') continue;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (requestMethod === undefined) continue;
      for (const base of bases)
        for (const path of pathsOf(Reflect.getMetadata(PATH_METADATA, handler)))
          routes.push({
            controller,
            instance,
            methodName,
            handler: handler as ControllerRoute['handler'],
            method: RequestMethod[requestMethod],
            pattern: '/' + [base, path].map(trimSlashes).filter(Boolean).join('/'),
          });
    }
  }
  return routes;
}

/** A fast route's pattern, strictly: plain literals and `:name` parameters, nothing Express-specific. */
export function compile<T>(route: ControllerRoute, target: T): CompiledRoute<T> {
  const segments = segmentsOf(route.pattern);
  for (const segment of segments)
    if ('parameter' in segment ? !/^\w+$/.test(segment.parameter) : !/^[\w.~-]+$/.test(segment.literal))
      throw new Error(`@FastRoute ${describe(route)}: unsupported segment in '${route.pattern}'`);
  return { route, segments, target };
}

/** Segments of any route's pattern; anything not a plain literal may match anything. */
function segmentsOf(pattern: string): Segment[] {
  return pattern
    .split('/')
    .slice(1)
    .map((part): Segment =>
      /^[\w.~-]*$/.test(part) ? { literal: part } : { parameter: part.replace(/^:/, '') },
    );
}

/**
 * Refuses a fast route that another route of the same method could also match: Nest would pick by
 * registration order, the fast path always wins, so the two must never overlap.
 */
export function assertUnambiguous(fast: CompiledRoute<unknown>[], all: ControllerRoute[]): void {
  for (const route of fast)
    for (const other of all) {
      if (other.method !== route.route.method && other.method !== 'ALL') continue;
      if (other.handler === route.route.handler && other.pattern === route.route.pattern) continue;
      const theirs = segmentsOf(other.pattern);
      // A wildcard (`*`) matches any number of segments: only what comes before it must agree.
      const wildcard = theirs.findIndex(
        (segment) => 'parameter' in segment && segment.parameter.includes('*'),
      );
      const compared = wildcard === -1 ? theirs : theirs.slice(0, wildcard);
      if (wildcard === -1 ? theirs.length !== route.segments.length : compared.length > route.segments.length)
        continue;
      const overlap = compared.every((segment, i) => {
        const mine = route.segments[i]!;
        return !('literal' in segment && 'literal' in mine) || segment.literal === mine.literal;
      });
      if (overlap) throw new Error(`@FastRoute ${describe(route.route)} overlaps ${describe(other)}`);
    }
}

/**
 * The route `path` (no query, no trailing slash) belongs to, with its parameters as they stand in
 * the path (still percent-encoded: the caller decodes them, answering 404 for malformed ones).
 */
export function matchRoute<T>(
  routes: CompiledRoute<T>[],
  method: string,
  path: string,
): { route: CompiledRoute<T>; params: Record<string, string> } | undefined {
  const parts = path.split('/');
  for (const route of routes) {
    if (route.route.method !== method || parts.length !== route.segments.length + 1) continue;
    let params: Record<string, string> | undefined = {};
    for (let i = 0; i < route.segments.length && params; i++) {
      const segment = route.segments[i]!;
      const part = parts[i + 1]!;
      if ('literal' in segment) {
        if (segment.literal !== part) params = undefined;
      } else if (part === '') params = undefined;
      else params[segment.parameter] = part;
    }
    if (params) return { route, params };
  }
  return undefined;
}

export function describe(route: ControllerRoute): string {
  return `${route.controller.name}.${route.methodName} (${route.method} ${route.pattern})`;
}

function pathsOf(metadata: unknown): string[] {
  if (Array.isArray(metadata)) return metadata.map(String);
  return [typeof metadata === 'string' ? metadata : ''];
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
