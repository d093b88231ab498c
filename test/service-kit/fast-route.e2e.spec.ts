import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Injectable,
  Module,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  UseInterceptors,
  type CallHandler,
  type MiddlewareConsumer,
  type NestInterceptor,
  type NestMiddleware,
  type NestModule,
} from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { FastRoute } from '@personae/service-kit';
import { installFastRoutes } from '../../libs/service-kit/http/fast-route';
import { bootPlatform, mintKey, type Credential, type Platform } from '../registry/support';

class NoteDto {
  @IsString()
  @MaxLength(20)
  text!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  stars?: number;
}

/** The same handler twice: once on the fast path, once on Nest's, so every answer can be compared. */
function note(principal: Principal, id: string, body: NoteDto, tag: string | undefined) {
  if (body.text === 'missing') throw new NotFoundException(`no item ${id}`);
  if (body.text === 'explode') throw new Error('the handler failed');
  return { id, text: body.text, stars: body.stars ?? null, by: principal.subject, tag: tag ?? null };
}

/** The same controller twice, on `base`: with @FastRoute or without it. */
function notesController(base: string, fast: boolean) {
  const fastRoute: MethodDecorator = fast ? FastRoute() : () => undefined;
  @Roles('trainer')
  @Controller(base)
  class NotesController {
    @Post('notes')
    @fastRoute
    @HttpCode(202)
    add(
      @CurrentPrincipal() principal: Principal,
      @Param('id', ParseUUIDPipe) id: string,
      @Body() body: NoteDto,
      @Headers('x-tag') tag: string | undefined,
    ) {
      return note(principal, id, body, tag);
    }
  }
  return NotesController;
}

/** Counts the requests that reached Nest's middleware, i.e. went the slow way. */
@Injectable()
class ThroughNest implements NestMiddleware {
  static paths: string[] = [];
  use(request: Request, _response: Response, next: NextFunction): void {
    ThroughNest.paths.push(request.originalUrl);
    next();
  }
}

@Module({
  controllers: [
    notesController('v1/test-fast/items/:id', true),
    notesController('v1/test-slow/items/:id', false),
  ],
  providers: [ThroughNest],
})
class TwinsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ThroughNest).forRoutes('*');
  }
}

const ID = '0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f5a6';

describe('@FastRoute: the same answers as Nest, without Nest', () => {
  let platform: Platform;
  let trainer: Credential;
  let reviewer: Credential;

  beforeAll(async () => {
    platform = await bootPlatform('fast-route', { modules: [TwinsModule] });
    trainer = await mintKey(platform, 'trainer');
    reviewer = await mintKey(platform, 'reviewer');
  }, 60_000);
  afterAll(() => platform?.stop());

  const cases: {
    name: string;
    /** What both must answer: so that the comparison cannot pass by both ignoring the input. */
    status: number;
    id?: string;
    body?: string;
    token?: string | null;
    headers?: Record<string, string>;
  }[] = [
    {
      name: 'a valid note',
      status: 202,
      body: JSON.stringify({ text: 'fine', stars: 3 }),
      headers: { 'x-tag': 't1' },
    },
    { name: 'an unknown field', status: 400, body: JSON.stringify({ text: 'fine', colour: 'red' }) },
    { name: 'a wrong type', status: 400, body: JSON.stringify({ text: 7, stars: 'many' }) },
    { name: 'a value out of range', status: 400, body: JSON.stringify({ text: 'x'.repeat(21), stars: 0 }) },
    { name: 'no body', status: 400, body: '' },
    { name: 'malformed JSON', status: 400, body: '{"text": ' },
    { name: 'a malformed id', status: 400, id: 'not-a-uuid', body: JSON.stringify({ text: 'fine' }) },
    { name: 'a bad id and a bad body', status: 400, id: 'nope', body: JSON.stringify({ text: 1 }) },
    { name: 'no credentials', status: 401, token: null, body: JSON.stringify({ text: 'fine' }) },
    { name: 'a bad token', status: 401, token: 'pk_nope_nope', body: JSON.stringify({ text: 'fine' }) },
    { name: 'the wrong role', status: 403, token: 'reviewer', body: JSON.stringify({ text: 'fine' }) },
    { name: 'a handler that refuses (404)', status: 404, body: JSON.stringify({ text: 'missing' }) },
    { name: 'a handler that fails (500)', status: 500, body: JSON.stringify({ text: 'explode' }) },
  ];

  it.each(cases)('answers $name exactly as Nest does', async ({ id = ID, body, token, headers, status }) => {
    const send = async (variant: 'fast' | 'slow') => {
      const bearer =
        token === null ? undefined : token === 'reviewer' ? reviewer.token : (token ?? trainer.token);
      const response = await fetch(`${platform.url}/v1/test-${variant}/items/${id}/notes`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-correlation-id': `twin-${variant}`,
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...headers,
        },
        body,
      });
      const text = await response.text();
      const json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      if (json && 'correlationId' in json) {
        expect(json.correlationId).toBe(`twin-${variant}`);
        delete json.correlationId;
      }
      expect(response.headers.get('x-correlation-id')).toBe(`twin-${variant}`);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        challenge: response.headers.get('www-authenticate'),
        json,
      };
    };
    const fast = await send('fast');
    const slow = await send('slow');
    expect(fast).toEqual(slow);
    expect(fast.status).toBe(status);
  });

  it('took the fast path: none of its requests reached Nest, all of the twins did', async () => {
    ThroughNest.paths = [];
    for (const variant of ['fast', 'slow'])
      await fetch(`${platform.url}/v1/test-${variant}/items/${ID}/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${trainer.token}` },
        body: JSON.stringify({ text: 'fine' }),
      });
    expect(ThroughNest.paths).toEqual([`/v1/test-slow/items/${ID}/notes`]);
    const metrics = await (await fetch(`${platform.url}/metrics`)).text();
    expect(metrics).toMatch(
      /personae_http_request_duration_seconds_count\{method="POST",route="\/v1\/test-fast\/items\/:id\/notes",status="202"\} [1-9]/,
    );
  });

  it('answers the real hot paths on it too (training messages, runtime execute): they never reach Nest', async () => {
    ThroughNest.paths = [];
    const response = await fetch(`${platform.url}/v1/persona/train/sessions/${ID}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${trainer.token}` },
      body: JSON.stringify({ content: 'hello' }),
    });
    expect(response.status).toBe(404);
    const execute = await fetch(`${platform.url}/v1/runtime/instances/${ID}/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${trainer.token}` },
      body: JSON.stringify({ input: 'hello' }),
    });
    expect(execute.status).toBe(403);
    expect(ThroughNest.paths).toEqual([]);
  });
});

describe('@FastRoute refuses what it would skip', () => {
  @Injectable()
  class Passthrough implements NestInterceptor {
    intercept(_context: unknown, next: CallHandler): Observable<unknown> {
      return next.handle();
    }
  }

  @Controller('v1/intercepted')
  class InterceptedController {
    @Post(':id')
    @FastRoute()
    @UseInterceptors(Passthrough)
    add(@Param('id') id: string) {
      return { id };
    }
  }

  @Controller('v1/overlapping')
  class OverlappingController {
    @Post(':id')
    @FastRoute()
    add(@Param('id') id: string) {
      return { id };
    }

    @Post('batch')
    batch() {
      return {};
    }
  }

  @Controller('v1/wild')
  class WildcardController {
    @Post(':id')
    @FastRoute()
    add(@Param('id') id: string) {
      return { id };
    }

    @Post('*')
    anything() {
      return {};
    }
  }

  class BatchBase {
    @Post('batch')
    batch() {
      return {};
    }
  }

  @Controller('v1/inherited')
  class InheritingController extends BatchBase {
    @Post(':id')
    @FastRoute()
    add(@Param('id') id: string) {
      return { id };
    }
  }

  it.each([
    [InterceptedController, /__interceptors__ of its own would be skipped/],
    [OverlappingController, /overlaps OverlappingController.batch \(POST \/v1\/overlapping\/batch\)/],
    [WildcardController, /overlaps WildcardController.anything \(POST \/v1\/wild\/\*\)/],
    [InheritingController, /overlaps InheritingController.batch \(POST \/v1\/inherited\/batch\)/],
  ])('%p: refused at start', async (controller, reason) => {
    @Module({ imports: [DiscoveryModule], controllers: [controller] })
    class Alone {}
    const app = await NestFactory.create(Alone, { logger: false, abortOnError: false });
    try {
      await expect(installFastRoutes(app, { globalPipes: [], accessLog: false })).rejects.toThrow(reason);
    } finally {
      await app.close();
    }
  });
});
