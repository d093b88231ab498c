import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server does with one request. */
export type Reply =
  /** A JSON (or any text) body with a status. */
  | { kind: 'body'; status?: number; body: unknown; contentType?: string; delayMs?: number }
  /**
   * An SSE stream: each event is JSON-encoded into one `data:` event (strings are sent as the data
   * verbatim), then `[DONE]` unless `end` says otherwise: `eof` ends the body without it, `destroy`
   * cuts the connection, `hang` stops sending and keeps the connection open.
   */
  | {
      kind: 'sse';
      events: unknown[];
      end?: 'done' | 'eof' | 'destroy' | 'hang';
      gapMs?: number;
      raw?: boolean;
    }
  /** Never answers (a timeout test); the connection stays open until the client gives up. */
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The client closed the connection before the reply ended (a timeout or abort reached the wire). */
  closedEarly: boolean;
}

interface Scripted {
  model?: string;
  reply: Reply;
}

/**
 * A real HTTP server on 127.0.0.1 speaking OpenAI's chat-completions protocol from a script:
 * replies are queued (optionally for one model) and used once each, in order. Every request is
 * recorded. A request with no scripted reply gets a 599 and is listed in `unexpected`.
 */
export class ScriptedOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  readonly unexpected: RecordedRequest[] = [];
  private readonly script: Scripted[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedOpenAiServer> {
    const server = createServer();
    const scripted = new ScriptedOpenAiServer(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          body = { unparsable: Buffer.concat(chunks).toString('utf8') };
        }
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
          closedEarly: false,
        };
        scripted.requests.push(recorded);
        res.on('close', () => {
          if (!res.writableFinished) recorded.closedEarly = true;
        });
        scripted.respond(recorded, res);
      });
    });
    server.on('connection', (socket) => {
      scripted.sockets.add(socket);
      socket.on('close', () => scripted.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return scripted;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Queues replies for any model. */
  reply(...replies: Reply[]): this {
    for (const reply of replies) this.script.push({ reply });
    return this;
  }

  /** Queues replies used only for requests naming `model`. */
  replyFor(model: string, ...replies: Reply[]): this {
    for (const reply of replies) this.script.push({ model, reply });
    return this;
  }

  get pending(): number {
    return this.script.length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private respond(request: RecordedRequest, res: ServerResponse): void {
    const index = this.script.findIndex((s) => s.model === undefined || s.model === request.body.model);
    if (request.path !== '/v1/chat/completions' || request.method !== 'POST' || index < 0) {
      this.unexpected.push(request);
      res.writeHead(599, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'no scripted reply' } }));
      return;
    }
    const [{ reply }] = this.script.splice(index, 1) as [Scripted];
    switch (reply.kind) {
      case 'hang':
        return;
      case 'body': {
        const send = (): void => {
          const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
          res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
          res.end(text);
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
        return;
      }
      case 'sse':
        void this.stream(reply, res);
        return;
    }
  }

  private async stream(reply: Extract<Reply, { kind: 'sse' }>, res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    for (const event of reply.events) {
      if (res.destroyed) return;
      if (reply.raw && typeof event === 'string') res.write(event);
      else res.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, reply.gapMs ?? 2));
    }
    switch (reply.end ?? 'done') {
      case 'done':
        res.end('data: [DONE]\n\n');
        return;
      case 'eof':
        res.end();
        return;
      case 'destroy':
        res.socket?.destroy();
        return;
      case 'hang':
        return;
    }
  }
}

// ---- builders of protocol-shaped replies ----

export interface ScriptedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export function completion(options: {
  content?: string | null;
  toolCalls?: ScriptedToolCall[];
  finishReason?: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  model?: string;
}): Reply {
  return {
    kind: 'body',
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1732190000,
      model: options.model ?? 'scripted-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: options.content === undefined ? 'ok' : options.content,
            ...(options.toolCalls
              ? {
                  tool_calls: options.toolCalls.map((call) => ({
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }
              : {}),
          },
          finish_reason: options.finishReason === undefined ? 'stop' : options.finishReason,
        },
      ],
      ...(options.usage === null
        ? {}
        : { usage: options.usage ?? { prompt_tokens: 11, completion_tokens: 7 } }),
    },
  };
}

/**
 * A streamed completion as OpenAI sends it: a role delta, content deltas, tool calls as deltas (id
 * and name first, then the arguments in pieces, calls interleaved by index), a finish chunk and,
 * unless `usage` is null, a usage-only chunk with empty choices.
 */
export function streamed(options: {
  content?: string[];
  toolCalls?: ScriptedToolCall[];
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  model?: string;
  end?: 'done' | 'eof' | 'destroy' | 'hang';
  /** Stop after this many events (before finish), as a cut stream would. */
  truncateAfter?: number;
}): Extract<Reply, { kind: 'sse' }> {
  const model = options.model ?? 'scripted-model';
  const chunk = (delta: unknown, finish: string | null = null): unknown => ({
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1732190000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const text of options.content ?? []) events.push(chunk({ content: text }));
  const calls = options.toolCalls ?? [];
  calls.forEach((call, index) =>
    events.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    ),
  );
  // Arguments in three pieces per call, interleaved across calls.
  for (let piece = 0; piece < 3; piece++)
    calls.forEach((call, index) => {
      const size = Math.ceil(call.arguments.length / 3);
      const part = call.arguments.slice(piece * size, (piece + 1) * size);
      if (part) events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
    });
  events.push(chunk({}, options.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop')));
  if (options.usage !== null)
    events.push({
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: 1732190000,
      model,
      choices: [],
      usage: options.usage ?? { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 },
    });
  const cut = options.truncateAfter;
  return {
    kind: 'sse',
    events: cut === undefined ? events : events.slice(0, cut),
    end: cut === undefined ? (options.end ?? 'done') : (options.end ?? 'eof'),
  };
}

export const errorReply = (status: number, message: string): Reply => ({
  kind: 'body',
  status,
  body: { error: { message, type: 'test_error' } },
});
