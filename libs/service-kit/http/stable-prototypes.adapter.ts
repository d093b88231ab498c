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
 * How: classes that extend Node's IncomingMessage and ServerResponse and carry Express's methods and
 * getters, which the app then uses as its request and response prototypes. Express still calls
 * `setPrototypeOf`, but with the prototype the object already has, so nothing changes.
 *
 * Copied, not inherited: a class whose prototype inherits from Express's instead (which keeps later
 * additions to `express.request` visible) measured slower, A/B twice: runtime ×16 505–523 against
 * 557–562 req/s, scavenges 5–15 % longer (Node's own methods then sit further down a longer chain).
 * So what is added to `express.request`/`express.response` after the server is created is not seen;
 * nothing in the platform adds any.
 */
export class StablePrototypesAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    // HTTPS and force-closed connections are Nest's own business; none of our services use them.
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    const Request = classCarrying(IncomingMessage, app.request);
    const Response = classCarrying(ServerResponse, app.response);
    app.request = Request.prototype as Express['request'];
    app.response = Response.prototype as Express['response'];
    this.httpServer = createServer({ IncomingMessage: Request, ServerResponse: Response }, app);
  }
}

/**
 * A subclass of `base` whose prototype has every property `prototype` adds on top of `base`'s (its own
 * and its chain's, nearest last so it wins), as descriptors: getters stay getters.
 */
function classCarrying<T extends abstract new (...args: never[]) => object>(base: T, prototype: object): T {
  const Carrier = class extends (base as unknown as new (...args: unknown[]) => object) {};
  Object.defineProperty(Carrier, 'name', { value: `Express${base.name}` });
  const layers: object[] = [];
  for (let layer = prototype; layer !== base.prototype; layer = Object.getPrototypeOf(layer) as object) {
    if (layer === null || layer === Object.prototype)
      throw new Error(`Express's ${base.name} prototype does not inherit from Node's`);
    layers.unshift(layer);
  }
  for (const layer of layers)
    for (const key of Reflect.ownKeys(layer))
      if (key !== 'constructor')
        Object.defineProperty(Carrier.prototype, key, Object.getOwnPropertyDescriptor(layer, key)!);
  return Carrier as unknown as T;
}
