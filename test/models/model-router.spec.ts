import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, loadConfig } from '@personae/config';
import {
  buildModelProvider,
  MODEL_PROVIDER,
  ModelHttpError,
  ModelProtocolError,
  ModelRouter,
  ModelRoutesError,
  ModelsModule,
  ModelTimeoutError,
  ModelUnavailableError,
  OFFLINE_DISCLAIMER,
  OfflineRetrievalResponder,
  OpenAiCompatibleProvider,
  parseModelRoutes,
  type ModelChunk,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
} from '@personae/models';
import { completion, errorReply, ScriptedOpenAiServer, streamed } from './scripted-openai.server';

const ask = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model: 'primary-model',
  messages: [{ role: 'user', content: 'Which organelle produces ATP?' }],
  timeoutMs: 200,
  ...extra,
});

async function collect(
  stream: AsyncIterable<ModelChunk>,
): Promise<{ texts: string[]; response: ModelResponse }> {
  const texts: string[] = [];
  let response: ModelResponse | undefined;
  for await (const chunk of stream) {
    if (chunk.type === 'content') texts.push(chunk.text);
    else response = chunk.response;
  }
  if (!response) throw new Error('no done chunk');
  return { texts, response };
}

describe('model router: fallbacks', () => {
  let server: ScriptedOpenAiServer;
  let router: ModelRouter;
  const fallbacks = [{ model: 'backup-model', temperature: 0.9, maxTokens: 64 }];

  beforeEach(async () => {
    server = await ScriptedOpenAiServer.start();
    router = new ModelRouter([], new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, name: 'scripted' }));
  });

  afterEach(async () => {
    expect(server.unexpected).toEqual([]);
    await server.close();
  });

  it('answers with the primary when it works, reporting one attempt', async () => {
    // The provider names a dated snapshot: the attempt keeps the name asked for (what prices go by).
    server.replyFor(
      'primary-model',
      completion({ content: 'primary answer', model: 'primary-model-2024-08' }),
    );
    const response = await router.complete(ask({ fallbacks }));
    expect(response.content).toBe('primary answer');
    expect(response.model).toBe('primary-model-2024-08');
    expect(response.attempts).toEqual([
      {
        model: 'primary-model',
        provider: 'scripted',
        outcome: 'ok',
        durationMs: expect.any(Number) as number,
      },
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['a timeout', { kind: 'hang' } as const, 'timeout'],
    ['a 5xx', errorReply(503, 'overloaded'), 'http'],
    ['a 429', errorReply(429, 'rate limited'), 'http'],
    ['garbage', { kind: 'body', body: 'not json', contentType: 'text/plain' } as const, 'protocol'],
  ])(
    'falls back on %s, with the fallback’s own settings, and says who answered',
    async (_, failure, outcome) => {
      server.replyFor('primary-model', failure);
      server.replyFor('backup-model', completion({ content: 'backup answer', model: 'backup-model' }));
      const response = await router.complete(ask({ fallbacks, temperature: 0.1 }));
      expect(response.content).toBe('backup answer');
      expect(response.model).toBe('backup-model');
      expect(response.attempts?.map((a) => [a.model, a.outcome])).toEqual([
        ['primary-model', outcome],
        ['backup-model', 'ok'],
      ]);
      expect(response.attempts?.[0]?.error).toBeTruthy();
      expect(server.requests.map((r) => [r.body.model, r.body.temperature, r.body.max_tokens])).toEqual([
        ['primary-model', 0.1, undefined],
        ['backup-model', 0.9, 64],
      ]);
      expect(server.requests.every((r) => r.body.fallbacks === undefined)).toBe(true);
    },
  );

  it('does not fall back on a 4xx: the request itself is wrong', async () => {
    server.replyFor('primary-model', errorReply(400, 'unknown parameter'));
    server.replyFor('backup-model', completion({}));
    const error = await router.complete(ask({ fallbacks })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelHttpError);
    expect((error as ModelHttpError).status).toBe(400);
    expect(server.requests).toHaveLength(1);
    expect(server.pending).toBe(1);
    await router.complete(ask({ model: 'backup-model' }));
  });

  it('does not fall back when the caller aborts', async () => {
    server.replyFor('primary-model', { kind: 'hang' });
    const controller = new AbortController();
    // Abort once the primary has the request (a fixed delay raced the connection on a busy machine).
    const abortWhenReceived = async (): Promise<void> => {
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
    };
    await Promise.all([
      expect(router.complete(ask({ fallbacks, signal: controller.signal, timeoutMs: 5000 }))).rejects.toThrow(
        /cancelled/,
      ),
      abortWhenReceived(),
    ]);
    expect(server.requests).toHaveLength(1);
    server.replyFor('backup-model', completion({}));
    await router.complete(ask({ model: 'backup-model' }));
  });

  it('throws ModelUnavailableError with every attempt when all fail; the own error when only one was tried', async () => {
    server.replyFor('primary-model', { kind: 'hang' });
    server.replyFor('backup-model', errorReply(502, 'bad gateway'));
    const error = (await router
      .complete(ask({ fallbacks }))
      .catch((e: unknown) => e)) as ModelUnavailableError;
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.attempts.map((a) => a.outcome)).toEqual(['timeout', 'http']);
    expect(error.cause).toBeInstanceOf(ModelHttpError);
    expect(error.message).toMatch(
      /primary-model \(scripted\): scripted did not answer within 200 ms; backup-model/,
    );

    server.replyFor('primary-model', { kind: 'hang' });
    await expect(router.complete(ask())).rejects.toThrow(ModelTimeoutError);
  });

  it('falls back in a stream until content has flowed, never after', async () => {
    server.replyFor('primary-model', errorReply(500, 'down'));
    server.replyFor('backup-model', streamed({ content: ['from ', 'backup'], model: 'backup-model' }));
    const { texts, response } = await collect(router.stream(ask({ fallbacks })));
    expect(texts).toEqual(['from ', 'backup']);
    expect(response.attempts?.map((a) => [a.model, a.outcome])).toEqual([
      ['primary-model', 'http'],
      ['backup-model', 'ok'],
    ]);

    // Primary stalls before its first chunk: a timeout, then the backup.
    server.replyFor('primary-model', { kind: 'sse', events: [], end: 'hang' });
    server.replyFor('backup-model', streamed({ content: ['late backup'] }));
    expect((await collect(router.stream(ask({ fallbacks })))).texts).toEqual(['late backup']);

    // Primary cut after content went out: the caller already has text, so no fallback.
    server.replyFor('primary-model', streamed({ content: ['half an ', 'answer'], truncateAfter: 3 }));
    server.replyFor('backup-model', streamed({ content: ['never used'] }));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of router.stream(ask({ fallbacks })))
          if (chunk.type === 'content') seen.push(chunk.text);
      })(),
    ).rejects.toThrow(ModelProtocolError);
    expect(seen).toEqual(['half an ', 'answer']);
    expect(server.pending).toBe(1);
    await collect(router.stream(ask({ model: 'backup-model' })));
  });
});

describe('model router: routes', () => {
  let a: ScriptedOpenAiServer;
  let b: ScriptedOpenAiServer;

  beforeEach(async () => {
    a = await ScriptedOpenAiServer.start();
    b = await ScriptedOpenAiServer.start();
  });

  afterEach(async () => {
    expect([...a.unexpected, ...b.unexpected]).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  const named = (server: ScriptedOpenAiServer, name: string): ModelProvider =>
    new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, name });

  it('routes by exact name, then the longest prefix, then *, then the default', () => {
    const offline = new OfflineRetrievalResponder();
    const router = new ModelRouter(
      [
        { pattern: 'gpt-*', provider: named(a, 'a') },
        { pattern: 'gpt-4o-*', provider: named(b, 'b') },
        { pattern: 'gpt-4o-mini', provider: named(a, 'a-exact') },
        { pattern: 'echo', provider: offline },
      ],
      offline,
    );
    expect(router.providerFor('gpt-3.5-turbo').name).toBe('a');
    expect(router.providerFor('gpt-4o-2024-08-06').name).toBe('b');
    expect(router.providerFor('gpt-4o-mini').name).toBe('a-exact');
    expect(router.providerFor('llama-3').name).toBe('offline-retrieval');
    const catchAll = new ModelRouter([{ pattern: '*', provider: named(b, 'b') }]);
    expect(catchAll.providerFor('anything').name).toBe('b');
    expect(() => new ModelRouter([]).providerFor('x')).toThrow(/no model provider is configured for "x"/);
    expect(() => new ModelRouter([{ pattern: 'a*b', provider: offline }])).toThrow(/pattern/);
  });

  it('builds routes from MODEL_ROUTES text, with per-route keys, fallbacks across endpoints and offline', async () => {
    const router = buildModelProvider(
      {
        baseUrl: a.baseUrl,
        apiKey: 'key-for-a',
        routes: `remote-*=${b.baseUrl} key=REMOTE_KEY; same-*=${a.baseUrl}; quiet=offline`,
      },
      (name) => (name === 'REMOTE_KEY' ? 'key-for-b' : undefined),
    );
    a.reply(completion({ content: 'from a (default)' }), completion({ content: 'from a (route)' }));
    b.replyFor('remote-large', errorReply(503, 'busy'));
    b.replyFor('remote-small', completion({ content: 'from b', model: 'remote-small' }));

    expect((await router.complete(ask({ model: 'whatever' }))).content).toBe('from a (default)');
    expect((await router.complete(ask({ model: 'same-1' }))).content).toBe('from a (route)');
    const fallback = await router.complete(
      ask({ model: 'remote-large', fallbacks: [{ model: 'remote-small' }] }),
    );
    expect(fallback.content).toBe('from b');
    const offline = await router.complete(ask({ model: 'quiet' }));
    expect(offline.provider).toBe('offline-retrieval');
    expect(offline.content.startsWith(OFFLINE_DISCLAIMER)).toBe(true);

    expect(a.requests.map((r) => r.headers.authorization)).toEqual(['Bearer key-for-a', 'Bearer key-for-a']);
    expect(b.requests.map((r) => r.headers.authorization)).toEqual(['Bearer key-for-b', 'Bearer key-for-b']);
  });

  it('without MODEL_BASE_URL answers offline, and refuses a route whose key variable is unset', async () => {
    const router = buildModelProvider({});
    const response = await router.complete({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'What do mitochondria make?' }],
      context: { passages: [{ id: 'p', text: 'Mitochondria make ATP.', source: 'bio.md' }] },
    });
    expect(response).toMatchObject({ provider: 'offline-retrieval', model: 'offline-retrieval' });
    expect(response.content).toContain('"Mitochondria make ATP." [bio.md]');
    expect(() => buildModelProvider({ routes: `x-*=${a.baseUrl} key=MISSING_KEY` }, () => undefined)).toThrow(
      /MISSING_KEY, named in MODEL_ROUTES, is not set/,
    );
  });
});

describe('MODEL_ROUTES parsing', () => {
  it('reads patterns, targets and key variables', () => {
    expect(
      parseModelRoutes(
        ' gpt-*=https://api.example/v1 key=OPENAI_API_KEY ;local-*=http://127.0.0.1:8080/v1;; echo=offline ',
      ),
    ).toEqual([
      { pattern: 'gpt-*', target: 'https://api.example/v1', keyVariable: 'OPENAI_API_KEY' },
      { pattern: 'local-*', target: 'http://127.0.0.1:8080/v1' },
      { pattern: 'echo', target: 'offline' },
    ]);
    expect(parseModelRoutes('')).toEqual([]);
  });

  it('names the bad entry and never echoes a secret', () => {
    const cases: [string, RegExp][] = [
      ['gpt-*', /entry 1 must look like "pattern=url"/],
      ['a=https://x/v1;b=ftp://x', /entry 2: the target must be an http\(s\) URL/],
      ['a=offline extra', /entry 1: unknown option/],
      ['a=nourl', /entry 1: the target must be/],
      ['a*b=offline', /pattern "a\*b"/],
      ['a=offline;a=offline', /appears twice/],
      ['a=https://x/v1 token=abc', /unknown option/],
      ['a=offline key=K', /takes no key/],
    ];
    for (const [text, problem] of cases) expect(() => parseModelRoutes(text)).toThrow(problem);
    try {
      parseModelRoutes('a=https://user:s3cr3t-pass@x/v1');
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(ModelRoutesError);
      expect((error as Error).message).not.toContain('s3cr3t');
    }
  });
});

describe('ModelsModule', () => {
  async function boot(env: NodeJS.ProcessEnv): Promise<INestApplicationContext> {
    @Module({ imports: [ConfigModule.forRoot(loadConfig(env)), ModelsModule.forRoot()] })
    class AppModule {}
    return NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  }

  it('provides the offline responder by default and the endpoint when MODEL_BASE_URL is set', async () => {
    const offlineApp = await boot({});
    try {
      const response = await offlineApp.get<ModelProvider>(MODEL_PROVIDER).complete(ask());
      expect(response.provider).toBe('offline-retrieval');
    } finally {
      await offlineApp.close();
    }
    const server = await ScriptedOpenAiServer.start();
    const app = await boot({ MODEL_BASE_URL: server.baseUrl, MODEL_API_KEY: 'module-key' });
    try {
      server.reply(streamed({ content: ['via ', 'the module'] }));
      const { texts } = await collect(app.get<ModelProvider>(MODEL_PROVIDER).stream(ask()));
      expect(texts).toEqual(['via ', 'the module']);
      expect(server.requests[0]?.headers.authorization).toBe('Bearer module-key');
    } finally {
      await app.close();
      await server.close();
    }
  });
});
