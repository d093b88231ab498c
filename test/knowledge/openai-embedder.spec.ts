import { EmbeddingError, OpenAiCompatibleEmbedder } from '@personae/knowledge';
import { embeddingsBody, ScriptedEmbeddingsServer } from './scripted-embeddings.server';

describe('OpenAI-compatible embedder (over a real socket)', () => {
  let server: ScriptedEmbeddingsServer;
  beforeEach(async () => {
    server = await ScriptedEmbeddingsServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  const embedder = (options: Partial<ConstructorParameters<typeof OpenAiCompatibleEmbedder>[0]> = {}) =>
    new OpenAiCompatibleEmbedder({
      baseUrl: server.baseUrl,
      model: 'text-embedding-3-small',
      apiKey: 'sk-secret-key',
      ...options,
    });

  it('posts batches to /embeddings and returns normalised vectors in input order', async () => {
    server.reply(
      {
        kind: 'body',
        body: embeddingsBody(
          [
            [3, 4],
            [0, 2],
          ],
          [1, 0],
        ),
      },
      { kind: 'body', body: embeddingsBody([[1, 0]]) },
    );
    const e = embedder({ batchSize: 2, dimensions: 2 });
    expect(e.id).toBe('text-embedding-3-small@2');
    const vectors = await e.embed(['first', 'second', 'third']);
    expect(vectors.map((v) => Array.from(v).map((x) => Math.round(x * 100) / 100))).toEqual([
      [0.6, 0.8],
      [0, 1],
      [1, 0],
    ]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.path).toBe('/v1/embeddings');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-secret-key');
    expect(server.requests[0]!.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['first', 'second'],
      encoding_format: 'float',
      dimensions: 2,
    });
    expect(server.requests[1]!.body.input).toEqual(['third']);
  });

  it('learns the dimension from the first answer and refuses a different one later', async () => {
    server.reply(
      { kind: 'body', body: embeddingsBody([[1, 2, 2]]) },
      { kind: 'body', body: embeddingsBody([[1, 2]]) },
    );
    const e = embedder();
    expect(e.id).toBe('text-embedding-3-small');
    expect(e.dimension).toBeUndefined();
    await e.embed(['a']);
    expect(e.dimension).toBe(3);
    await expect(e.embed(['b'])).rejects.toThrow(/dimension 2, expected 3/);
  });

  it('reports HTTP errors with the status and an excerpt, never the key', async () => {
    server.reply({ kind: 'body', status: 401, body: { error: { message: 'Incorrect API key provided' } } });
    const error = (await embedder()
      .embed(['x'])
      .catch((e: unknown) => e)) as EmbeddingError;
    expect(error).toBeInstanceOf(EmbeddingError);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/answered 401: .*Incorrect API key/);
    expect(error.message).not.toContain('sk-secret-key');
  });

  it('refuses malformed answers: wrong count, repeated index, non-numbers, not JSON', async () => {
    server.reply(
      { kind: 'body', body: embeddingsBody([[1, 0]]) },
      {
        kind: 'body',
        body: embeddingsBody(
          [
            [1, 0],
            [0, 1],
          ],
          [0, 0],
        ),
      },
      { kind: 'body', body: { data: [{ index: 0, embedding: [1, 'x'] }] } },
      { kind: 'body', body: 'not json' },
    );
    const e = embedder();
    await expect(e.embed(['a', 'b'])).rejects.toThrow(/returned 1 vectors for 2 inputs/);
    await expect(e.embed(['a', 'b'])).rejects.toThrow(/bad or repeated index 0/);
    await expect(e.embed(['a'])).rejects.toThrow(/not a list of numbers/);
    await expect(e.embed(['a'])).rejects.toThrow(/not JSON/);
  });

  it('gives up after its timeout', async () => {
    server.reply({ kind: 'hang' });
    await expect(embedder({ timeoutMs: 200 }).embed(['a'])).rejects.toThrow(/timed out/);
  });
});
