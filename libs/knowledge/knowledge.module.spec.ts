import { ConfigError, loadConfig } from '@personae/config';
import { DataSource } from 'typeorm';
import { HashingEmbedder } from './embedders/hashing.embedder';
import { OpenAiCompatibleEmbedder } from './embedders/openai-compatible.embedder';
import { EmbeddedVectorIndex } from './index/embedded-vector.index';
import { QdrantVectorIndex } from './index/qdrant-vector.index';
import { buildEmbedder, buildVectorIndex } from './knowledge.module';

describe('knowledge adapters chosen by configuration', () => {
  // Never connected: the embedded index only keeps it until its first query.
  const dataSource = new DataSource({ type: 'postgres', url: 'postgres://127.0.0.1:1/none' });

  it('defaults to the hashing embedder and the embedded index', () => {
    const config = loadConfig({});
    expect(buildEmbedder(config)).toBeInstanceOf(HashingEmbedder);
    expect(buildVectorIndex(config, dataSource)).toBeInstanceOf(EmbeddedVectorIndex);
  });

  it('uses the embeddings endpoint and Qdrant when configured', () => {
    const config = loadConfig({
      MODEL_BASE_URL: 'http://127.0.0.1:8080/v1',
      EMBEDDINGS_MODEL: 'nomic-embed-text',
      EMBEDDINGS_DIMENSIONS: '768',
      QDRANT_URL: 'http://127.0.0.1:6333',
    });
    const embedder = buildEmbedder(config);
    expect(embedder).toBeInstanceOf(OpenAiCompatibleEmbedder);
    expect(embedder.id).toBe('nomic-embed-text@768');
    expect(buildVectorIndex(config, dataSource)).toBeInstanceOf(QdrantVectorIndex);
  });

  it('refuses an embeddings model without an endpoint, or a bad dimension, naming the variable', () => {
    expect(() => loadConfig({ EMBEDDINGS_MODEL: 'text-embedding-3-small' })).toThrow(
      /MODEL_BASE_URL is required when EMBEDDINGS_MODEL is set/,
    );
    expect(() =>
      loadConfig({
        MODEL_BASE_URL: 'http://127.0.0.1:8080/v1',
        EMBEDDINGS_MODEL: 'm',
        EMBEDDINGS_DIMENSIONS: '0',
      }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ EMBEDDINGS_MODEL: 'has space', MODEL_BASE_URL: 'http://x:1/v1' })).toThrow(
      /EMBEDDINGS_MODEL must be a model identifier/,
    );
  });
});
