import { normalizeInPlace, type Embedder } from '../embedder.port';

export interface OpenAiEmbedderOptions {
  /** E.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`: `POST {baseUrl}/embeddings`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Sent as `dimensions` (models that can shorten their vectors) and checked on every answer. */
  dimensions?: number;
  /** Inputs per request; default 128. */
  batchSize?: number;
  /** Per request; default 60 s. */
  timeoutMs?: number;
  /** Largest response body read; default 64 MiB. */
  maxResponseBytes?: number;
}

/** A failed embeddings call: the status and a short excerpt of the answer, never the request or the key. */
export class EmbeddingError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmbeddingError';
  }
}

/**
 * Any endpoint speaking OpenAI's `POST /embeddings` (OpenAI, vLLM, Ollama, llama.cpp, TEI…). Inputs
 * go in batches; each answer is validated (count, index, finite numbers, one dimension) and the
 * vectors L2-normalised, so a dot product stays a cosine whatever the model returns.
 */
export class OpenAiCompatibleEmbedder implements Embedder {
  readonly id: string;
  private learned: number | undefined;
  private readonly url: string;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new Error('the embeddings base URL must be http(s)');
    if (!/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,150}$/.test(options.model))
      throw new Error('the embeddings model name must be an identifier');
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    this.id = options.dimensions ? `${options.model}@${options.dimensions}` : options.model;
    this.learned = options.dimensions;
  }

  get dimension(): number | undefined {
    return this.learned;
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const size = this.options.batchSize ?? 128;
    for (let start = 0; start < texts.length; start += size)
      out.push(...(await this.request(texts.slice(start, start + size), signal)));
    return out;
  }

  private async request(input: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.options.model,
          input,
          encoding_format: 'float',
          ...(this.options.dimensions ? { dimensions: this.options.dimensions } : {}),
        }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (timeout.aborted) throw new EmbeddingError(`embeddings request to ${this.host} timed out`);
      throw new EmbeddingError(
        `embeddings request to ${this.host} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const text = await this.readLimited(response);
    if (!response.ok)
      throw new EmbeddingError(
        `embeddings endpoint ${this.host} answered ${response.status}: ${excerpt(text)}`,
        response.status,
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new EmbeddingError(
        `embeddings endpoint ${this.host} answered a body that is not JSON: ${excerpt(text)}`,
      );
    }
    return this.vectors(body, input.length);
  }

  private vectors(body: unknown, count: number): Float32Array[] {
    const data = (body as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length !== count)
      throw new EmbeddingError(
        `embeddings endpoint ${this.host} returned ${Array.isArray(data) ? data.length : 'no'} vectors for ${count} inputs`,
      );
    const out: (Float32Array | undefined)[] = new Array<Float32Array | undefined>(count);
    data.forEach((item: unknown, position) => {
      const { embedding, index } = (item ?? {}) as { embedding?: unknown; index?: unknown };
      const at = typeof index === 'number' ? index : position;
      if (!Number.isInteger(at) || at < 0 || at >= count || out[at])
        throw new EmbeddingError(
          `embeddings endpoint ${this.host} returned a bad or repeated index ${String(index)}`,
        );
      if (
        !Array.isArray(embedding) ||
        embedding.length === 0 ||
        !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))
      )
        throw new EmbeddingError(
          `embeddings endpoint ${this.host} returned an embedding that is not a list of numbers`,
        );
      if (this.learned === undefined) this.learned = embedding.length;
      if (embedding.length !== this.learned)
        throw new EmbeddingError(
          `embeddings endpoint ${this.host} returned dimension ${embedding.length}, expected ${this.learned}`,
        );
      out[at] = normalizeInPlace(Float32Array.from(embedding as number[]));
    });
    return out as Float32Array[];
  }

  private async readLimited(response: Response): Promise<string> {
    const max = this.options.maxResponseBytes ?? 64 * 1024 * 1024;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > max) {
      await response.body?.cancel();
      throw new EmbeddingError(`embeddings answer from ${this.host} exceeds ${max} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body)
      for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > max) throw new EmbeddingError(`embeddings answer from ${this.host} exceeds ${max} bytes`);
        chunks.push(chunk);
      }
    return Buffer.concat(chunks).toString('utf8');
  }

  private get host(): string {
    return new URL(this.options.baseUrl).host;
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
