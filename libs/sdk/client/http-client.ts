/** An error answer from a Personae service, with the service's own reason and field problems. */
export class PersonaeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string; errors?: { field: string; reason: string }[] },
  ) {
    super(`${status} ${body.error ?? ''}: ${body.message ?? 'request failed'}`.trim());
    this.name = 'PersonaeApiError';
  }
}

export interface HttpClientOptions {
  /** e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** API key (pk_...) or JWT sent as a bearer token. */
  token: string;
  /** Per-request timeout; defaults to 10 s. */
  timeoutMs?: number;
  /** Propagated as x-correlation-id so one flow can be followed across services. */
  correlationId?: string;
  fetch?: typeof fetch;
}

/** The small JSON-over-HTTP core every typed client of the SDK builds on. */
export class HttpClient {
  private readonly baseUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** A client for the same service that stamps another correlation id. */
  withCorrelationId(correlationId: string): HttpClient {
    return new HttpClient({ ...this.options, correlationId });
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await this.send(method, path, body, headers);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  async text(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<string> {
    return (await this.send(method, path, body, headers)).text();
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Response> {
    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.options.token}`,
        accept: 'application/json',
        ...(body === undefined
          ? {}
          : { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }),
        ...(this.options.correlationId ? { 'x-correlation-id': this.options.correlationId } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!response.ok) {
      const text = await response.text();
      let parsed: PersonaeApiError['body'] = { message: text.slice(0, 500) };
      try {
        parsed = JSON.parse(text) as PersonaeApiError['body'];
      } catch {
        // not JSON: keep the text
      }
      throw new PersonaeApiError(response.status, parsed);
    }
    return response;
  }
}
