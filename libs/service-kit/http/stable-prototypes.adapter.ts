import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';

/**
 * Nest's Express adapter, with one difference: Node creates each request and response already as
 * Express's request and response, instead of Express changing their prototypes at dispatch
 * (`Object.setPrototypeOf` in `app.handle`, twice per request). V8 keeps objects whose prototype was
 * changed through young-generation collections until a full one (reproduced with ten lines of
 * node:http: changing a response's prototype turned 0.2 ms scavenges into 8–10 ms ones). A bare Express
 * app under sequential load: scavenges of 10–16 ms instead of 0.5 ms, 32 % fewer requests answered.
 * The platform, A/B (bench/RESULTS.md): /health/live ×8 3,503 → 9,136 req/s, resolve ×8 p99 13 → 5–7 ms,
 * runtime execute ×16 480–519 → 538–574 req/s.
 *
 * How: classes that extend Node's IncomingMessage and ServerResponse, their prototypes placed in front
 * of Express's request and response (which inherit from Node's), and the app told to use those as its
 * request and response prototypes. Express's own methods and getters are inherited, not copied, so
 * anything added to them later is seen. Express still calls `setPrototypeOf`, but with the prototype
 * the object already has, so nothing changes.
 */
export class StablePrototypesAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    // HTTPS and force-closed connections are Nest's own business; none of our services use them.
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    const Request = class ExpressRequest extends IncomingMessage {};
    const Response = class ExpressResponse extends ServerResponse {};
    Object.setPrototypeOf(Request.prototype, app.request);
    Object.setPrototypeOf(Response.prototype, app.response);
    app.request = Request.prototype as unknown as Express['request'];
    app.response = Response.prototype as unknown as Express['response'];
    this.httpServer = createServer({ IncomingMessage: Request, ServerResponse: Response }, app);
  }
}
