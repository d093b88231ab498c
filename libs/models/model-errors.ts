import type { ModelAttempt, ModelAttemptOutcome } from './model-provider.port';

/**
 * Every failure a provider reports on purpose. `retryable`: another model may well succeed (the
 * router falls back); otherwise the request itself is at fault or the caller gave up.
 * Messages are safe to log and show: bounded, never the API key or a whole response.
 */
export abstract class ModelError extends Error {
  abstract readonly kind: Exclude<ModelAttemptOutcome, 'ok'>;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ModelTimeoutError extends ModelError {
  readonly kind = 'timeout';
  readonly retryable = true;

  constructor(
    readonly provider: string,
    readonly timeoutMs: number,
    phase = 'answer',
  ) {
    super(`${provider} did not ${phase} within ${timeoutMs} ms`);
  }
}

/** A non-2xx status. 5xx, 429 (rate limit) and 408 are retryable; other 4xx are the request's fault. */
export class ModelHttpError extends ModelError {
  readonly kind = 'http';
  readonly retryable: boolean;

  constructor(
    readonly provider: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${provider} answered HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.retryable = status >= 500 || status === 429 || status === 408;
  }
}

/** The endpoint answered, but not in the protocol: not JSON, missing fields, a cut stream, too large. */
export class ModelProtocolError extends ModelError {
  readonly kind = 'protocol';
  readonly retryable = true;

  constructor(
    readonly provider: string,
    problem: string,
    /** A short, printable start of what came back, secrets removed. */
    readonly excerpt?: string,
  ) {
    super(
      `${provider} sent an invalid response: ${problem}${excerpt ? ` (began: ${JSON.stringify(excerpt)})` : ''}`,
    );
  }
}

export class ModelConnectionError extends ModelError {
  readonly kind = 'connection';
  readonly retryable = true;

  constructor(
    readonly provider: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} could not be reached: ${reason}`, options);
  }
}

/** The caller's signal aborted the request. */
export class ModelAbortedError extends ModelError {
  readonly kind = 'aborted';
  readonly retryable = false;

  constructor(readonly provider: string) {
    super(`the request to ${provider} was cancelled`);
  }
}

/** The request is malformed (e.g. a tool message without toolCallId): no model would take it. */
export class ModelRequestError extends ModelError {
  readonly kind = 'request';
  readonly retryable = false;
}

/** No provider is configured for the model name. */
export class ModelRouteError extends ModelError {
  readonly kind = 'route';
  readonly retryable = false;
}

/** The primary and every fallback failed; `attempts` says how, `cause` is the last error. */
export class ModelUnavailableError extends ModelError {
  readonly kind = 'unavailable';
  readonly retryable = false;

  constructor(
    readonly attempts: ModelAttempt[],
    cause: unknown,
  ) {
    super(
      `no model answered: ${attempts.map((a) => `${a.model} (${a.provider}): ${a.error ?? a.outcome}`).join('; ')}`,
      { cause },
    );
  }
}

/** Printable, bounded, with secrets blanked: what an error may quote of a response. */
export function safeExcerpt(text: string, secrets: readonly (string | undefined)[] = [], max = 160): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  out = out.replace(/[^\x20-\x7e]+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
