import type {
  ModelAttempt,
  ModelChunk,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ModelTarget,
} from './model-provider.port';
import { ModelError, ModelProtocolError, ModelRouteError, ModelUnavailableError } from './model-errors';

export interface ModelRoute {
  /** An exact model name, a prefix ending in `*` (`gpt-*`), or `*` for every model. */
  pattern: string;
  provider: ModelProvider;
}

/**
 * Per-model routing with fallbacks. A model goes to the route with its exact name, else the longest
 * matching prefix, else `*`, else the default provider. `request.model` is tried first, then each of
 * `request.fallbacks`, moving on only on retryable failures (timeout, 5xx/429/408, protocol,
 * connection); a 4xx, a malformed request or the caller's abort stop at once. Every response
 * carries `attempts`. When only one model was tried its own error is thrown; when several were,
 * ModelUnavailableError with every attempt. A stream falls back only until its first content
 * chunk: after that, text already went out and a failure is the caller's to handle.
 */
export class ModelRouter implements ModelProvider {
  readonly name = 'router';

  constructor(
    private readonly routes: readonly ModelRoute[],
    private readonly defaultProvider?: ModelProvider,
  ) {
    for (const route of routes)
      if (!/^(\*|[^*\s]+\*?)$/.test(route.pattern))
        throw new Error(`route pattern "${route.pattern}" must be a name, a prefix ending in *, or *`);
  }

  providerFor(model: string): ModelProvider {
    let best: ModelRoute | undefined;
    let bestRank = -1;
    for (const route of this.routes) {
      const rank =
        route.pattern === model
          ? Number.MAX_SAFE_INTEGER
          : route.pattern.endsWith('*') && model.startsWith(route.pattern.slice(0, -1))
            ? route.pattern.length
            : -1;
      if (rank > bestRank) {
        best = route;
        bestRank = rank;
      }
    }
    const provider = best?.provider ?? this.defaultProvider;
    if (!provider) throw new ModelRouteError(`no model provider is configured for "${model}"`);
    return provider;
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const attempts: ModelAttempt[] = [];
    let last: unknown;
    for (const target of targetsOf(request)) {
      const started = Date.now();
      let provider: ModelProvider | undefined;
      try {
        provider = this.providerFor(target.model);
        const response = await provider.complete(attemptRequest(request, target));
        attempts.push({
          model: target.model,
          provider: provider.name,
          outcome: 'ok',
          durationMs: Date.now() - started,
        });
        return { ...response, attempts };
      } catch (error) {
        last = error;
        attempts.push(failed(target, provider, error, started));
        if (!shouldFallBack(error, request)) throw error;
      }
    }
    throw attempts.length === 1 ? last : new ModelUnavailableError(attempts, last);
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelChunk> {
    const attempts: ModelAttempt[] = [];
    let last: unknown;
    for (const target of targetsOf(request)) {
      const started = Date.now();
      let provider: ModelProvider | undefined;
      let streamed = false;
      try {
        provider = this.providerFor(target.model);
        for await (const chunk of provider.stream(attemptRequest(request, target))) {
          if (chunk.type === 'done') {
            attempts.push({
              model: target.model,
              provider: provider.name,
              outcome: 'ok',
              durationMs: Date.now() - started,
            });
            yield { type: 'done', response: { ...chunk.response, attempts } };
            return;
          }
          streamed = true;
          yield chunk;
        }
        throw new ModelProtocolError(provider.name, 'the stream ended without a final response');
      } catch (error) {
        last = error;
        attempts.push(failed(target, provider, error, started));
        if (streamed || !shouldFallBack(error, request)) throw error;
      }
    }
    throw attempts.length === 1 ? last : new ModelUnavailableError(attempts, last);
  }
}

function targetsOf(request: ModelRequest): ModelTarget[] {
  return [
    { model: request.model, temperature: request.temperature, maxTokens: request.maxTokens },
    ...(request.fallbacks ?? []),
  ];
}

function attemptRequest(request: ModelRequest, target: ModelTarget): ModelRequest {
  const { fallbacks: _fallbacks, ...rest } = request;
  return {
    ...rest,
    model: target.model,
    temperature: target.temperature ?? request.temperature,
    maxTokens: target.maxTokens ?? request.maxTokens,
  };
}

function shouldFallBack(error: unknown, request: ModelRequest): boolean {
  return error instanceof ModelError && error.retryable && !request.signal?.aborted;
}

function failed(
  target: ModelTarget,
  provider: ModelProvider | undefined,
  error: unknown,
  started: number,
): ModelAttempt {
  return {
    model: target.model,
    provider: provider?.name ?? 'none',
    outcome: error instanceof ModelError ? error.kind : 'protocol',
    error: error instanceof Error ? error.message : String(error),
    durationMs: Date.now() - started,
  };
}
