import { Controller, Get, Module, Req, Res, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Express, Request, Response } from 'express';
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import { StablePrototypesAdapter } from '../../libs/service-kit/http/stable-prototypes.adapter';

/** What a handler saw of its request and response, and what they were before Express touched them. */
interface Seen {
  before: { request: object | null; response: object | null };
  request: object | null;
  response: object | null;
  requestIsNode: boolean;
  responseIsNode: boolean;
}
let seen: Seen | undefined;
let before: Seen['before'] = { request: null, response: null };

@Controller('probe')
class ProbeController {
  @Get()
  probe(@Req() request: Request, @Res() response: Response): void {
    seen = {
      before,
      request: Object.getPrototypeOf(request) as object,
      response: Object.getPrototypeOf(response) as object,
      requestIsNode: request instanceof IncomingMessage,
      responseIsNode: response instanceof ServerResponse,
    };
    // Express's helpers and getters, through the copied prototypes.
    response
      .status(201)
      .set('x-echo', request.get('x-thing') ?? '')
      .json({
        query: request.query,
        path: request.path,
        hostname: request.hostname,
        xhr: request.xhr,
      });
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

async function start(adapter?: StablePrototypesAdapter): Promise<{ app: INestApplication; url: string }> {
  const app = adapter
    ? await NestFactory.create(ProbeModule, adapter, { logger: false })
    : await NestFactory.create(ProbeModule, { logger: false });
  const server = app.getHttpServer() as Server;
  // Ahead of Express: the objects as Node created them.
  server.prependListener('request', (request, response) => {
    before = {
      request: Object.getPrototypeOf(request) as object,
      response: Object.getPrototypeOf(response) as object,
    };
  });
  await app.listen(0, '127.0.0.1');
  const address = server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}` };
}

describe('StablePrototypesAdapter', () => {
  beforeEach(() => {
    seen = undefined;
    before = { request: null, response: null };
  });

  it("creates requests and responses as Express's own, so dispatch never changes a prototype", async () => {
    const { app, url } = await start(new StablePrototypesAdapter());
    try {
      const answer = await fetch(`${url}/probe?a=1&b=two`, { headers: { 'x-thing': 'echoed' } });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('x-echo')).toBe('echoed');
      expect(await answer.json()).toEqual({
        query: { a: '1', b: 'two' },
        path: '/probe',
        hostname: '127.0.0.1',
        xhr: false,
      });
      const instance = app.getHttpAdapter().getInstance() as Express;
      expect(seen).toMatchObject({ requestIsNode: true, responseIsNode: true });
      expect(seen!.request).toBe(instance.request);
      expect(seen!.response).toBe(instance.response);
      // The point: Node already made them so; Express's setPrototypeOf changed nothing.
      expect(seen!.before.request).toBe(instance.request);
      expect(seen!.before.response).toBe(instance.response);
    } finally {
      await app.close();
    }
  });

  it('without it, Express changes the prototypes Node gave them (what the check above catches)', async () => {
    const { app, url } = await start();
    try {
      await (await fetch(`${url}/probe`)).json();
      expect(seen!.before.request).toBe(IncomingMessage.prototype);
      expect(seen!.before.response).toBe(ServerResponse.prototype);
      expect(seen!.request).not.toBe(IncomingMessage.prototype);
    } finally {
      await app.close();
    }
  });
});
