import { Injectable } from '@nestjs/common';
import type { IngestedSnapshot, SearchHit, SnapshotSummary } from './domain/snapshot';
import { IngestSnapshot, type IngestSnapshotInput } from './use-cases/ingest-snapshot.use-case';
import { SearchSnapshot } from './use-cases/search-snapshot.use-case';
import { SnapshotQueries } from './use-cases/snapshots.query';
import type { VectorFilter } from './vector-index.port';

/**
 * What other code in the same process (the synthesis pipeline) calls; over HTTP the same actions are
 * `POST /v1/knowledge/snapshots`, `GET /v1/knowledge/snapshots/:id` and `POST …/:id/search`.
 */
@Injectable()
export class KnowledgeService {
  constructor(
    private readonly ingest: IngestSnapshot,
    private readonly search: SearchSnapshot,
    private readonly snapshots: SnapshotQueries,
  ) {}

  /** Chunks, embeds, stores and seals documents as a new snapshot. */
  ingestSnapshot(input: IngestSnapshotInput): Promise<IngestedSnapshot> {
    return this.ingest.execute(input);
  }

  /** The `k` chunks of a sealed snapshot of the tenant most similar to `query`, best first. */
  searchSnapshot(
    snapshotId: string,
    query: string,
    k: number,
    scope: { tenantId: string; filter?: VectorFilter },
  ): Promise<SearchHit[]> {
    return this.search.execute({ tenantId: scope.tenantId, snapshotId, query, k, filter: scope.filter });
  }

  getSnapshot(tenantId: string, snapshotId: string): Promise<SnapshotSummary> {
    return this.snapshots.get(tenantId, snapshotId);
  }
}
