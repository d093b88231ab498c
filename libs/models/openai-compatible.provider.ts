import { request as httpRequest, type Dispatcher } from 'undici';
import type { ModelChunk, ModelProvider, ModelRequest, ModelResponse } from './model-provider.port';
import {
  ModelAbortedError,
  ModelConnectionError,
  ModelError,
  ModelHttpError,
  ModelProtocolError,
  ModelTimeoutError,
  safeExcerpt,
} from './model-errors';
import {
  errorText,
  parseCompletion,
  StreamAssembly,
  toWireRequest,
  type ParsedCompletion,
} from './openai-wire';
import { readSseData, SseLimitError } from './sse-reader';
import { estimateMessagesTokens, estimateTokens } from './token-estimate';

export interface OpenAiCompatibleOptions {
  /** E.g. `https://api.openai.com/v1`, `http://127.0.0.1:8080/v1` (llama.cpp, vLLM, Ollama...). */
  baseUrl: string;
  apiKey?: string;
  /** How responses and errors name this endpoint; default its host. */
  name?: string;
  /** Default when a request gives none: 60 s. */
  timeoutMs?: number;
  /** Largest response body read, streamed or not: default 8 MiB. */
  maxResponseBytes?: number;
  headers?: Record<string, string>;
}

/**
 * Any endpoint speaking OpenAI's `POST /chat/completions`: JSON (undici's `request`: a fraction of
 * fetch's CPU per call, which a runtime pays on every execution) or SSE stream (fetch's web stream)
 * with `stream_options.include_usage` for usage, tool calls assembled from deltas by index. Every
 * response is validated; a timeout aborts the request on the wire.
 */
export class OpenAiCompatibleProvider implements ModelProvider {
  readonly name: string;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new Error('the model base URL must be http(s)');
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.name = options.name ?? base.host;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxBytes = options.maxResponseBytes ?? 8 * 1024 * 1024;
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const body = toWireRequest(request, false);
    const call = this.call(request);
    let read = false;
    try {
      call.arm();
      const text = await this.postForText(body, call.signal);
      read = true;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw this.protocol('the body is not JSON', text);
      }
      return this.response(
        request,
        parseCompletion(json, (problem) => this.protocol(problem, text)),
      );
    } catch (error) {
      throw call.translate(error);
    } finally {
      // A body read to its end left nothing on the wire to cancel.
      call.done(read);
    }
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelChunk> {
    const body = toWireRequest(request, true);
    const call = this.call(request);
    try {
      call.arm();
      const response = await this.post(body, call.signal);
      const type = response.headers.get('content-type') ?? '';
      if (!type.includes('text/event-stream')) {
        const text = await this.readText(response);
        throw this.protocol(
          `expected an event stream, got "${type.split(';')[0] || 'no content type'}"`,
          text,
        );
      }
      if (!response.body) throw this.protocol('the stream has no body');
      const assembly = new StreamAssembly((problem) => this.protocol(problem));
      let finished = false;
      const events = readSseData(
        response.body,
        { maxBytes: this.maxBytes, maxLineChars: 1024 * 1024 },
        call.arm,
      );
      for await (const data of events) {
        if (data.trim() === '[DONE]') {
          finished = true;
          break;
        }
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch {
          throw this.protocol('a stream event is not JSON', data);
        }
        const text = assembly.add(json);
        if (text) {
          // The deadline is the server's: it does not run while the consumer handles a chunk.
          call.pause();
          yield { type: 'content', text };
          call.arm();
        }
      }
      // Without [DONE] a stream that reported its finish reason is whole (some servers omit it).
      if (!finished && !assembly.finish) throw this.protocol('the stream ended before the response finished');
      yield {
        type: 'done',
        response: this.response(request, {
          model: assembly.model,
          content: assembly.content,
          toolCalls: assembly.toolCalls(),
          finishReason: assembly.finish ?? (assembly.toolCalls().length > 0 ? 'tool_calls' : 'stop'),
          usage: assembly.reportedUsage,
        }),
      };
    } catch (error) {
      throw call.translate(error instanceof SseLimitError ? this.protocol(error.message) : error);
    } finally {
      call.done();
    }
  }

  private headers(): Record<string, string> {
    return {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      ...this.options.headers,
    };
  }

  /** A non-streamed call: the body as text on 2xx, a ModelHttpError with the server's message otherwise. */
  private async postForText(body: Record<string, unknown>, signal: AbortSignal): Promise<string> {
    const response = await httpRequest(this.url, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify(body),
      signal,
    });
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    if (ok) return this.readBody(response.body, this.maxBytes);
    throw await this.httpError(response.statusCode, () => this.readBody(response.body, 64 * 1024));
  }

  /** undici's body as text, refusing past the size limit without reading the rest. */
  private async readBody(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        total += chunk.byteLength;
        if (total > limit) throw this.protocol(`the body is larger than ${limit} bytes`);
        chunks.push(chunk);
      }
    } catch (error) {
      body.destroy();
      throw error;
    }
    return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
  }

  private async post(body: Record<string, unknown>, signal: AbortSignal): Promise<Response> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify(body),
      signal,
    });
    if (response.ok) return response;
    throw await this.httpError(response.status, () => this.readText(response, 64 * 1024));
  }

  /** A non-2xx answer as an error: the provider's own message when its body has one, no secrets. */
  private async httpError(status: number, readBody: () => Promise<string>): Promise<ModelHttpError> {
    let detail = '';
    try {
      const text = await readBody();
      try {
        detail = errorText(JSON.parse(text) as unknown);
      } catch {
        detail = text;
      }
    } catch (error) {
      if (!(error instanceof ModelProtocolError)) throw error;
    }
    return new ModelHttpError(this.name, status, safeExcerpt(detail, [this.options.apiKey]));
  }

  /** The body as text, refusing past the size limit without reading the rest. */
  private async readText(response: Response, limit = this.maxBytes): Promise<string> {
    if (!response.body) return '';
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > limit) throw this.protocol(`the body is larger than ${limit} bytes`);
        chunks.push(value);
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
  }

  private response(request: ModelRequest, parsed: ParsedCompletion): ModelResponse {
    const completionText = parsed.content + parsed.toolCalls.map((c) => c.name + c.arguments).join('');
    return {
      model: parsed.model ?? request.model,
      provider: this.name,
      content: parsed.content,
      toolCalls: parsed.toolCalls,
      finishReason: parsed.finishReason,
      usage: parsed.usage
        ? { ...parsed.usage, estimated: false }
        : {
            promptTokens: estimateMessagesTokens(request.messages, request.tools),
            completionTokens: estimateTokens(completionText),
            estimated: true,
          },
    };
  }

  private protocol(problem: string, text?: string): ModelProtocolError {
    return new ModelProtocolError(
      this.name,
      problem,
      text === undefined ? undefined : safeExcerpt(text, [this.options.apiKey]),
    );
  }

  /** One request's deadline (re-armed by stream progress) and cancellation, and error translation. */
  private call(request: ModelRequest): {
    signal: AbortSignal;
    arm: () => void;
    pause: () => void;
    done: (finished?: boolean) => void;
    translate: (error: unknown) => Error;
  } {
    const controller = new AbortController();
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const onAbort = (): void => controller.abort();
    if (request.signal?.aborted) controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    return {
      signal: controller.signal,
      arm: () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs);
      },
      pause: () => clearTimeout(timer),
      done: (finished = false) => {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        // Frees the connection when a consumer stopped reading a stream early.
        if (!finished) controller.abort();
      },
      translate: (error) => {
        if (timedOut) return new ModelTimeoutError(this.name, timeoutMs);
        if (request.signal?.aborted) return new ModelAbortedError(this.name);
        if (error instanceof ModelError) return error;
        return new ModelConnectionError(this.name, describeFetchFailure(error), { cause: error });
      },
    };
  }
}

/**
 * Node's fetch says "fetch failed" and keeps the reason (ECONNREFUSED, socket closed) in `cause`;
 * undici's request throws the socket's error itself (`code` ECONNREFUSED…, or UND_ERR_* with a
 * readable message). Duck-typed: the errors may come from another realm (test sandboxes).
 */
function describeFetchFailure(error: unknown): string {
  const { message, cause, code } = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown;
    code?: unknown;
    cause?: { code?: unknown; message?: unknown };
  };
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof code === 'string' && !code.startsWith('UND_ERR')) return code;
  if (message === 'terminated') return 'the connection closed mid-response';
  if (typeof cause?.message === 'string') return cause.message;
  return typeof message === 'string' ? message : String(error);
}
