import { freePort } from '../setup/free-port';
import {
  ModelAbortedError,
  ModelConnectionError,
  ModelHttpError,
  ModelProtocolError,
  ModelRequestError,
  ModelTimeoutError,
  OpenAiCompatibleProvider,
  type ModelChunk,
  type ModelRequest,
  type ModelResponse,
} from '@personae/models';
import { completion, errorReply, ScriptedOpenAiServer, streamed } from './scripted-openai.server';

const API_KEY = 'sk-test-5f1d2c9a7b3e4d6f';

const request = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model: 'scripted-model',
  messages: [
    { role: 'system', content: 'You are a biology researcher.' },
    { role: 'user', content: 'Look up ATP.', name: 'trainer-1' },
    {
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'call_1', name: 'search', arguments: '{"q":"ATP"}' }],
    },
    { role: 'tool', content: '{"hits":1}', toolCallId: 'call_1' },
  ],
  temperature: 0.2,
  maxTokens: 256,
  tools: [
    {
      name: 'search',
      description: 'Search the literature',
      parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
    },
  ],
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

describe('OpenAI-compatible provider', () => {
  let server: ScriptedOpenAiServer;
  let provider: OpenAiCompatibleProvider;

  beforeEach(async () => {
    server = await ScriptedOpenAiServer.start();
    provider = new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, apiKey: API_KEY, name: 'scripted' });
  });

  afterEach(async () => {
    expect(server.unexpected).toEqual([]);
    await server.close();
  });

  it('completes, sending auth, model, messages, tools, temperature and max_tokens in OpenAI form', async () => {
    server.reply(completion({ content: 'ATP is made in mitochondria.', model: 'scripted-model-2024' }));
    const response = await provider.complete(request());
    expect(response).toEqual({
      model: 'scripted-model-2024',
      provider: 'scripted',
      content: 'ATP is made in mitochondria.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 11, completionTokens: 7, estimated: false },
    });
    const [sent] = server.requests;
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.body).toEqual({
      model: 'scripted-model',
      messages: [
        { role: 'system', content: 'You are a biology researcher.' },
        { role: 'user', content: 'Look up ATP.', name: 'trainer-1' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"q":"ATP"}' } },
          ],
        },
        { role: 'tool', content: '{"hits":1}', tool_call_id: 'call_1' },
      ],
      temperature: 0.2,
      max_tokens: 256,
      tools: [
        {
          type: 'function',
          function: {
            name: 'search',
            description: 'Search the literature',
            parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
          },
        },
      ],
    });
  });

  it('gives knowledge passages to the model as a system message after the first one', async () => {
    server.reply(completion({}));
    await provider.complete(
      request({ context: { passages: [{ id: 'p1', text: 'Mitochondria make ATP.', source: 'bio.md' }] } }),
    );
    const messages = server.requests[0]?.body.messages as { role: string; content: string }[];
    expect(messages[0]?.content).toBe('You are a biology researcher.');
    expect(messages[1]).toEqual({
      role: 'system',
      content: expect.stringContaining('[bio.md] Mitochondria make ATP.') as string,
    });
    expect(messages).toHaveLength(5);
  });

  it('returns tool calls, and estimates usage when the server reports none', async () => {
    server.reply(
      completion({
        content: null,
        toolCalls: [{ id: 'call_9', name: 'search', arguments: '{"q":"krebs cycle"}' }],
        finishReason: 'tool_calls',
        usage: null,
      }),
    );
    const response = await provider.complete(request());
    expect(response.toolCalls).toEqual([{ id: 'call_9', name: 'search', arguments: '{"q":"krebs cycle"}' }]);
    expect(response.content).toBe('');
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage.estimated).toBe(true);
    expect(response.usage.promptTokens).toBeGreaterThan(20);
    expect(response.usage.completionTokens).toBeGreaterThan(3);
  });

  it('streams content deltas from SSE chunks, with usage from the final chunk', async () => {
    server.reply(streamed({ content: ['ATP ', 'is made ', 'in mitochondria.'] }));
    const { texts, response } = await collect(provider.stream(request()));
    expect(texts).toEqual(['ATP ', 'is made ', 'in mitochondria.']);
    expect(response).toEqual({
      model: 'scripted-model',
      provider: 'scripted',
      content: 'ATP is made in mitochondria.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 21, completionTokens: 9, estimated: false },
    });
    expect(server.requests[0]?.body).toMatchObject({
      model: 'scripted-model',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('assembles streamed tool calls from interleaved deltas by index', async () => {
    const calls = [
      { id: 'call_a', name: 'search', arguments: '{"q":"oxidative phosphorylation","limit":5}' },
      { id: 'call_b', name: 'lookup_gene', arguments: '{"symbol":"ATP5F1A"}' },
    ];
    server.reply(streamed({ toolCalls: calls, usage: null }));
    const { texts, response } = await collect(provider.stream(request()));
    expect(texts).toEqual([]);
    expect(response.toolCalls).toEqual(calls);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage.estimated).toBe(true);
  });

  it('accepts a stream that finished but omitted [DONE]; rejects one cut before finishing', async () => {
    server.reply(streamed({ content: ['whole'], end: 'eof' }));
    expect((await collect(provider.stream(request()))).response.content).toBe('whole');
    server.reply(streamed({ content: ['par', 'tial'], truncateAfter: 2 }));
    const texts: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of provider.stream(request()))
          if (chunk.type === 'content') texts.push(chunk.text);
      })(),
    ).rejects.toThrow(ModelProtocolError);
    expect(texts).toEqual(['par']);
  });

  it('reports a connection cut mid-stream as a connection error', async () => {
    server.reply(streamed({ content: ['a', 'b'], truncateAfter: 2, end: 'destroy' }));
    await expect(collect(provider.stream(request()))).rejects.toThrow(ModelConnectionError);
  });

  it('turns HTTP errors into ModelHttpError with the status and the server message', async () => {
    server.reply(
      errorReply(500, 'upstream exploded'),
      errorReply(429, 'slow down'),
      errorReply(400, 'bad tools'),
    );
    const errors: ModelHttpError[] = [];
    for (let i = 0; i < 3; i++)
      errors.push(
        await provider.complete(request()).then(
          () => fail(),
          (e) => e as ModelHttpError,
        ),
      );
    expect(errors.map((e) => [e.constructor, e.status, e.retryable])).toEqual([
      [ModelHttpError, 500, true],
      [ModelHttpError, 429, true],
      [ModelHttpError, 400, false],
    ]);
    expect(errors[0]?.message).toBe('scripted answered HTTP 500: upstream exploded');
    server.reply({
      kind: 'body',
      status: 503,
      body: '<html>Service Unavailable</html>',
      contentType: 'text/html',
    });
    await expect(collect(provider.stream(request()))).rejects.toThrow(/HTTP 503: <html>Service Unavailable/);
  });

  it('times out a server that never answers, aborting the request on the wire', async () => {
    server.reply({ kind: 'hang' });
    const started = Date.now();
    const error = await provider.complete(request({ timeoutMs: 150 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelTimeoutError);
    expect((error as ModelTimeoutError).message).toBe('scripted did not answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests[0]?.closedEarly).toBe(true);
  });

  it('times out a body that arrives too slowly, and a stream that stalls between chunks', async () => {
    server.reply({ ...completion({}), delayMs: 1000 } as never);
    await expect(provider.complete(request({ timeoutMs: 100 }))).rejects.toThrow(ModelTimeoutError);
    server.reply({ kind: 'sse', events: streamed({ content: ['first'] }).events.slice(0, 2), end: 'hang' });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of provider.stream(request({ timeoutMs: 150 })))
        if (chunk.type === 'content') texts.push(chunk.text);
    })().catch((e: unknown) => e);
    expect(texts).toEqual(['first']);
    expect(error).toBeInstanceOf(ModelTimeoutError);
  });

  it("keeps a slow but steady stream alive: the timeout is per chunk, not the stream's total", async () => {
    server.reply({ ...streamed({ content: ['a', 'b', 'c', 'd', 'e', 'f'] }), gapMs: 60 });
    const { response } = await collect(provider.stream(request({ timeoutMs: 200 })));
    expect(response.content).toBe('abcdef');
  });

  it('does not count time the consumer spends on a chunk against the server', async () => {
    server.reply(streamed({ content: ['slow ', 'consumer'] }));
    const texts: string[] = [];
    for await (const chunk of provider.stream(request({ timeoutMs: 100 }))) {
      if (chunk.type === 'content') texts.push(chunk.text);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(texts).toEqual(['slow ', 'consumer']);
  });

  it("stops when the caller's signal aborts, without calling it a timeout", async () => {
    server.reply({ kind: 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(provider.complete(request({ signal: controller.signal, timeoutMs: 5000 }))).rejects.toThrow(
      ModelAbortedError,
    );
  });

  it('rejects garbage with a clear error quoting a short excerpt, never the API key', async () => {
    server.reply({
      kind: 'body',
      body: `<html><body>Proxy error for key ${API_KEY}</body></html>`,
      contentType: 'text/html',
    });
    const error = (await provider.complete(request()).catch((e: unknown) => e)) as ModelProtocolError;
    expect(error).toBeInstanceOf(ModelProtocolError);
    expect(error.message).toMatch(
      /^scripted sent an invalid response: the body is not JSON \(began: "<html>/,
    );
    expect(error.message).not.toContain(API_KEY);
    expect(error.excerpt).toContain('[redacted]');

    server.reply(errorReply(401, `invalid key ${API_KEY}`));
    const denied = (await provider.complete(request()).catch((e: unknown) => e)) as Error;
    expect(denied.message).toContain('HTTP 401');
    expect(denied.message).not.toContain(API_KEY);
  });

  it('rejects well-formed JSON of the wrong shape', async () => {
    const shapes: [unknown, RegExp][] = [
      [{ id: 'x' }, /no choices/],
      [{ choices: [] }, /no choices/],
      [{ choices: [{ message: 'hello' }] }, /message is not an object/],
      [{ choices: [{ message: { content: 42 } }] }, /content is not a string/],
      [
        { choices: [{ message: { content: 'x', tool_calls: [{ function: { name: 'f' } }] } }] },
        /id is missing/,
      ],
      [{ choices: [{ message: { content: 'x' } }], usage: { prompt_tokens: 'many' } }, /usage/],
      [{ error: { message: 'model overloaded' } }, /reported an error: model overloaded/],
      [[1, 2, 3], /not an object/],
    ];
    for (const [body, problem] of shapes) {
      server.reply({ kind: 'body', body });
      await expect(provider.complete(request())).rejects.toThrow(problem);
    }
  });

  it('rejects a garbage stream: a non-JSON event, a wrong content type, an error event, bad deltas', async () => {
    const cases: [Parameters<ScriptedOpenAiServer['reply']>[0], RegExp][] = [
      [
        { kind: 'sse', events: ['{"choices":[{"delta":{"content":"ok"}}]}', 'not json at all'] },
        /event is not JSON/,
      ],
      [{ kind: 'body', body: { error: { message: 'stream unsupported' } } }, /expected an event stream/],
      [{ kind: 'sse', events: [{ error: { message: 'overloaded' } }] }, /error mid-stream: overloaded/],
      [
        { kind: 'sse', events: [{ choices: [{ delta: { tool_calls: [{ function: {} }] } }] }] },
        /no valid index/,
      ],
      [{ kind: 'sse', events: [{ choices: [{ delta: { content: 7 } }] }] }, /delta.content is not a string/],
      [
        {
          kind: 'sse',
          events: [
            { choices: [{ delta: { tool_calls: [{ index: 0, id: 'c' }] }, finish_reason: 'tool_calls' }] },
          ],
        },
        /never got a name/,
      ],
    ];
    for (const [reply, problem] of cases) {
      server.reply(reply);
      await expect(collect(provider.stream(request()))).rejects.toThrow(problem);
    }
  });

  it('parses SSE framing: CRLF, comments, multi-line data and events split across packets', async () => {
    const chunk = (content: string): string =>
      JSON.stringify({ choices: [{ index: 0, delta: { content } }] });
    server.reply({
      kind: 'sse',
      raw: true,
      events: [
        ': keep-alive\r\n\r\n',
        `data: ${chunk('Hel')}\r\n\r\n`,
        `data: ${chunk('lo').slice(0, 10)}`,
        `${chunk('lo').slice(10)}\n\n`,
        `event: message\ndata: {"choices":[{"index":0,\ndata: "delta":{"content":"!"},"finish_reason":"stop"}]}\n\n`,
        'data: [DONE]\n\n',
      ],
      end: 'eof',
    });
    const { texts, response } = await collect(provider.stream(request()));
    expect(texts).toEqual(['Hel', 'lo', '!']);
    expect(response.finishReason).toBe('stop');
  });

  it('refuses responses larger than the limit', async () => {
    const small = new OpenAiCompatibleProvider({
      baseUrl: server.baseUrl,
      maxResponseBytes: 1000,
      name: 'small',
    });
    server.reply(completion({ content: 'x'.repeat(5000) }));
    await expect(small.complete(request())).rejects.toThrow(/larger than 1000 bytes/);
    server.reply(streamed({ content: Array.from({ length: 50 }, () => 'y'.repeat(100)) }));
    await expect(collect(small.stream(request()))).rejects.toThrow(/larger than 1000 bytes/);
  });

  it('reports an endpoint nobody listens on as a connection error', async () => {
    const nowhere = new OpenAiCompatibleProvider({ baseUrl: `http://127.0.0.1:${await freePort()}/v1` });
    const error = await nowhere.complete(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelConnectionError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    await expect(collect(nowhere.stream(request()))).rejects.toThrow(ModelConnectionError);
  });

  it('refuses malformed requests before sending anything', async () => {
    await expect(provider.complete(request({ messages: [] }))).rejects.toThrow(ModelRequestError);
    await expect(
      provider.complete(request({ messages: [{ role: 'tool', content: 'orphan result' }] })),
    ).rejects.toThrow(/toolCallId/);
    expect(server.requests).toHaveLength(0);
  });
});
