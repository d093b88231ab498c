import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface EmbeddingsRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; input?: string[]; encoding_format?: string; dimensions?: number };
}

export type EmbeddingsReply =
  | { kind: 'body'; status?: number; body: unknown }
  /** Never answers: a timeout test. */
  | { kind: 'hang' };

/**
 * A real HTTP server on 127.0.0.1 speaking OpenAI's `POST /v1/embeddings`: each request is answered by
 * `answer` (by default a scripted queue, then 599). Every request is recorded.
 */
export class ScriptedEmbeddingsServer {
  readonly requests: EmbeddingsRequest[] = [];
  private readonly queue: EmbeddingsReply[] = [];
  private readonly sockets = new Set<Socket>();
  private answerWith: ((request: EmbeddingsRequest) => EmbeddingsReply) | undefined;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedEmbeddingsServer> {
    const server = createServer();
    const scripted = new ScriptedEmbeddingsServer(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let body: EmbeddingsRequest['body'] = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EmbeddingsRequest['body'];
        } catch {
          body = {};
        }
        const request = { path: req.url ?? '', headers: req.headers, body };
        scripted.requests.push(request);
        const reply =
          req.method === 'POST' && request.path === '/v1/embeddings'
            ? (scripted.queue.shift() ?? scripted.answerWith?.(request))
            : undefined;
        if (!reply) {
          res.writeHead(599, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'no scripted reply' } }));
          return;
        }
        if (reply.kind === 'hang') return;
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
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

  reply(...replies: EmbeddingsReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answers every request not scripted by computing vectors, like a real model would. */
  answer(embed: (input: string) => number[]): this {
    this.answerWith = (request) => ({
      kind: 'body',
      body: {
        object: 'list',
        model: request.body.model,
        data: (request.body.input ?? []).map((text, index) => ({
          object: 'embedding',
          index,
          embedding: embed(text),
        })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      },
    });
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An OpenAI embeddings response body for vectors given in order. */
export function embeddingsBody(vectors: number[][], order?: number[]): unknown {
  const indexes = order ?? vectors.map((_, i) => i);
  return {
    object: 'list',
    model: 'scripted',
    data: indexes.map((index) => ({ object: 'embedding', index, embedding: vectors[index] })),
    usage: { prompt_tokens: 3, total_tokens: 3 },
  };
}
