import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

/** Headers a page may read from answers: the receipt of an execution, its timing, the correlation id. */
const EXPOSED_HEADERS = ['x-personae-receipt-id', 'server-timing', 'x-correlation-id', 'retry-after'];

/**
 * CORS for browser clients on other origins (chat UIs running in the page, the openai client with
 * `dangerouslyAllowBrowser`), from CORS_ORIGINS; none when it is unset.
 *
 * Requests carry their credentials as a bearer token, never a cookie, so no ambient credential rides
 * along and `*` is safe to offer. Preflights are answered before authentication (a browser sends
 * them without the Authorization header); the request that follows is authenticated as usual.
 * Requested headers are allowed as asked, so clients' own (the openai client's x-stainless-*) pass.
 */
export function corsOptionsFor(origins: readonly string[]): CorsOptions | undefined {
  if (origins.length === 0) return undefined;
  return {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  };
}
