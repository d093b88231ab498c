import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { DatabaseModule, dataSourceToken } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { EMBEDDER, type Embedder } from './embedder.port';
import { HashingEmbedder } from './embedders/hashing.embedder';
import { OpenAiCompatibleEmbedder } from './embedders/openai-compatible.embedder';
import { KnowledgeController } from './http/knowledge.controller';
import { EmbeddedVectorIndex } from './index/embedded-vector.index';
import { QdrantVectorIndex } from './index/qdrant-vector.index';
import { KnowledgeService } from './knowledge.service';
import { KNOWLEDGE_MIGRATIONS, KNOWLEDGE_SCHEMA } from './store/migrations';
import { IngestSnapshot } from './use-cases/ingest-snapshot.use-case';
import { SearchSnapshot } from './use-cases/search-snapshot.use-case';
import { SnapshotQueries } from './use-cases/snapshots.query';
import { VECTOR_INDEX, type VectorIndex } from './vector-index.port';

/** The embedder this configuration asks for: a model at MODEL_BASE_URL, or the hashing embedder. */
export function buildEmbedder(config: AppConfig): Embedder {
  if (config.embeddings.model && config.model.baseUrl)
    return new OpenAiCompatibleEmbedder({
      baseUrl: config.model.baseUrl,
      apiKey: config.model.apiKey,
      model: config.embeddings.model,
      dimensions: config.embeddings.dimensions,
    });
  return new HashingEmbedder();
}

/** The vector index: Qdrant when QDRANT_URL is set, else the embedded index on the knowledge schema. */
export function buildVectorIndex(config: AppConfig, dataSource: DataSource): VectorIndex {
  if (config.qdrantUrl) return new QdrantVectorIndex({ url: config.qdrantUrl, apiKey: config.qdrantApiKey });
  return new EmbeddedVectorIndex(dataSource);
}

/**
 * Knowledge snapshots (chunk, embed, store, seal, search) on the `knowledge` schema, with its HTTP API.
 * Hosted by the synthesis-pipeline service, which imports this module; KnowledgeService is exported
 * for in-process use.
 */
@Module({
  imports: [DatabaseModule.forService({ schema: KNOWLEDGE_SCHEMA, migrations: KNOWLEDGE_MIGRATIONS })],
  controllers: [KnowledgeController],
  providers: [
    { provide: EMBEDDER, inject: [APP_CONFIG], useFactory: buildEmbedder },
    {
      provide: VECTOR_INDEX,
      inject: [APP_CONFIG, dataSourceToken(KNOWLEDGE_SCHEMA)],
      useFactory: buildVectorIndex,
    },
    IngestSnapshot,
    SearchSnapshot,
    SnapshotQueries,
    KnowledgeService,
  ],
  exports: [KnowledgeService, EMBEDDER, VECTOR_INDEX],
})
export class KnowledgeModule {}
